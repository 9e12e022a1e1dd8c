"""`manage.py` as a learner runs it, in a copy of this project with its own SQLite files.

test_commands_in_place.py runs the same commands on the test databases, on either engine.
"""

import re
from pathlib import Path

import pytest

from common.project_checks import CommandChecks
from common.project_copy import copy_of_the_project, count, manage

from .helpers import sqlite_only

HERE = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """This pattern and the shared shell, copied side by side as in the repository."""
    return copy_of_the_project(HERE, tmp_path_factory.mktemp("repo"))


SHARD_FILES = [f"shard{n}.sqlite3" for n in range(1, 5)]
PAGE = "from django.test import Client; print(Client().get('/', HTTP_HOST='127.0.0.1').text)"


@sqlite_only
@pytest.mark.parametrize(
    "command, error",
    [
        (["shard_stats"], "The databases are not set up (no such table: shop_bucket)"),
        (["seed_reviews", "--count", "10"], "The databases are not set up (no such table"),
        (["reshard"], "no such table: shop_bucket: nothing is lost. Run setup_demo first"),
    ],
)
def test_commands_before_setup_demo_say_to_run_it(project, command, error):
    """`make test` leaves an empty default.sqlite3 behind (makemigrations opens it)."""
    for path in project.glob("*.sqlite3*"):
        path.unlink()
    (project / "default.sqlite3").touch()
    result = manage(project, *command)
    assert result.returncode == 1
    assert error in result.stderr
    assert "Traceback" not in result.stderr


@sqlite_only
def test_setup_demo_fills_each_file_with_its_own_data(project):
    result = manage(project, "setup_demo", "--reset")
    assert result.returncode == 0, result.stderr
    assert count(project / "default.sqlite3", "products_product") == 5
    reviews = [count(project / name, "reviews_review") for name in SHARD_FILES]
    assert reviews == [29, 10, 1, 0]
    assert "admin / admin" in result.stdout


@sqlite_only
def test_setup_demo_twice_changes_nothing(project):
    manage(project, "setup_demo", "--reset")
    result = manage(project, "setup_demo")
    assert result.returncode == 0, result.stderr
    assert "fixture not loaded again" in result.stdout
    assert count(project / "shard1.sqlite3", "reviews_review") == 29
    assert count(project / "default.sqlite3", "auth_user") == 5  # 4 reviewers and admin


@sqlite_only
def test_setup_demo_prints_one_line_a_step(project):
    lines = manage(project, "setup_demo", "--reset").stdout.splitlines()
    assert lines[:2] == ["default: deleted default.sqlite3", "tickets: deleted tickets.sqlite3"]
    assert "default: created an empty default.sqlite3" in lines
    assert "shard1: created an empty shard1.sqlite3" in lines
    migrated = r"shard1: migrate --database=shard1: \d+ migrations applied"
    assert any(re.fullmatch(migrated, line) for line in lines)
    assert "shard4: no demo fixture, it holds no buckets yet" in lines


@sqlite_only
def test_a_lost_shard_file_is_not_recreated_empty(project):
    """ "?mode=rw" in settings: SQLite refuses to open it rather than make a new one."""
    manage(project, "setup_demo", "--reset")
    (project / "shard2.sqlite3").rename(project / "lost.sqlite3")
    result = manage(project, "shell", "-c", PAGE)
    assert "shard2 is not available" in result.stdout
    assert not (project / "shard2.sqlite3").exists()
    (project / "lost.sqlite3").rename(project / "shard2.sqlite3")


@sqlite_only
def test_setup_demo_refuses_to_recreate_a_lost_shard_that_holds_reviews(project):
    """The map gives shard2 20 buckets: an empty file with the fixture would hide their loss."""
    manage(project, "setup_demo", "--reset")
    (project / "shard2.sqlite3").rename(project / "lost.sqlite3")
    result = manage(project, "setup_demo")
    (project / "shard2.sqlite3").unlink(missing_ok=True)
    (project / "lost.sqlite3").rename(project / "shard2.sqlite3")
    assert result.returncode == 1
    assert "shard2: shard2.sqlite3 is missing, and the bucket map gives it 20 buckets" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


OPEN = "from django.db import connections; connections[{alias!r}].ensure_connection()"


@sqlite_only
@pytest.mark.parametrize("alias", ["default", "tickets"])
def test_a_lost_default_or_tickets_file_is_not_recreated_empty(project, alias):
    """ "?mode=rw" in settings: a lost file is an error, never a new empty database (an
    empty tickets database would hand out the ids of reviews the shards hold again)."""
    manage(project, "setup_demo", "--reset")
    (project / f"{alias}.sqlite3").rename(project / "lost.sqlite3")
    try:
        result = manage(project, "shell", "-c", OPEN.format(alias=alias))
        assert "unable to open database file" in result.stderr
        assert not (project / f"{alias}.sqlite3").exists()
    finally:
        (project / "lost.sqlite3").rename(project / f"{alias}.sqlite3")


@sqlite_only
def test_setup_demo_refuses_to_recreate_lost_tickets(project):
    """A new tickets file would start the counter over, below the ids the shards hold."""
    manage(project, "setup_demo", "--reset")
    (project / "tickets.sqlite3").rename(project / "lost.sqlite3")
    result = manage(project, "setup_demo")
    created = (project / "tickets.sqlite3").exists()
    (project / "tickets.sqlite3").unlink(missing_ok=True)
    (project / "lost.sqlite3").rename(project / "tickets.sqlite3")
    assert result.returncode == 1
    assert "tickets: tickets.sqlite3 is missing" in result.stderr
    assert not created


@sqlite_only
def test_seed_then_stats_show_every_review(project):
    manage(project, "setup_demo", "--reset")
    seeded = manage(project, "seed_reviews", "--count", "3000", "--products", "50", "--seed", "1")
    assert "reviews: 3000/3000 (100%)" in seeded.stdout
    stats = manage(project, "shard_stats").stdout
    assert "total: 3040 reviews" in stats
    assert "shard4:  0 buckets,        0 reviews" in stats


@pytest.mark.parametrize("args", [["--count", "0"], ["--count", "x"], ["--products", "-1"]])
def test_seed_with_bad_numbers_is_refused_without_a_traceback(project, args):
    result = manage(project, "seed_reviews", *args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


@sqlite_only
def test_reshard_moves_a_quarter_of_the_buckets_then_nothing(project):
    manage(project, "setup_demo", "--reset")
    first = manage(project, "reshard").stdout.splitlines()
    assert len(first) == 15
    assert first[-1].startswith("[15/15] bucket 59: shard3 → shard4: ")
    # Product 1, 25 of the 40 demo reviews: shard1 gives up its rows down to the nearest
    # whole bucket to an even share, 10 (the buckets of products 2 and 4 would leave it 29).
    assert count(project / "shard4.sqlite3", "reviews_review") == 25
    assert "Nothing to move" in manage(project, "reshard").stdout


def test_project_refuses_to_start_with_debug_off_and_no_key(project):
    result = manage(project, "check", DJANGO_DEBUG="off")
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_project_starts_with_debug_off_and_a_key(project):
    result = manage(project, "check", DJANGO_DEBUG="off", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


class TestCommands(CommandChecks):
    """Every command's options have help, every model change its migration: the checks
    every pattern shares, on this project's commands and models."""

    status_before_migrate = (
        "CommandError: facts not read: no such table: shop_bucket (run migrate, then setup_demo)",
        2,
    )
