import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import InternalError, OperationalError, connections
from django.utils import timezone

from common.faults import file_moved_aside, server_unreachable
from common.postgres import POOL_TIMEOUT
from common.sqlite import database_file
from common.testing import panel_alias
from products.models import Product
from reviews.models import Review
from shop.models import Heartbeat
from shop.pinning import unpin
from shop.positions import record_end
from shop.replicas import DOWN, HEALTH, PRIMARY, REPLICAS

ALIASES = list(connections)
# DEMO_DATABASE=postgres runs this suite on PostgreSQL (see the settings' last block).
ON_POSTGRES = connections[PRIMARY].vendor == "postgresql"
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite files only")


def replicate(*args):
    """Run `manage.py replicate`, as the learner does in a second terminal.

    On PostgreSQL the command beats the heartbeat, and each standby replays every change
    by itself; here the standbys it names (``--replica``, or all) replay up to now and
    then hold (``pg_wal_replay_pause``), so until the next call each is exactly as stale
    as a copied SQLite file. Natural lag is under a millisecond and random: a test never
    counts on it.

    The replicas now hold every write so far, so the test's own writes no longer pin it
    (outside a request a write pins its thread, see shop/pinning.py).
    """
    call_command("replicate", *args, stdout=StringIO())
    if ON_POSTGRES:
        standby_catch_up(*args[1:2])  # the alias after --replica, or every standby
    unpin()
    forget_health()


def forget_health():
    """The replicas changed: a process sees it within REPLICA_HEALTH_SECONDS, a test
    does not wait that long."""
    HEALTH.clear()


def standby_catch_up(*aliases, timeout=10):
    """Let each standby (every one by default) replay everything the primary has written
    so far, then pause it. So far: its insert position, as a write's token takes it
    (shop/positions.py), which may be ahead of what it has written out."""
    with connections[PRIMARY].cursor() as primary:
        primary.execute("SELECT pg_current_wal_insert_lsn()::text")
        end = record_end(primary.fetchone()[0])
    written = f"{end >> 32:X}/{end & 0xFFFFFFFF:X}"
    deadline = time.monotonic() + timeout
    for alias in aliases or REPLICAS:
        with standby_session(alias) as standby:
            standby.execute("SELECT pg_wal_replay_resume()")
            while not replayed(standby, written):
                assert time.monotonic() < deadline, f"{alias} did not reach {written}"
                time.sleep(0.01)
            standby.execute("SELECT pg_wal_replay_pause()")


def replayed(standby, lsn):
    return standby.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]).fetchone()[0]


def standby_resume():
    """Let every standby stream freely again (the test run drops its database at the end)."""
    for alias in REPLICAS:
        with standby_session(alias) as standby:
            standby.execute("SELECT pg_wal_replay_resume()")


def standby_session(alias, dbname="postgres"):
    """A session of its own on a replica alias's standby, whatever a test did to the
    alias; psycopg is installed only for DEMO_DATABASE=postgres, hence the late import."""
    import psycopg

    from common.postgres import SERVERS

    return psycopg.connect(
        host=SERVERS[alias]["HOST"],
        port=SERVERS[alias]["PORT"],
        user="postgres",
        dbname=dbname,
        autocommit=True,
    )


def in_another_thread(work):
    """Run work in a thread of its own, as another process or a task queue's worker
    would: its pin is not ours, nor its context. Returns what it returns, or raises."""

    def run():
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as thread:
        return thread.submit(run).result()


def retry_time_comes():
    """Let REPLICA_RETRY_SECONDS pass for every replica remembered as down."""
    DOWN.down = {alias: (since, 0.0) for alias, (since, _) in DOWN.down.items()}


def create_product(name="Burr grinder"):
    return Product.objects.create(name=name, description=f"A {name.lower()}.")


def create_author(username="alice"):
    return get_user_model().objects.create_user(username)  # no password: no hashing


def create_review(product, author, rating=4, text="Does the job."):
    return Review.objects.create(
        product_id=product.pk, author_id=author.pk, rating=rating, text=text
    )


def rows_per_alias(model):
    """How many rows of the model each database physically holds."""
    return {
        alias: model._base_manager.using(alias).count()
        for alias in ALIASES
        if model._meta.db_table in connections[alias].introspection.table_names()
    }


def refused():
    """What each engine says: SQLite opened with mode=ro, and a PostgreSQL hot standby."""
    if ON_POSTGRES:
        return pytest.raises(InternalError, match=r"cannot execute \w+ in a read-only transaction")
    return pytest.raises(OperationalError, match="attempt to write a readonly database")


def make_replica_lag(alias, seconds):
    """Age the heartbeat a replica holds, as if it had stopped receiving copies. A standby
    cannot be written: the primary's heartbeat is aged instead, and streamed to this
    replica's standby alone (the other one stays paused where it was)."""
    beat = timezone.now() - timedelta(seconds=seconds)
    forget_health()
    if ON_POSTGRES:
        Heartbeat.objects.using(PRIMARY).update(beat=beat)
        standby_catch_up(alias)
        return
    with sqlite3.connect(database_file(alias)) as replica:
        replica.execute(
            "UPDATE shop_heartbeat SET beat = ?", [beat.isoformat(" ").removesuffix("+00:00")]
        )
    replica.close()


@contextmanager
def database_missing(alias, tmp_path):
    """Take an alias's database away while the site runs, then give it back as it was.

    The SQLite file moves aside with nothing in its place (the primary's plain test path
    makes SQLite open an empty database there, whose missing tables test_database_errors
    names; a replica's mode=ro one fails). On PostgreSQL the alias's server is made
    unreachable rather than its database renamed, as the other patterns do: a standby
    cannot rename a database, and a rename on the primary streams to the standbys too.
    """
    if ON_POSTGRES:
        with server_unreachable(alias):
            yield
        return
    with file_moved_aside(alias, tmp_path):
        yield


def missing_database_error(table):
    """What a query says when its database is gone: SQLite opened an empty file that lacks
    the table; on PostgreSQL the alias's pool could not connect before its timeout."""
    return POOL_TIMEOUT if ON_POSTGRES else f"no such table: {table}"


def panel_notes(response, alias):
    """The lines the router added under an alias in the panel: served, skipped and why."""
    return panel_alias(response, alias)["notes"]


def admin_review_form(**fields):
    """What the admin's add and change pages post for a review: pass product_id, author_id."""
    form = {
        "rating": "3",
        "text": "Changed my mind.",
        "created_0": "2026-05-01",
        "created_1": "10:00:00",
    }
    return form | fields
