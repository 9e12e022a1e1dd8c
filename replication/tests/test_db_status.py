"""`manage.py db_status` on replication: how old each replica's copy is, where reads go
now; a replica down or too far behind leaves the site degraded (exit 1), the primary
down fails the call (exit 2)."""

import json
import time

import pytest

from common.db_status import CONNECT_TIMEOUT
from common.faults import server_stopped
from common.testing import db_status

from .helpers import ALIASES, ON_POSTGRES, database_missing, make_replica_lag

pytestmark = pytest.mark.django_db(databases=ALIASES, transaction=True)


def test_fresh_replicas_serve_reads_in_turn(replicas):
    """Just copied, every replica is usable, and the reads take turns between them."""
    output, code = db_status("--format", "json")
    facts = json.loads(output)["facts"]
    assert code == 0
    assert facts["reads_from"] == ["replica1", "replica2"]
    assert all(replica["lag_seconds"] < 30 for replica in facts["replicas"].values())


def test_a_stale_replica_is_skipped(replicas):
    """A copy older than REPLICA_MAX_LAG_SECONDS is named with why, and reads go elsewhere."""
    make_replica_lag("replica1", 120)
    output, _ = db_status()
    [replica1] = [line for line in output.splitlines() if line.startswith("replica1:")]
    assert replica1.startswith("replica1: skipped: its copy is 12")
    assert replica1.endswith("s old, over REPLICA_MAX_LAG_SECONDS (30)")
    assert "reads now: replica2" in output.splitlines()


def test_a_stale_replica_leaves_the_site_degraded(replicas):
    """Exit 1: the site serves, its reads from fewer replicas."""
    make_replica_lag("replica1", 120)
    output, code = db_status("--format", "json")
    assert (code, json.loads(output)["status"]) == (1, "degraded")


def test_a_replica_down_is_degraded_not_down(replicas, tmp_path):
    """A stopped replica (or standby) is "down" in one call, and the command exits 1, not
    2: its reads go to another replica or the primary."""
    with database_missing("replica1", tmp_path):
        output, code = db_status("--format", "json")
    status = json.loads(output)
    replica1 = status["aliases"][ALIASES.index("replica1")]
    assert (code, status["status"], replica1["up"], replica1["needed"]) == (
        1,
        "degraded",
        False,
        False,
    )
    assert status["facts"]["replicas"]["replica1"]["skipped"] == "it is down"


def test_the_primary_down_is_down(replicas, tmp_path):
    """Without the primary nothing can be written: exit 2."""
    with database_missing("default", tmp_path):
        _, code = db_status()
    assert code == 2


@pytest.mark.skipif(not ON_POSTGRES, reason="a real standby server, stopped")
def test_a_stopped_standby_is_down_within_one_call(replicas):
    """postgres/standby.sh stop replica2: that alias is down in one call, within the
    connect timeout, and reads go to the other replica."""
    with server_stopped("replica2"):
        start = time.monotonic()
        output, code = db_status("--format", "json")
        elapsed = time.monotonic() - start
    status = json.loads(output)
    assert elapsed < CONNECT_TIMEOUT + 2
    assert [report["up"] for report in status["aliases"]] == [True, True, False]
    assert (code, status["facts"]["reads_from"]) == (1, ["replica1"])
