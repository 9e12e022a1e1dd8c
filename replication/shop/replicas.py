"""The replicas: where their files are, how stale each one is, which one serves a read.

Each decision is a pure function of the facts (``pick_replica``, ``why_skipped``), so it
is tested without a database; ``check_health`` is the one part that asks the replicas,
at most once per REPLICA_HEALTH_SECONDS per process.
"""

import time
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import DatabaseError, connections

from common.db_errors import first_line
from common.db_panel import note
from common.down import DownMemory

from .models import Heartbeat

PRIMARY = "default"
# Every other alias of DATABASES is a replica of the primary.
REPLICAS = [alias for alias in settings.DATABASES if alias != PRIMARY]
# The replicas found unreadable, per process (common/down.py): without this memory an
# unreachable host would cost every request its connect timeout.
DOWN = DownMemory()
# Each replica's health as last read, per process: alias -> Health. Asking every replica
# at every request cost a statement (and on PostgreSQL a pooled connection) per replica.
HEALTH = {}


@dataclass(frozen=True)
class Health:
    """What a replica looked like when read: how old its copy was, or why it can't be read."""

    alias: str
    lag: float | None = None  # seconds since the heartbeat the replica holds
    problem: str = ""
    read_at: float = field(default_factory=time.monotonic, compare=False)


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
    """A replica's health, as read less than REPLICA_HEALTH_SECONDS ago, or read now.

    A kept lag grows with its age: the copy is at most that old (a newer one may have
    arrived since), never younger than it could be. A replica that went down meanwhile
    is found out by the read that fails on it (shop/retry.py).
    """
    if down := DOWN.still_down(alias):
        return Health(alias, problem=down)
    health = HEALTH.get(alias)
    age = time.monotonic() - health.read_at if health else None
    if age is not None and age < settings.REPLICA_HEALTH_SECONDS:
        note(alias, f"health read {age:.1f} s ago (kept for REPLICA_HEALTH_SECONDS)")
        return health if health.lag is None else replace(health, lag=health.lag + age)
    health = read_health(alias)
    if alias not in DOWN.down:  # a replica found down is remembered there, until its retry
        HEALTH[alias] = health
    return health


def read_health(alias):
    """Read the heartbeat a replica holds; a missing or broken file is a problem, not an error."""
    try:
        lag = read_lag(alias)
    except Promoted:
        remember_down(alias)
        return Health(alias, problem=Promoted.problem)
    except DatabaseError as exc:
        remember_down(alias)
        return Health(alias, problem=f"it cannot be read: {first_line(exc)}")
    DOWN.forget(alias)
    if lag is None:
        return Health(alias, problem="it holds no heartbeat yet: run manage.py replicate")
    return Health(alias, lag=lag)


# The database's own clock, as Django's Now() reads it.
NOW = {"sqlite": "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')", "postgresql": "STATEMENT_TIMESTAMP()"}
# Whether the server replays a primary's changes: a standby promoted in the primary's
# place (postgres/failover.sh) takes writes, and is the primary's alias's server now.
IN_RECOVERY = {"sqlite": "1", "postgresql": "pg_is_in_recovery()"}


class Promoted(Exception):
    """The replica's server is a primary now: its reads are the primary's, not a copy's."""

    problem = 'it was promoted: it is the primary now (README, "Losing the primary")'


def read_lag(alias):
    """How old the heartbeat a replica holds is, in seconds, or None if it holds none.

    Measured by database clocks alone: the primary writes the beat with its own clock
    (``replicate`` sets it to Now(), in SQL), and the replica reads its own clock beside
    it, in the same statement. On SQLite both are this host's; on PostgreSQL they are
    the primary's and the standby's, which must agree: a skew between them shows as lag,
    or hides some. The clocks of the web servers and of the host running ``replicate``
    never enter it. Reading the primary's clock instead would make each replica's
    health depend on the primary answering.

    A plain statement: a queryset cost as much as the request's own lookups.
    """
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {IN_RECOVERY[connection.vendor]}, "
            '(SELECT "beat" FROM "shop_heartbeat" WHERE "id" = 1), '
            f"{NOW[connection.vendor]}"
        )
        standby, beat, now = cursor.fetchone()
    if not standby:
        raise Promoted
    if beat is None:
        return None
    # SQLite hands back text: its converter makes the aware datetime the ORM would.
    beat, now = (to_datetime(connection, value) for value in (beat, now))
    return (now - beat).total_seconds()


def to_datetime(connection, value):
    column = Heartbeat._meta.get_field("beat").get_col("shop_heartbeat")
    for convert in connection.ops.get_db_converters(column):
        value = convert(value, column, connection)
    return value


def remember_down(alias):
    """Skip an unreadable replica for REPLICA_RETRY_SECONDS, keeping when it first failed."""
    DOWN.remember(alias, settings.REPLICA_RETRY_SECONDS)
    HEALTH.pop(alias, None)
