"""A write's position in the primary's history, and how far a replica has replayed it.

PostgreSQL numbers its history: the WAL position. It is read on the primary after the
write's commit has returned, in a statement of its own (``pg_current_wal_insert_lsn()``):
read inside the transaction, or in the same query string, it precedes the commit record,
and with ``synchronous_commit=off`` the write and flush positions lag the commit. A
standby says how far it has replayed (``pg_last_wal_replay_lsn()``). SQLite has no such
number, so the primary keeps one (``WriteCounter``), bumped each time a position is
taken; ``replicate`` copies it with the file, so a replica's copy says how far it reaches.

A position names the history it belongs to: PostgreSQL's system identifier (a standby
shares its primary's), or the id SQLite's counter row was made with. A primary built
anew starts another history, and a position of one never counts as reached in another.
"""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.core import signing
from django.db import connections

from .replicas import PRIMARY

_taking = ContextVar("taking_position", default=False)

# PostgreSQL's WAL pages (XLOG_BLCKSZ) and segments, as built by default, and the headers
# at the start of each (SizeOfXLogShortPHD, SizeOfXLogLongPHD).
WAL_PAGE, WAL_SEGMENT, PAGE_HEADER, SEGMENT_HEADER = 8192, 16 << 20, 24, 40

PRIMARY_SQL = {
    "postgresql": "SELECT (SELECT system_identifier FROM pg_control_system())::text, "
    "pg_current_wal_insert_lsn()::text",
    # RETURNING: the bump and its value in one statement, so no other writer comes between.
    "sqlite": 'INSERT INTO "shop_writecounter" ("id", "history", "count") VALUES (1, %s, 1) '
    'ON CONFLICT ("id") DO UPDATE SET "count" = "count" + 1 RETURNING "history", "count"',
}
REPLICA_SQL = {
    "postgresql": "SELECT (SELECT system_identifier FROM pg_control_system())::text, "
    "pg_last_wal_replay_lsn()::text",
    "sqlite": 'SELECT "history", "count" FROM "shop_writecounter" WHERE "id" = 1',
}


@dataclass(frozen=True)
class Position:
    """Where the primary's history stood: a WAL position in bytes, or SQLite's count."""

    history: str
    at: int

    def reached_by(self, replayed):
        """Whether a replica that has replayed up to ``replayed`` holds this position."""
        return replayed is not None and replayed.history == self.history and replayed.at >= self.at

    def __str__(self):
        if connections[PRIMARY].vendor == "sqlite":
            return f"write {self.at}"
        return f"{self.at >> 32:X}/{self.at & 0xFFFFFFFF:X}"


def wal_bytes(lsn):
    """'0/3000148' as a number of bytes."""
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def record_end(insert_lsn):
    """The end of the last record: when it ended a page, the insert position points past
    the next page's header, where a standby's replay, at the record's end, never gets
    until another record is written. No record ends right after a header."""
    position = wal_bytes(insert_lsn)
    if position % WAL_SEGMENT == SEGMENT_HEADER:
        return position - SEGMENT_HEADER
    if position % WAL_PAGE == PAGE_HEADER:
        return position - PAGE_HEADER
    return position


def primary_position():
    """The primary's position now: call it after the write's commit has returned."""
    connection = connections[PRIMARY]
    token = _taking.set(True)  # the SQLite bump is no write of the client's (shop/writes.py)
    try:
        with connection.cursor() as cursor:
            params = [uuid.uuid4().hex] if connection.vendor == "sqlite" else []
            cursor.execute(PRIMARY_SQL[connection.vendor], params)
            history, at = cursor.fetchone()
    finally:
        _taking.reset(token)
    return Position(history, record_end(at) if connection.vendor != "sqlite" else at)


def replayed_position(alias):
    """How far a replica has replayed, or None if it holds no position (one statement)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(REPLICA_SQL[connection.vendor])
        row = cursor.fetchone()
    if row is None or row[1] is None:  # no counter copied yet; or not a standby
        return None
    history, at = row
    return Position(history, wal_bytes(at) if connection.vendor != "sqlite" else at)


def taking_position():
    """Whether this context is taking the primary's position (its SQLite bump writes)."""
    return _taking.get()


SIGNER = signing.TimestampSigner(salt="shop.positions")


def as_token(position):
    """The position, signed and dated, for a cookie or a header."""
    return SIGNER.sign(f"{position.history}:{position.at}")


def from_token(token, max_age):
    """The position a token carries, or None if it is missing, forged, malformed or older
    than max_age seconds: never an error."""
    try:
        history, at = SIGNER.unsign(token or "", max_age=max_age).split(":")
        return Position(history, int(at))
    except (signing.BadSignature, ValueError):
        return None
