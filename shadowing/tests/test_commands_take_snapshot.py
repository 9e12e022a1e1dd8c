"""take_snapshot swaps the snapshot whole, in a copy of this project: killed, stopped or
failing half-way, it leaves the old snapshot as it was; a reader sees the old or the new.

test_commands_take_snapshot_postgres.py proves the same of PostgreSQL's swap of schemas.
"""

import logging
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest

from common.project_copy import manage
from shop.management.commands.take_snapshot import Stopped, stopped_by_signals

from .helpers import ON_POSTGRES
from .project_copy import checksum, dump_of, start, this_project

pytestmark = pytest.mark.skipif(
    ON_POSTGRES, reason="the copy would share the demo's databases: test_commands_postgres.py"
)

MANY = 100_000  # reviews: a dump that takes take_snapshot a while to copy


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = this_project(tmp_path_factory)
    assert manage(project, "setup_demo").returncode == 0
    big = dump_of(project, "later")
    with closing(sqlite3.connect(big)) as db, db:
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO reviews_review (id, product_id, author_id, rating, text, created) "
            "SELECT i, 1, 1, 4, printf('%0500d', i), '2026-01-01 00:00:00' FROM n",
            [MANY],
        )
    return project


@pytest.fixture
def demo(project):
    """The demo's snapshot, taken afresh: 40 reviews."""
    assert manage(project, "setup_demo", "--reset").returncode == 0
    return project


def read_snapshot(project):
    """The snapshot's reviews, counted as the site reads them: a read-only connection."""
    uri = f"{(project / 'snapshot.sqlite3').as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        return db.execute("SELECT COUNT(*) FROM reviews_review").fetchone()[0]


def started_copying(project):
    """take_snapshot, returned as soon as a file appears beside the snapshot: it is copying."""
    process = start(project, "take_snapshot", "--from", "later.sqlite3")
    while not list(project.glob("snapshot.sqlite3?*")):
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.005)
    return process


def test_killed_mid_copy_it_leaves_the_old_snapshot_whole(demo):
    """kill -9 mid-copy leaves the old snapshot readable, no journal; the next run clears up."""
    before = checksum(demo / "snapshot.sqlite3")
    process = started_copying(demo)
    process.kill()
    process.communicate()
    assert checksum(demo / "snapshot.sqlite3") == before
    assert read_snapshot(demo) == 40
    assert not (demo / "snapshot.sqlite3-journal").exists()
    assert manage(demo, "take_snapshot", "--from", "later.sqlite3").returncode == 0
    assert [path.name for path in demo.glob("snapshot.sqlite3*")] == ["snapshot.sqlite3"]


@pytest.mark.parametrize("stop, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_stopped_mid_copy_it_says_so_in_one_line(demo, stop, code):
    """Ctrl-C or SIGTERM mid-copy: one line, no traceback, the old snapshot, nothing beside."""
    before = checksum(demo / "snapshot.sqlite3")
    process = started_copying(demo)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr.splitlines() == [
        f"CommandError: stopped by {stop.name}: snapshot.sqlite3 was not replaced."
    ]
    assert checksum(demo / "snapshot.sqlite3") == before
    assert [path.name for path in demo.glob("snapshot.sqlite3*")] == ["snapshot.sqlite3"]


def test_a_stop_silences_psycopgs_warning_of_the_statement_it_cancelled(caplog):
    """psycopg warns as it tears down the pipeline a SIGTERM cancelled ("error ignored
    terminating ..."): the command's own line is the one line (seen once in CI, on
    PostgreSQL, as a second line before it)."""
    with pytest.raises(Stopped), stopped_by_signals():
        try:
            signal.raise_signal(signal.SIGTERM)
        finally:
            logging.getLogger("psycopg").warning(
                "error ignored terminating %r: %s", "<Pipeline>", "canceling statement"
            )
    assert "error ignored" not in caplog.text


def test_a_full_disk_ends_in_one_line_and_the_old_snapshot(demo):
    """A write that fails (a file size limit, as a full disk) is one CommandError line."""
    before = checksum(demo / "snapshot.sqlite3")
    result = subprocess.run(
        [sys.executable, "manage.py", "take_snapshot", "--from", "later.sqlite3"],
        cwd=demo,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (10**6, 10**6)),
    )
    assert result.returncode == 1
    assert result.stderr.startswith("CommandError: cannot write snapshot.sqlite3 (")
    assert result.stderr.strip().endswith("the snapshot was not replaced.")
    assert "Traceback" not in result.stderr
    assert checksum(demo / "snapshot.sqlite3") == before
    assert read_snapshot(demo) == 40


def test_a_reader_open_across_the_swap_reads_the_old_snapshot_to_its_end(demo):
    """A read open across the swap keeps the old rows, unwaited for; the next reads the new."""
    uri = f"{(demo / 'snapshot.sqlite3').as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, isolation_level=None)) as reader:
        reader.execute("BEGIN")
        assert reader.execute("SELECT COUNT(*) FROM reviews_review").fetchone()[0] == 40
        process = start(demo, "take_snapshot", "--from", "later.sqlite3")
        _, stderr = process.communicate(timeout=90)  # closes its pipes, unlike wait()
        assert process.returncode == 0, stderr
        assert reader.execute("SELECT COUNT(*) FROM reviews_review").fetchone()[0] == 40
        reader.execute("COMMIT")
    assert read_snapshot(demo) == 41 + MANY - 99


def test_a_connection_opened_before_the_swap_reads_the_old_snapshot_until_it_closes(demo):
    """Outside a transaction too: the connection holds the old file open (the README's shell)."""
    uri = f"{(demo / 'snapshot.sqlite3').as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as before_the_swap:
        assert before_the_swap.execute("SELECT COUNT(*) FROM reviews_review").fetchone()[0] == 40
        assert manage(demo, "take_snapshot", "--from", "later.sqlite3").returncode == 0
        assert before_the_swap.execute("SELECT COUNT(*) FROM reviews_review").fetchone()[0] == 40
    assert read_snapshot(demo) == 41 + MANY - 99
