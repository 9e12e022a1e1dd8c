"""Two `replicate` runs at once, as `make demo`'s follower and a learner's own run: real
processes, in a copy of this project, while the primary is written."""

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import pytest

from common.project_copy import copy_of_the_project, manage

from .helpers import sqlite_only

HERE = Path(__file__).resolve().parent.parent
REPLICAS = ["replica1", "replica2"]
pytestmark = sqlite_only
COUNT = "SELECT COUNT(*) FROM reviews_review"
REVIEW = (
    "INSERT INTO reviews_review (product_id, author_id, rating, text, created) "
    "VALUES (1, 1, 3, ?, '2026-05-01 10:00:00')"
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """`replicate --follow` paused in the middle of a copy, as a busy machine may pause
    it, and a one-off `replicate` started meanwhile, while a writer adds reviews: what
    both printed, the reviews a reader found in each replica all along, and any error
    the writer or the reader met."""
    project = copy_of_the_project(HERE, tmp_path_factory.mktemp("repo"))
    manage(project, "setup_demo", "--reset")
    grow(project / "default.sqlite3")  # a copy long enough to be caught under way
    seen = SimpleNamespace(project=project, counts={a: [] for a in REPLICAS}, errors=[])
    done = threading.Event()
    helpers = [
        threading.Thread(target=until, args=(done, seen.errors, write, project)),
        threading.Thread(target=until, args=(done, seen.errors, read, project, seen.counts)),
    ]
    for helper in helpers:
        helper.start()
    follow = start(project, "--follow", "--interval", "0.1")
    try:
        building = project / f"replica1.sqlite3.{follow.pid}.new"
        paused_mid_copy(follow, building)
        one_off = start(project)
        # It copies and ends, or says it waits for the paused run.
        first = one_off.stdout.readline()
        if first.startswith("replica1:"):
            one_off.wait(timeout=60)
        seen.overlapped = building.exists()  # the paused copy, still under way
        follow.send_signal(signal.SIGCONT)
        rest, errors = one_off.communicate(timeout=60)
        seen.one_off = (one_off.returncode, first + rest, errors)
        # Its copy swapped in, then its next round: every copy of the paused one is in.
        wait_until(lambda: not building.exists())
        wait_until(lambda: under_way(building))
    finally:
        follow.send_signal(signal.SIGCONT)
        follow.send_signal(signal.SIGTERM)
        output, errors = follow.communicate(timeout=60)
        done.set()
        for helper in helpers:
            helper.join()
    seen.follow = (follow.returncode, output, errors)
    return seen


def start(project, *args):
    return subprocess.Popen(
        [sys.executable, "manage.py", "replicate", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def paused_mid_copy(process, building):
    """Stop the process (SIGSTOP) while its copy is under way, before it swaps it in."""
    while True:
        wait_until(lambda: under_way(building))
        process.send_signal(signal.SIGSTOP)
        if building.exists():
            return
        process.send_signal(signal.SIGCONT)


def under_way(building):
    """Whether a copy is being written into `building`, its snapshot of the primary taken:
    the file has pages."""
    try:
        return building.stat().st_size > 1 << 20
    except FileNotFoundError:
        return False


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s in vain"
        time.sleep(0.001)


def grow(primary, reviews=15_000):
    """About 20 MB of reviews: a copy takes a good part of a tenth of a second."""
    with closing(sqlite3.connect(primary)) as db, db:
        db.executemany(REVIEW, [("A long review. " * 90,)] * reviews)


def until(done, errors, step, *args):
    """Run the step again and again until done; note the first error and stop there."""
    try:
        while not done.is_set():
            step(*args)
    except sqlite3.Error as error:
        errors.append(f"{step.__name__}: {error}")


def write(project):
    """One review in a transaction of its own on the primary, as the site writes."""
    with closing(sqlite3.connect(project / "default.sqlite3", timeout=20)) as db, db:
        db.execute(REVIEW, ["Written during the copies."])


def read(project, counts):
    """Note the reviews each replica holds, opened anew, as a request of the site does."""
    for alias in REPLICAS:
        counts[alias].append(rows(project / f"{alias}.sqlite3", COUNT)[0][0])


def rows(path, query):
    """A query's rows, read from the SQLite file itself by a connection of its own."""
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return db.execute(query).fetchall()


def test_the_second_run_started_while_the_first_was_copying(runs):
    """The overlap is real: the first run's copy was still under way when the second
    had copied, or had said it waits."""
    assert runs.overlapped


def test_both_runs_copy_every_replica_and_exit_0(runs):
    """Neither run fails nor names a replica it could not copy."""
    assert (runs.follow[0], runs.follow[2]) == (0, "")
    returncode, output, errors = runs.one_off
    assert (returncode, errors) == (0, "")
    assert [line.split(":")[0] for line in output.splitlines()][-2:] == REPLICAS


def test_a_run_started_during_another_s_copy_says_it_waits_for_it(runs):
    """Two runs copy in turn; the one that waits says why it does not copy at once."""
    first = runs.one_off[1].splitlines()[0]
    assert first == "Another replicate is copying: waiting for it to finish."


def test_the_writer_and_the_reader_never_fail_while_two_runs_copy(runs):
    """No 'database is locked' for the writer, no missing or half file for the reader."""
    assert runs.errors == []


@pytest.mark.parametrize("alias", REPLICAS)
def test_every_replica_is_whole_after_two_runs_at_once(runs, alias):
    assert rows(runs.project / f"{alias}.sqlite3", "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.parametrize("alias", REPLICAS)
def test_every_replica_holds_the_primary_as_of_one_copy(runs, alias):
    """No mixture of two copies: the replica's reviews are the primary's, up to one."""
    query = "SELECT id, text FROM reviews_review ORDER BY id"
    copied = rows(runs.project / f"{alias}.sqlite3", query)
    primary = rows(runs.project / "default.sqlite3", query)
    assert copied == primary[: len(copied)]


def test_no_copy_under_way_is_left_beside_the_replicas(runs):
    """The follower, stopped in the middle of a copy, deletes the file it was building."""
    assert sorted(path.name for path in runs.project.glob("*.new")) == []


@pytest.mark.parametrize("alias", REPLICAS)
def test_a_replica_never_goes_back_to_an_older_copy(runs, alias):
    """A reader never sees a review vanish: a copy taken before another's is never
    swapped in after it, whichever run made each."""
    counts = runs.counts[alias]
    assert len(set(counts)) > 2  # it saw the setup's copy and both runs' copies
    assert counts == sorted(counts)
