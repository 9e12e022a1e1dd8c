"""`manage.py` as a learner runs it: in a copy of this project with its own SQLite files,
and in place on the test databases."""

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from common.faults import closed_port
from common.project_checks import CommandChecks
from common.project_copy import copy_of_the_project, count, manage
from products.models import Product
from reviews.models import Review

from .helpers import ALIASES, ON_POSTGRES, create_product, replicate, rows_per_alias, sqlite_only

HERE = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """This pattern and the shared shell, copied side by side as in the repository, with
    the Makefile and the requirements it checks."""
    root = tmp_path_factory.mktemp("repo")
    for name in ["Makefile", "requirements.txt"]:
        shutil.copy2(HERE.parent / name, root)
    return copy_of_the_project(HERE, root)


OPEN_DEFAULT = "from django.db import connection; connection.ensure_connection()"


@sqlite_only
@pytest.mark.parametrize("name", ["default", "replica1", "replica2"])
def test_setup_demo_fills_the_primary_and_replicates_it(project, name):
    result = manage(project, "setup_demo", "--reset")
    assert result.returncode == 0, result.stderr
    assert count(project / f"{name}.sqlite3", "products_product") == 5
    assert count(project / f"{name}.sqlite3", "reviews_review") == 40
    assert "admin / admin" in result.stdout


@sqlite_only
def test_setup_demo_twice_changes_nothing(project):
    manage(project, "setup_demo", "--reset")
    result = manage(project, "setup_demo")
    assert result.returncode == 0, result.stderr
    assert "fixture not loaded again" in result.stdout
    assert count(project / "replica1.sqlite3", "reviews_review") == 40
    assert count(project / "default.sqlite3", "auth_user") == 5  # 4 reviewers and admin


@sqlite_only
def test_setup_demo_prints_one_line_a_step(project):
    lines = manage(project, "setup_demo", "--reset").stdout.splitlines()
    assert lines[:4] == [
        "default: deleted default.sqlite3",
        "replica1: deleted replica1.sqlite3",
        "replica2: deleted replica2.sqlite3",
        "default: created an empty default.sqlite3",
    ]
    assert re.fullmatch(r"default: migrate --database=default: \d+ migrations applied", lines[4])
    assert re.fullmatch(r"replica1: copied \d+ pages, heartbeat \d\d:\d\d:\d\d", lines[-3])
    assert re.fullmatch(r"replica2: copied \d+ pages, heartbeat \d\d:\d\d:\d\d", lines[-2])


@sqlite_only
def test_a_lost_primary_file_is_not_recreated_empty(project):
    """ "?mode=rw" in settings: opening a lost default.sqlite3 fails, and SQLite makes
    no new empty primary in its place."""
    manage(project, "setup_demo", "--reset")
    (project / "default.sqlite3").rename(project / "lost.sqlite3")
    try:
        result = manage(project, "shell", "-c", OPEN_DEFAULT)
        assert "unable to open database file" in result.stderr
        assert not (project / "default.sqlite3").exists()
    finally:
        (project / "lost.sqlite3").rename(project / "default.sqlite3")


@sqlite_only
def test_reset_starts_over(project):
    manage(project, "setup_demo", "--reset")
    with closing(sqlite3.connect(project / "default.sqlite3")) as db, db:
        db.execute("DELETE FROM reviews_review")
    manage(project, "setup_demo", "--reset")
    assert count(project / "default.sqlite3", "reviews_review") == 40


@sqlite_only
def test_replicate_before_setup_names_the_missing_primary(project):
    (project / "default.sqlite3").unlink(missing_ok=True)
    result = manage(project, "replicate")
    assert result.returncode == 1
    assert "default.sqlite3 does not exist: run setup_demo" in result.stderr
    assert not (project / "default.sqlite3").exists()


@sqlite_only
def test_replicate_names_a_primary_without_tables(project):
    """`make test` leaves an empty default.sqlite3 behind (makemigrations opens it)."""
    (project / "default.sqlite3").unlink(missing_ok=True)
    (project / "default.sqlite3").touch()
    result = manage(project, "replicate")
    assert result.returncode == 1
    assert "The primary is not set up (no such table: shop_heartbeat): run setup_demo." in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


@sqlite_only
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_replicate_follow_copies_every_interval_until_stopped(project, stop):
    """SIGTERM stops it as Ctrl-C does: a background job ignores SIGINT (`make test &`,
    nohup), and `kill`, a service manager or the end of `make demo` send SIGTERM."""
    manage(project, "setup_demo", "--reset")
    follow = subprocess.Popen(
        [sys.executable, "manage.py", "replicate", "--follow", "--interval", "0.2"],
        cwd=project,
        stdout=subprocess.PIPE,
        text=True,
        # Ctrl-C's SIGINT at its default, as in a terminal, even when this suite is not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines = [follow.stdout.readline() for _ in range(6)]  # three rounds of two copies
    follow.send_signal(stop)
    rest, _ = follow.communicate(timeout=30)
    assert [line.split(":")[0] for line in lines] == ["replica1", "replica2"] * 3
    assert rest.strip() == "Stopped: the replicas now fall behind the primary."
    assert follow.returncode == 0


@sqlite_only
def test_replicate_follow_carries_on_past_a_broken_replica(project):
    """A replica overwritten while it follows is replaced, and the other one still copied."""
    manage(project, "setup_demo", "--reset")
    follow = subprocess.Popen(
        [sys.executable, "manage.py", "replicate", "--follow", "--interval", "0.2"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = [follow.stdout.readline() for _ in range(2)]
    (project / "replica1.sqlite3").write_bytes(b"not a database\n")
    lines += [follow.stdout.readline() for _ in range(6)]
    follow.send_signal(signal.SIGTERM)
    _, errors = follow.communicate(timeout=30)
    assert [line.split(":")[0] for line in lines] == ["replica1", "replica2"] * 4
    assert errors == ""  # the next copy is swapped in over it: nothing to report
    assert count(project / "replica1.sqlite3", "reviews_review") == 40


@sqlite_only
def test_make_demo_keeps_the_replicas_copied_and_ctrl_c_stops_everything(project):
    """The walkthrough needs no second terminal, and Ctrl-C leaves no follower behind."""
    environment = {key: value for key, value in os.environ.items() if "MAKE" not in key}
    demo = subprocess.Popen(  # this venv, already installed: -o skips the pip step
        ["make", "demo", "PATTERN=replication", f"VENV={sys.prefix}", f"PORT={closed_port()}"]
        + ["-o", f"{sys.prefix}/.installed"],
        cwd=project.parent,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # As a terminal starts it, even when this suite runs in the background: a group
        # of its own, for Ctrl-C to reach, with SIGINT's default action.
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        for line in demo.stdout:  # setup_demo's steps, then the server's
            if line.startswith("Ready:"):
                break
        ready = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
        assert heartbeat_after(project / "replica1.sqlite3", ready, timeout=20)
        os.killpg(demo.pid, signal.SIGINT)  # what Ctrl-C sends: the whole group
        rest, _ = demo.communicate(timeout=30)
    finally:
        group_ended = wait_for_group_to_end(demo.pid)
        if not group_ended:
            os.killpg(demo.pid, signal.SIGKILL)
    assert "Stopped: the replicas now fall behind the primary." in rest
    assert group_ended


def heartbeat_after(path, moment, timeout):
    """Whether a copy made after the moment reaches the replica's file in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as replica, replica:
            (beat,) = replica.execute("SELECT beat FROM shop_heartbeat").fetchone()
        replica.close()
        if beat > moment:
            return True
        time.sleep(0.1)
    return False


def wait_for_group_to_end(group, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_project_refuses_to_start_with_debug_off_and_no_key(project):
    result = manage(project, "check", DJANGO_DEBUG="off")
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_project_refuses_an_unknown_read_your_writes_strategy(project):
    result = manage(project, "check", REPLICATION_READ_YOUR_WRITES="sometimes")
    assert result.returncode == 1
    assert "REPLICATION_READ_YOUR_WRITES is 'sometimes': choose none" in result.stderr
    assert "Traceback" not in result.stderr


def test_project_starts_with_debug_off_and_a_key(project):
    result = manage(project, "check", DJANGO_DEBUG="off", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_setup_demo_fills_the_primary_and_every_replica_in_place(replicas):
    call_command("setup_demo", stdout=StringIO())
    replicate()  # on PostgreSQL: until the standby has replayed it all
    assert rows_per_alias(Review) == {"default": 40, "replica1": 40, "replica2": 40}


@pytest.mark.skipif(not ON_POSTGRES, reason="on SQLite, --reset deletes the files")
@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_reset_on_postgres_empties_the_primary_and_the_standby_follows(replicas):
    create_product("Scale")
    output = StringIO()
    call_command("setup_demo", "--reset", stdout=output)
    assert "default: flush --database=default: every table emptied" in output.getvalue()
    replicate()
    assert rows_per_alias(Product) == {"default": 5, "replica1": 5, "replica2": 5}


def test_setup_demo_names_a_postgres_server_it_cannot_reach(project):
    pytest.importorskip("psycopg", reason="requirements-postgres.txt is not installed")
    port = closed_port()  # a port where nothing listens
    result = manage(project, "setup_demo", DEMO_DATABASE="postgres", DEMO_POSTGRES_PORT=port)
    assert result.returncode == 1
    assert "default: cannot connect" in result.stderr
    assert "make postgres-up first" in result.stderr
    assert "Traceback" not in result.stderr


class TestCommands(CommandChecks):
    """Every command's options have help, every model change its migration: the checks
    every pattern shares, on this project's commands and models."""

    status_before_migrate = (
        "CommandError: degraded: replica1: it cannot be read: no such table: shop_heartbeat; "
        "replica2: it cannot be read: no such table: shop_heartbeat",
        1,
    )
