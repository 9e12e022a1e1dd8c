"""On PostgreSQL, `reshard` waits out the writes in flight with LOCK TABLE ... IN SHARE
MODE. Queued behind a long transaction that wrote to the table, that lock would make
every later writer of the shard queue behind it: the lock gives up after
resharding.LOCK_TIMEOUT_MS, tries again, and in the end the command says why it stopped."""

import threading
import time
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from common.faults import postgres_session
from shop import resharding
from shop.models import Bucket

from .helpers import EVERY_DATABASE, SHARDS

pytestmark = [
    pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True),
    pytest.mark.skipif(
        connections["shard1"].vendor != "postgresql",
        reason="LOCK TABLE on PostgreSQL: DEMO_DATABASE=postgres",
    ),
]
# A statement that writes to the reviews table (it takes the table's ROW EXCLUSIVE lock,
# which SHARE mode waits for), without needing a row.
WRITE = "DELETE FROM reviews_review WHERE id = -1"


@pytest.fixture(autouse=True)
def quick_tries(monkeypatch):
    monkeypatch.setattr(resharding, "LOCK_TRIES", 2)
    monkeypatch.setattr(resharding, "LOCK_PAUSE", 0.1)


@contextmanager
def long_transaction(shard):
    """A transaction on the shard that has written to the reviews table, left open."""
    with postgres_session(shard) as db, db.transaction():
        db.execute(WRITE)
        yield


def first_source():
    return resharding.plan(SHARDS)[0][1]


def test_a_writer_waits_no_longer_than_the_lock_timeout_behind_reshard():
    source, waited = first_source(), []

    def move():
        try:
            resharding.wait_for_writes(source)
        except resharding.WritesInTheWay:
            pass
        finally:
            connections.close_all()

    def write():
        with postgres_session(source) as db:
            started = time.monotonic()
            db.execute(WRITE)
            waited.append(time.monotonic() - started)

    mover, writer = threading.Thread(target=move), threading.Thread(target=write)
    with long_transaction(source):
        mover.start()
        time.sleep(0.3)  # the lock is queued behind the long transaction
        writer.start()
        writer.join(timeout=3 * resharding.LOCK_TIMEOUT_MS / 1000)
    mover.join(timeout=30)
    writer.join(timeout=30)
    assert waited[0] < resharding.LOCK_TIMEOUT_MS / 1000 + 0.5


def test_reshard_gives_up_behind_a_long_transaction_and_says_so():
    source = first_source()
    with long_transaction(source), pytest.raises(CommandError) as raised:
        call_command("reshard", stdout=StringIO())
    assert f"a transaction that wrote to {source}'s reviews" in str(raised.value)


def test_reshard_leaves_no_bucket_refusing_writes_when_it_gives_up():
    with long_transaction(first_source()), pytest.raises(CommandError):
        call_command("reshard", stdout=StringIO())
    assert not Bucket.objects.exclude(moving_to="").exists()


def test_reshard_says_each_try_it_gives_up():
    source, output = first_source(), StringIO()
    with long_transaction(source), pytest.raises(CommandError):
        call_command("reshard", stdout=output)
    assert f"{source}: the lock waited {resharding.LOCK_TIMEOUT_MS} ms" in output.getvalue()
