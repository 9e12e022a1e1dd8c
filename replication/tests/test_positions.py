"""A position, its token and the WAL arithmetic are pure functions: no database needed."""

import pytest
from django.core import signing

from shop.positions import Position, as_token, from_token, record_end, wal_bytes

WRITE = Position("7716570228631621090", 1000)


def test_a_replica_that_replayed_as_far_holds_the_write():
    assert WRITE.reached_by(Position(WRITE.history, 1000))
    assert WRITE.reached_by(Position(WRITE.history, 1001))


def test_a_replica_short_of_the_write_does_not():
    assert not WRITE.reached_by(Position(WRITE.history, 999))


def test_a_replica_with_no_position_does_not():
    assert not WRITE.reached_by(None)


def test_a_position_of_another_history_is_never_reached():
    """A primary built anew starts counting again: its replica's count says nothing of
    the old primary's writes."""
    assert not WRITE.reached_by(Position("another", 10**9))


def test_a_wal_position_reads_as_bytes():
    assert wal_bytes("1/0000001A") == (1 << 32) + 26


def test_the_insert_position_past_a_page_header_is_the_end_of_the_page():
    """pg_current_wal_insert_lsn() points past the next page's header when the last
    record ended a page; a standby's replay stops at that end, and would never reach it."""
    assert record_end("0/2018") == 0x2000  # 8192 + 24: a page's short header
    assert record_end("0/1000028") == 0x1000000  # 16 MB + 40: a segment's long header
    assert record_end("0/2019") == 0x2019


def test_a_token_carries_its_position():
    assert from_token(as_token(WRITE), max_age=30) == WRITE


@pytest.mark.parametrize(
    "token",
    [None, "", "garbage", "1:2", "1:2:3:4", signing.dumps("x"), as_token(WRITE) + "0"],
)
def test_a_missing_malformed_or_forged_token_carries_nothing(token):
    assert from_token(token, max_age=30) is None


def test_a_token_signed_for_something_else_carries_nothing():
    signed = signing.TimestampSigner(salt="another.purpose").sign("1:2")
    assert from_token(signed, max_age=30) is None


def test_a_token_past_its_age_carries_nothing():
    assert from_token(as_token(WRITE), max_age=-1) is None
