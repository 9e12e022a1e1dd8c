"""`manage.py` as a learner runs it, in a copy of this project with its own files.

On PostgreSQL the copy would share the demo's databases: test_commands_postgres.py runs
the same commands in place, on the test databases.
"""

import re
import sqlite3

import pytest

from common.faults import closed_port
from common.project_checks import CommandChecks
from common.project_copy import count, manage

from .helpers import ON_POSTGRES
from .project_copy import EDITS, checksum, older_shop, this_project

OPEN_DEFAULT = "from django.db import connection; connection.ensure_connection()"
in_a_copy = pytest.mark.skipif(
    ON_POSTGRES, reason="the copy would share the demo's databases: test_commands_postgres.py"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return this_project(tmp_path_factory)


@pytest.fixture(scope="module")
def untouched_demo(tmp_path_factory):
    """A project set up once, for commands that must leave it as it is."""
    project = this_project(tmp_path_factory)
    assert manage(project, "setup_demo").returncode == 0
    sqlite3.connect(project / "empty.sqlite3").close()
    older_shop(project / "old.sqlite3")
    return project


@pytest.fixture
def demo(project):
    """A fresh setup_demo, then three local changes: one of each kind."""
    assert manage(project, "setup_demo", "--reset").returncode == 0
    assert manage(project, "shell", "-c", EDITS).returncode == 0
    return project


@in_a_copy
def test_setup_demo_fills_each_file_with_its_own_data(project):
    result = manage(project, "setup_demo", "--reset")
    assert result.returncode == 0, result.stderr
    assert count(project / "snapshot.sqlite3", "products_product") == 5
    assert count(project / "snapshot.sqlite3", "reviews_review") == 40
    assert count(project / "default.sqlite3", "products_product") == 0  # no local changes
    assert count(project / "default.sqlite3", "auth_user") == 5  # 4 reviewers and admin
    assert "admin / admin" in result.stdout


@in_a_copy
def test_setup_demo_prints_one_line_a_step(project):
    lines = manage(project, "setup_demo", "--reset").stdout.splitlines()
    assert lines[:3] == [
        "default: deleted default.sqlite3",
        "snapshot: deleted snapshot.sqlite3",
        "default: created an empty default.sqlite3",
    ]
    assert re.fullmatch(r"default: migrate: \d+ migrations applied", lines[3])
    assert lines[4:6] == [
        "default: loaddata demo: Installed 4 object(s) from 1 fixture(s)",
        "snapshot: build_dump demo.snapshot.json, take_snapshot: 49 rows, masked, read-only",
    ]


@in_a_copy
def test_a_lost_default_file_is_not_recreated_empty(project):
    """ "?mode=rw" in settings: opening a lost default.sqlite3 fails, and SQLite makes
    no new empty database in its place."""
    manage(project, "setup_demo", "--reset")
    (project / "default.sqlite3").rename(project / "lost.sqlite3")
    try:
        result = manage(project, "shell", "-c", OPEN_DEFAULT)
        assert "unable to open database file" in result.stderr
        assert not (project / "default.sqlite3").exists()
    finally:
        (project / "lost.sqlite3").rename(project / "default.sqlite3")


@in_a_copy
def test_setup_demo_twice_leaves_the_snapshot_alone(project):
    manage(project, "setup_demo", "--reset")
    before = checksum(project / "snapshot.sqlite3")
    result = manage(project, "setup_demo")
    assert "snapshot: snapshot.sqlite3 exists, not replaced" in result.stdout
    assert "fixture not loaded again" in result.stdout
    assert checksum(project / "snapshot.sqlite3") == before


@in_a_copy
def test_the_setup_commands_by_hand_take_the_first_snapshot(project):
    """The README's Setup, without setup_demo: take_snapshot with no snapshot yet."""
    for path in project.glob("*.sqlite3*"):
        path.unlink()
    (project / "default.sqlite3").touch()  # the README's first step: ?mode=rw creates none
    for command in [
        ["migrate"],
        ["loaddata", "demo"],
        ["build_dump", "shop/fixtures/demo.snapshot.json", "production.sqlite3"],
        ["take_snapshot", "--from", "production.sqlite3"],
    ]:
        result = manage(project, *command)
        assert result.returncode == 0, result.stderr
    assert count(project / "snapshot.sqlite3", "reviews_review") == 40


@in_a_copy
def test_shadow_status_counts_each_kind_of_change(demo):
    result = manage(demo, "shadow_status")
    assert result.stdout.splitlines() == [
        "products.Product (overlay): 0 added, 1 changed, 0 deleted",
        "reviews.Review (overlay): 1 added, 0 changed, 1 deleted",
        "reviews.Reviewer (snapshot): 0 added, 0 changed, 0 deleted",
    ]


@in_a_copy
def test_shadow_status_verbose_says_which_rows_and_what_changed(demo):
    lines = manage(demo, "shadow_status", "-v", "2").stdout.splitlines()
    assert lines[1] == (
        "  changed 1: description 'A gooseneck kettle that pours a thin, steady stream.'"
        " -> 'Now in black.'"
    )
    assert lines[3:5] == [
        "  added 1000000000001: Review 1000000000001 of product 2",
        "  deleted 2",
    ]


@in_a_copy
def test_shadow_reset_of_one_model_leaves_the_others(demo):
    result = manage(demo, "shadow_reset", "reviews.Review", "--no-input")
    assert result.stdout.strip() == (
        "reviews.Review: 1 local row(s) and 1 tombstone(s) discarded; the snapshot shows through"
    )
    assert count(demo / "default.sqlite3", "reviews_review") == 0
    assert count(demo / "default.sqlite3", "shop_tombstone") == 0
    assert count(demo / "default.sqlite3", "products_product") == 1


@in_a_copy
def test_shadow_reset_discards_everything(demo):
    manage(demo, "shadow_reset", "--no-input")
    assert manage(demo, "shadow_status").stdout.count("0 added, 0 changed, 0 deleted") == 3


@in_a_copy
@pytest.mark.parametrize(
    "args, error",
    [
        (["take_snapshot", "--from", "nowhere.sqlite3"], "nowhere.sqlite3: no such file."),
        (["take_snapshot", "--from", "manage.py"], "manage.py is not a SQLite database"),
        (["take_snapshot", "--from", "empty.sqlite3"], "has no table products_product"),
        (["take_snapshot", "--from", "old.sqlite3"], "table products_product has no column"),
        (["take_snapshot", "--from", "default.sqlite3"], "holds auth_group, auth_group_perm"),
        (
            ["take_snapshot", "--from", "snapshot.sqlite3"],
            "snapshot.sqlite3 is the snapshot itself",
        ),
        (["take_snapshot"], "the following arguments are required: --from"),
        (["shadow_reset", "auth.User"], "auth.User is not shadowed"),
        (["shadow_reset", "shop.Nothing"], "Unknown model 'shop.Nothing'"),
        (["shadow_reset", "nonsense"], "Unknown model 'nonsense'"),
        (["shadow_reset", ""], "Unknown model ''"),
        (["build_dump", "none.json", "out.sqlite3"], "cannot read it as a JSON fixture"),
        (["build_dump", "shop/fixtures/demo.default.json", "x.sqlite3"], "holds auth.User"),
        (["build_dump", "shop/fixtures/demo.snapshot.json", "manage.py"], "exists already"),
        (["build_dump", "shop/fixtures/demo.snapshot.json", "no/x.sqlite3"], "no: no such folder."),
    ],
)
def test_bad_arguments_get_an_error_naming_the_problem(untouched_demo, args, error):
    before = checksum(untouched_demo / "snapshot.sqlite3")
    result = manage(untouched_demo, *args)
    assert result.returncode != 0
    assert error in result.stderr
    assert "Traceback" not in result.stderr
    assert checksum(untouched_demo / "snapshot.sqlite3") == before


@in_a_copy
@pytest.mark.parametrize("command", ["shadow_status", "shadow_reset"])
def test_commands_before_setup_demo_say_to_run_it(project, command):
    """`make test` leaves an empty default.sqlite3 behind (makemigrations opens it)."""
    for path in project.glob("*.sqlite3*"):
        path.unlink()
    (project / "default.sqlite3").touch()
    result = manage(project, command)
    assert result.returncode == 1
    assert "no such table" in result.stderr and "Run setup_demo." in result.stderr
    assert "Traceback" not in result.stderr


def test_project_refuses_to_start_with_debug_off_and_no_key(project):
    result = manage(project, "check", DJANGO_DEBUG="off")
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_project_starts_with_debug_off_and_a_key(project):
    result = manage(project, "check", DJANGO_DEBUG="off", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


def test_setup_demo_names_a_postgres_server_it_cannot_reach(project):
    pytest.importorskip("psycopg", reason="requirements-postgres.txt is not installed")
    port = closed_port()
    result = manage(project, "setup_demo", DEMO_DATABASE="postgres", DEMO_POSTGRES_PORT=port)
    assert result.returncode == 1
    assert "default: cannot connect" in result.stderr
    assert "make postgres-up first" in result.stderr
    assert "Traceback" not in result.stderr


class TestCommands(CommandChecks):
    """Every command's options have help, every model change its migration: the checks
    every pattern shares, on this project's commands and models."""

    set_up_demo = ("snapshot.sqlite3", "reviews_review", 40)
    status_before_migrate = (
        "CommandError: facts not read: no such table: products_product "
        "(run migrate, then setup_demo)",
        2,
    )
