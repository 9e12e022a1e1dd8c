"""`manage.py db_status` on shadowing: the snapshot's age, the local changes and their
tombstones; the snapshot or the local database down fails the call (exit 2). Neither
can the site do without, so it is never degraded (exit 1)."""

import json

import pytest

from common.faults import database_missing
from common.testing import db_status

from .helpers import create_product, snapshot_missing, snapshot_product, snapshot_review

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


def test_local_changes_and_tombstones_are_counted():
    """A local product added, a snapshot review deleted: one added, one tombstone."""
    snapshot_product()
    snapshot_review(1).delete()
    create_product()
    output, code = db_status("--format", "json")
    changes = json.loads(output)["facts"]["local_changes"]
    assert code == 0
    assert (changes["products.Product"]["added"], changes["products.Product"]["deleted"]) == (1, 0)
    assert (changes["reviews.Review"]["added"], changes["reviews.Review"]["deleted"]) == (0, 1)


def test_the_snapshot_age_is_shown():
    """The snapshot's time, as take_snapshot recorded it, and how long ago that was."""
    output, _ = db_status()
    [line] = [line for line in output.splitlines() if line.startswith("snapshot: ")]
    assert line.startswith("snapshot: taken 20") and line.endswith(" ago")


def test_the_snapshot_down_fails_the_call(tmp_path):
    """Without its snapshot the site shows only local rows: a needed database, exit 2."""
    with snapshot_missing(tmp_path):
        output, code = db_status()
    assert code == 2
    assert any(line.startswith("snapshot  down: ") for line in output.splitlines())


def test_the_snapshot_is_not_called_migrated():
    """The router migrates nothing into the snapshot: its tables are production's."""
    output, _ = db_status()
    [line] = [line for line in output.splitlines() if line.startswith("snapshot  up")]
    assert line.endswith("never migrated: production's tables")


def test_the_local_database_down_fails_the_call(tmp_path):
    """The local changes, users and sessions live on "default": exit 2."""
    with database_missing("default", tmp_path):
        output, code = db_status("--format", "json")
    assert (code, json.loads(output)["status"]) == (2, "down")
