"""`manage.py db_status` shows each replication slot the PostgreSQL primary keeps for a
standby, and the primary bounds the WAL a slot may hold back (max_slot_wal_keep_size):
a standby left down never fills its disk. Uses default (the primary), replica1, replica2."""

import json

import pytest

from common.faults import read_outside, server_stopped
from common.testing import db_status

from .helpers import ALIASES, ON_POSTGRES

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.skipif(not ON_POSTGRES, reason="replication slots are PostgreSQL's"),
]


def slots():
    output, _ = db_status("--format", "json")
    return {slot["slot"]: slot for slot in json.loads(output)["facts"]["slots"]}


def test_the_primary_bounds_the_wal_a_slot_keeps():
    """PostgreSQL's default, -1, keeps WAL for an absent standby until the disk is full."""
    [(limit,)] = read_outside("default", "SHOW max_slot_wal_keep_size")
    assert limit != "-1"


def test_db_status_shows_each_standbys_slot_streaming():
    assert {name: slot["active"] for name, slot in slots().items()} == {
        "replica1": True,
        "replica2": True,
    }


def test_a_slot_whose_standby_is_down_is_inactive_and_still_kept():
    with server_stopped("replica2"):
        replica2 = slots()["replica2"]
    assert (replica2["active"], replica2["wal_status"]) == (False, "reserved")
    assert replica2["safe_wal_size"] > 0  # bytes the primary may write before it is lost


def test_db_status_says_how_much_wal_each_slot_holds_back():
    output, _ = db_status()
    [line] = [line for line in output.splitlines() if line.startswith("slot replica1:")]
    assert line.startswith("slot replica1: active, wal reserved from ")
    assert " holds back " in line
    assert line.endswith(" more before it is lost")
