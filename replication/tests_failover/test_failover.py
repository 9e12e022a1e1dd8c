"""Losing the primary (postgres/failover.sh), on the servers of make postgres-up: a run of
its own after the pattern suites (make test-postgres), each test undoing its drill, so the
servers are left as make postgres-up made them."""

import subprocess

import pytest
from django.db import connections
from tests.helpers import ALIASES, ON_POSTGRES, create_author, create_product, create_review

from common.faults import failover_script, standby_script
from common.postgres import SERVERS, disconnect
from shop.replicas import DOWN, HEALTH, Promoted, check_health

from .servers import roles, rows_on, session_on

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="real servers: DEMO_DATABASE=postgres"),
    pytest.mark.faults,
    pytest.mark.django_db(databases=ALIASES, transaction=True),
]


def write_reviews(count):
    """Reviews written through `default`, each acknowledged (committed) before the next."""
    product, author = create_product(), create_author()
    return {create_review(product, author).pk for _ in range(count)}


def test_after_the_drill_the_same_settings_write_to_replica1(drill):
    """libpq's host list with target_session_attrs=read-write: the first write after the
    promotion succeeds, on replica1's server, with no settings changed and no restart (the
    pool's dead connection is replaced at once, common/backend)."""
    create_product("Kettle")  # the pool keeps the connection, which the drill kills
    drill()
    review = create_review(create_product(), create_author())
    assert review._state.db == "default"
    assert connections["default"].connection.info.port == int(SERVERS["replica1"]["PORT"])
    assert rows_on("replica1", "reviews_review", {review.pk}) == {review.pk}


def test_replica1_promoted_is_no_longer_read_as_a_replica(drill):
    drill()
    DOWN.down.clear()
    HEALTH.clear()
    assert check_health("replica1").problem == Promoted.problem


def test_synchronous_replication_loses_no_acknowledged_write(drill):
    """synchronous_commit on, synchronous_standby_names replica1: a commit is acknowledged
    once replica1 has flushed it, so even with its replay paused, the promotion replays it."""
    failover_script("sync", "replica1")
    with session_on("replica1") as standby:
        standby.execute("SELECT pg_wal_replay_pause()")
    acknowledged = write_reviews(20)
    drill()
    assert rows_on("replica1", "reviews_review", acknowledged) == acknowledged


def test_asynchronous_replication_loses_what_replica1_never_received(drill):
    """Every write the primary acknowledged while replica1 was cut off is gone after the
    failover: asynchronous replication acknowledges before any standby has it."""
    failover_script("cut")
    acknowledged = write_reviews(20)
    output = drill()
    assert rows_on("replica1", "reviews_review", acknowledged) == set()
    assert "replica2: received WAL past the fork point" in output


def test_the_old_primary_started_again_refuses_writes(drill):
    """The fence: the old primary started by mistake comes up read-only, and `default`
    keeps writing to replica1, though the old primary comes first in its host list."""
    drill()
    standby_script("start", "primary")
    with session_on("primary") as old, pytest.raises(Exception, match="read-only transaction"):
        old.execute("CREATE TABLE second_writer (id int)")
    disconnect("default")
    create_product()
    assert connections["default"].connection.info.port == int(SERVERS["replica1"]["PORT"])


def test_restore_gives_back_the_servers_of_postgres_up(drill):
    """Even after the hardest drill: replica2 rebuilt (it held WAL past the fork), the old
    primary rewound, and synchronous_standby_names set."""
    before = roles()
    failover_script("sync", "FIRST 1 (replica1, replica2)")
    failover_script("cut")
    write_reviews(5)
    drill()
    assert roles() != before
    drill.restore()
    assert roles() == before


def test_a_second_drill_before_the_restore_is_refused(drill):
    """A drill under way is said in one line, not run again over the fenced primary."""
    drill()
    with pytest.raises(subprocess.CalledProcessError) as refused:
        failover_script("drill")
    assert refused.value.stderr.strip() == "A drill is under way: make postgres-restore first."
