"""The real snapshot.sqlite3, opened read-only as settings.py says, in a copy of this project.

Only take_snapshot changes its bytes; a write through the alias fails, whoever tries it.
"""

import pytest

from common.project_copy import count, manage

from .helpers import ON_POSTGRES
from .project_copy import EDITS, checksum, dump_of, this_project

pytestmark = pytest.mark.skipif(
    ON_POSTGRES,
    reason="the copy would share the demo's databases: test_readonly_postgres.py, "
    "test_commands_postgres.py and test_walkthrough.py prove the same on the test databases",
)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return this_project(tmp_path_factory)


@pytest.fixture
def demo(project):
    """A fresh setup_demo, then three local changes: one of each kind."""
    assert manage(project, "setup_demo", "--reset").returncode == 0
    assert manage(project, "shell", "-c", EDITS).returncode == 0
    return project


def test_a_raw_write_through_the_snapshot_alias_fails(demo):
    before = checksum(demo / "snapshot.sqlite3")
    sql = "from django.db import connections; connections['snapshot'].cursor().execute(%r)"
    result = manage(demo, "shell", "-c", sql % "DELETE FROM reviews_review")
    assert "attempt to write a readonly database" in result.stderr
    assert checksum(demo / "snapshot.sqlite3") == before


def test_trap_a_snapshot_row_saved_back_to_the_snapshot_fails(demo):
    script = (
        "from reviews.models import Review\n"
        "review = Review.objects.get(pk=3)\n"
        "print(review._state.db)\n"
        "try:\n"
        "    review.save(using='snapshot')\n"
        "except Exception as error:\n"
        "    print(type(error).__name__, error)\n"
        "review.save()\n"
        "print(review._state.db)\n"
    )
    assert manage(demo, "shell", "-c", script).stdout.splitlines()[-3:] == [
        "snapshot",
        "OperationalError attempt to write a readonly database",
        "default",
    ]


def test_trap_migrating_the_snapshot_stops_at_the_read_only_connection(demo):
    before = checksum(demo / "snapshot.sqlite3")
    result = manage(demo, "migrate", "--database=snapshot")
    assert result.returncode == 1
    assert (
        "Unable to create the django_migrations table (attempt to write a readonly database)"
        in result.stderr
    )
    assert checksum(demo / "snapshot.sqlite3") == before


def test_local_changes_and_commands_leave_the_snapshot_bytes_alone(project):
    manage(project, "setup_demo", "--reset")
    before = checksum(project / "snapshot.sqlite3")
    manage(project, "shell", "-c", EDITS)
    manage(project, "shadow_status", "-v", "2")
    manage(project, "shadow_reset", "--no-input")
    assert checksum(project / "snapshot.sqlite3") == before


def test_take_snapshot_lists_conflicts_and_keeps_local_changes(demo):
    result = manage(demo, "take_snapshot", "--from", dump_of(demo, "later").name)
    assert result.stdout.splitlines() == [
        "snapshot: later.sqlite3 copied into snapshot.sqlite3, masked",
        "conflict: products.Product 1 was changed locally, and production changed description",
        "conflict: reviews.Review 2 was deleted locally, and production changed text",
    ]
    assert count(demo / "snapshot.sqlite3", "reviews_review") == 41
    assert "1 added, 0 changed, 1 deleted" in manage(demo, "shadow_status").stdout


def test_take_snapshot_of_the_same_dump_has_no_conflicts(demo):
    result = manage(demo, "take_snapshot", "--from", dump_of(demo, "demo").name)
    assert result.stdout.splitlines()[-1] == (
        "no conflicts: production left every row you changed alone"
    )
