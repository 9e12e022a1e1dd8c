"""On PostgreSQL, take_snapshot loads the dump beside the snapshot and swaps it in as it
commits: killed or failing, it leaves the old snapshot; readers never wait for it, and
see the old snapshot or the new one, never half of each. test_commands_take_snapshot.py
proves the same of SQLite's rename."""

import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections

from common.faults import postgres_session
from shop import snapshot

from .helpers import ALIASES, ON_POSTGRES, snapshot_checksum
from .project_copy import HERE

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="on SQLite: test_commands_take_snapshot.py"),
    pytest.mark.django_db(databases=["default", "snapshot"], transaction=True),
]

# take_snapshot in a process of its own (manage.py shell), on this suite's test databases.
IN_A_PROCESS = """
from django.conf import settings
from django.core.management import call_command
from django.db import connections
connections["default"].settings_dict["NAME"] = {default!r}
connections["snapshot"].settings_dict["NAME"] = {snapshot!r}
settings.SNAPSHOT_MASK_KEY_FILE = {key!r}
call_command("take_snapshot", "--from", {dump!r})
"""


@pytest.fixture
def demo_snapshot():
    """setup_demo's snapshot in the test database: 40 reviews."""
    call_command("setup_demo", "--reset", stdout=StringIO())


def later_dump(tmp_path, reviews=0):
    """The later demo dump (41 reviews), and as many more reviews as asked."""
    dump = tmp_path / "later.sqlite3"
    call_command("build_dump", "shop/fixtures/later.snapshot.json", dump, stdout=StringIO())
    if not reviews:
        return dump
    with closing(sqlite3.connect(dump)) as db, db:
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO reviews_review (id, product_id, author_id, rating, text, created) "
            "SELECT i, 1, 1, 4, 'More.', '2026-01-01 00:00:00' FROM n",
            [99 + reviews],
        )
    return dump


def take_snapshot_in_a_process(dump):
    default, snapshot = (str(connections[alias].settings_dict["NAME"]) for alias in ALIASES)
    key = str(settings.SNAPSHOT_MASK_KEY_FILE)  # the tests' own (conftest.py)
    code = IN_A_PROCESS.format(default=default, snapshot=snapshot, key=key, dump=str(dump))
    return subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=HERE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def snapshot_sessions(where):
    """How many sessions on the test snapshot database match `where` (pg_stat_activity)."""
    name = connections["snapshot"].settings_dict["NAME"]
    with postgres_session("snapshot", "postgres") as db:
        query = f"SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND {where}"
        return db.execute(query, [name]).fetchone()[0]


def wait_for(where, process):
    while not snapshot_sessions(where):
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)


def schemas():
    """The snapshot database's schemas: public, and any a load left beside it."""
    with postgres_session("snapshot") as db:
        query = "SELECT nspname FROM pg_namespace WHERE nspname LIKE ANY (%s) ORDER BY 1"
        return [name for (name,) in db.execute(query, [["public", "snapshot_%"]]).fetchall()]


def count_reviews():
    with postgres_session("snapshot") as db:
        return db.execute("SELECT count(*) FROM reviews_review").fetchone()[0]


def test_killed_mid_load_it_leaves_the_old_snapshot(demo_snapshot, tmp_path):
    """kill -9 inside the load's transaction: the server rolls it back, the old rows stay."""
    before = snapshot_checksum()
    process = take_snapshot_in_a_process(later_dump(tmp_path, reviews=50_000))
    wait_for("backend_xid IS NOT NULL", process)
    process.kill()
    process.communicate()
    assert snapshot_checksum() == before
    assert count_reviews() == 40
    assert schemas() == ["public"]  # the half-loaded schema rolled back with the rest


def test_a_reader_during_a_slow_load_reads_the_old_snapshot_at_once(demo_snapshot, tmp_path):
    """The load fills tables beside the snapshot's: a reader never waits for it (it
    waited for the whole load when the load dropped and refilled the tables)."""
    started = time.monotonic()
    process = take_snapshot_in_a_process(later_dump(tmp_path, reviews=50_000))
    wait_for("backend_xid IS NOT NULL", process)
    with postgres_session("snapshot") as reader:
        reader.execute("SET lock_timeout = '60s'")  # bounded, and far above the load
        asking = time.monotonic()
        assert reader.execute("SELECT count(*) FROM reviews_review").fetchone()[0] == 40
        waited = time.monotonic() - asking
    _, stderr = process.communicate(timeout=120)
    loading = time.monotonic() - started
    assert process.returncode == 0, stderr
    assert waited < loading / 10, (waited, loading)
    assert count_reviews() == 41 + 50_000


@pytest.mark.parametrize("stop, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_stopped_mid_load_it_says_so_in_one_line(demo_snapshot, tmp_path, stop, code):
    """Ctrl-C or SIGTERM inside the load: one line, no traceback, the old rows."""
    before = snapshot_checksum()
    process = take_snapshot_in_a_process(later_dump(tmp_path, reviews=50_000))
    wait_for("backend_xid IS NOT NULL", process)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr.splitlines() == [
        f"CommandError: stopped by {stop.name}: test_shadowing_snapshot was not replaced."
    ]
    assert snapshot_checksum() == before


def test_a_reader_open_across_the_load_never_waits_and_the_old_tables_wait_for_it(
    demo_snapshot, tmp_path
):
    """A read transaction holds the old tables: the load swaps the new ones in without
    waiting for it, the reader's next statement finds them, and only the old tables'
    drop waits for the reader to end. No statement sees half of each."""
    with postgres_session("snapshot") as reader:
        with reader.transaction():
            assert reader.execute("SELECT count(*) FROM reviews_review").fetchone()[0] == 40
            process = take_snapshot_in_a_process(later_dump(tmp_path))
            wait_for("wait_event_type = 'Lock'", process)  # DROP SCHEMA snapshot_old
            assert reader.execute("SELECT count(*) FROM reviews_review").fetchone()[0] == 41
        stdout, stderr = process.communicate(timeout=60)  # closes its pipes, unlike wait()
        assert process.returncode == 0, stderr
    assert "dropped next time" not in stdout
    assert schemas() == ["public"]


def test_old_tables_read_past_the_lock_timeout_are_dropped_by_the_next_load(
    demo_snapshot, tmp_path, monkeypatch
):
    monkeypatch.setattr(snapshot, "LOCK_TIMEOUT", "100ms")
    dump, output = later_dump(tmp_path), StringIO()
    with postgres_session("snapshot") as reader:
        with reader.transaction():
            reader.execute("SELECT count(*) FROM reviews_review")
            call_command("take_snapshot", "--from", dump, stdout=output)
            assert schemas() == ["public", "snapshot_old"]
    assert "(the old one, still read, is dropped next time)" in output.getvalue()
    call_command("take_snapshot", "--from", dump, stdout=StringIO())
    assert schemas() == ["public"]


def test_a_load_that_fails_ends_in_one_line_and_the_old_snapshot(demo_snapshot, tmp_path):
    """A value PostgreSQL cannot read (SQLite keeps any text anywhere) rolls back the load."""
    dump = later_dump(tmp_path)
    with closing(sqlite3.connect(dump)) as db, db:
        db.execute("UPDATE reviews_review SET created = 'last week' WHERE id = 41")
    before = snapshot_checksum()
    with pytest.raises(CommandError, match="invalid input syntax for type timestamp") as failed:
        call_command("take_snapshot", "--from", dump, stdout=StringIO())
    assert str(failed.value).startswith("cannot load test_shadowing_snapshot (")
    assert str(failed.value).endswith("): the snapshot was not replaced.")
    assert snapshot_checksum() == before


def test_a_dump_with_a_column_the_models_do_not_read_loads(demo_snapshot, tmp_path):
    """A dump from production a release ahead loads: its extra column is left out."""
    dump = later_dump(tmp_path)
    with closing(sqlite3.connect(dump)) as db, db:
        db.execute("ALTER TABLE products_product ADD COLUMN colour text")
    call_command("take_snapshot", "--from", dump, stdout=StringIO())
    assert count_reviews() == 41
