"""The replicas: where their files are, how stale each one is, which one serves a read.

Each decision is a pure function of the facts (``pick_replica``, ``why_skipped``), so it
is tested without a database; ``check_health`` is the one part that asks the replicas.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from common.db_errors import first_line

from .models import Heartbeat

PRIMARY = "default"
# Every other alias of DATABASES is a replica of the primary.
REPLICAS = [alias for alias in settings.DATABASES if alias != PRIMARY]
# The replicas found unreadable: alias -> (down since, next try), as time.time(). Per
# process, like django_replicated's memory: each process finds out for itself once.
DOWN = {}


@dataclass(frozen=True)
class Health:
    """What a replica looks like right now: how old its copy is, or why it can't be read."""

    alias: str
    lag: float | None = None  # seconds since the heartbeat the replica holds
    problem: str = ""


def why_skipped(health, max_lag):
    """Why a replica may not serve reads, or "" if it may."""
    if health.problem:
        return health.problem
    if health.lag > max_lag:
        return f"its copy is {health.lag:.1f} s old, over REPLICA_MAX_LAG_SECONDS ({max_lag})"
    return ""


def pick_replica(healths, max_lag, turn):
    """The replica to read from: usable ones take turns; None if no replica is usable."""
    usable = [health.alias for health in healths if not why_skipped(health, max_lag)]
    return usable[turn % len(usable)] if usable else None


def check_health(alias):
    """Read the heartbeat a replica holds; a missing or broken file is a problem, not an error."""
    if down := still_down(alias):
        return Health(alias, problem=down)
    try:
        beat = read_heartbeat(alias)
    except DatabaseError as exc:
        remember_down(alias)
        return Health(alias, problem=f"it cannot be read: {first_line(exc)}")
    DOWN.pop(alias, None)
    if beat is None:
        return Health(alias, problem="it holds no heartbeat yet: run manage.py replicate")
    return Health(alias, lag=(timezone.now() - beat).total_seconds())


def read_heartbeat(alias):
    """The beat a database holds, or None. Every request asks each replica: a plain
    statement, since a queryset cost as much as the request's own lookups."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute('SELECT "shop_heartbeat"."beat" FROM "shop_heartbeat" WHERE "id" = 1')
        row = cursor.fetchone()
    if row is None:
        return None
    # SQLite hands back text: its converter makes the aware datetime the ORM would.
    beat, value = Heartbeat._meta.get_field("beat").get_col("shop_heartbeat"), row[0]
    for convert in connection.ops.get_db_converters(beat):
        value = convert(value, beat, connection)
    return value


def still_down(alias):
    """Why a replica found unreadable is not asked again yet, or None once its retry is due.

    Without this memory an unreachable host would cost every request its connect timeout.
    """
    since, next_try = DOWN.get(alias, (None, 0.0))
    if time.time() < next_try:
        return f"down since {clock(since)}, next try at {clock(next_try)}"
    return None


def remember_down(alias):
    """Skip an unreadable replica for REPLICA_RETRY_SECONDS, keeping when it first failed."""
    now = time.time()
    since = DOWN.get(alias, (now, 0.0))[0]
    DOWN[alias] = (since, now + settings.REPLICA_RETRY_SECONDS)


def clock(seconds):
    """A time.time() as the panel shows it: 10:02:30."""
    return time.strftime("%H:%M:%S", time.localtime(seconds))
