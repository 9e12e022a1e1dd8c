"""`manage.py` as a learner runs it: in a copy of this project with its own SQLite files,
and in place on the test databases."""

import json
import re
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from common.faults import closed_port
from common.project_checks import CommandChecks
from common.project_copy import copy_of_the_project, count, manage
from products.models import Product
from reviews.models import Review

from .helpers import (
    ALIASES,
    ON_POSTGRES,
    create_author,
    create_product,
    create_review,
    rows_per_alias,
    sqlite_only,
)

HERE = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """This pattern and the shared shell, copied side by side as in the repository."""
    return copy_of_the_project(HERE, tmp_path_factory.mktemp("repo"))


# The product list through the site: its status and the alias the 503 page names (the
# test environment records the page's context).
PAGE = (
    "from django.test import Client; from django.test.utils import setup_test_environment; "
    "setup_test_environment(); r = Client().get('/'); "
    "print(r.status_code, r.context and r.context.get('alias'))"
)


@sqlite_only
def test_setup_demo_fills_each_file_with_its_own_data(project):
    result = manage(project, "setup_demo", "--reset")
    assert result.returncode == 0, result.stderr
    assert count(project / "default.sqlite3", "products_product") == 5
    assert count(project / "reviews.sqlite3", "reviews_review") == 40
    assert "admin / admin" in result.stdout


@sqlite_only
def test_setup_demo_twice_changes_nothing(project):
    manage(project, "setup_demo", "--reset")
    result = manage(project, "setup_demo")
    assert result.returncode == 0, result.stderr
    assert "fixture not loaded again" in result.stdout
    assert count(project / "reviews.sqlite3", "reviews_review") == 40
    assert count(project / "default.sqlite3", "auth_user") == 5  # 4 reviewers and admin


@sqlite_only
def test_setup_demo_prints_one_line_a_step(project):
    lines = manage(project, "setup_demo", "--reset").stdout.splitlines()
    assert lines[:4] == [
        "default: deleted default.sqlite3",
        "default: created an empty default.sqlite3",
        "reviews: deleted reviews.sqlite3",
        "reviews: created an empty reviews.sqlite3",
    ]
    assert re.fullmatch(r"default: migrate --database=default: \d+ migrations applied", lines[4])
    assert re.fullmatch(r"reviews: migrate --database=reviews: \d+ migrations applied", lines[5])


@sqlite_only
def test_setup_demo_makes_a_fresh_demo_from_nothing(project):
    """The settings never let SQLite create a file ("?mode=rw"): setup_demo does, once."""
    for leftover in project.glob("*.sqlite3*"):
        leftover.unlink()
    result = manage(project, "setup_demo")
    assert result.returncode == 0, result.stderr
    assert "reviews: created an empty reviews.sqlite3" in result.stdout
    assert count(project / "reviews.sqlite3", "reviews_review") == 40


@sqlite_only
@pytest.mark.parametrize("alias", ALIASES)
def test_a_lost_file_is_not_recreated_empty(project, alias):
    """ "?mode=rw" in settings: the site answers 503 naming the alias, and SQLite makes
    no new empty file where the lost one was."""
    manage(project, "setup_demo", "--reset")
    (project / f"{alias}.sqlite3").rename(project / "lost.sqlite3")
    try:
        result = manage(project, "shell", "--verbosity=0", "-c", PAGE)
        assert result.stdout.split() == ["503", alias]
        assert not (project / f"{alias}.sqlite3").exists()
    finally:
        (project / "lost.sqlite3").rename(project / f"{alias}.sqlite3")


@sqlite_only
def test_reset_starts_over(project):
    manage(project, "setup_demo", "--reset")
    with closing(sqlite3.connect(project / "reviews.sqlite3")) as db, db:
        db.execute("DELETE FROM reviews_review")
    manage(project, "setup_demo", "--reset")
    assert count(project / "reviews.sqlite3", "reviews_review") == 40


def test_a_command_piped_into_head_ends_quietly(project):
    """`manage.py ... | head -1`: the command stops when head has read enough, with no
    BrokenPipeError on stderr (more output than a pipe holds, so the cut is certain)."""
    command = "for n in range(100_000): print(n)"
    pipeline = f'"{sys.executable}" manage.py shell --verbosity=0 -c "{command}" | head -1'
    result = subprocess.run(
        pipeline, shell=True, cwd=project, capture_output=True, text=True, timeout=120
    )
    assert (result.stdout, result.stderr) == ("0\n", "")


# One writer: logs in as admin, posts reviews through the site, and prints the text of
# each review the site acknowledged (a redirect to the product page).
WRITER = """
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
client.force_login(get_user_model().objects.get(username="admin"))
for n in range({posts}):
    text = "writer {writer}, review " + str(n)
    response = client.post("/reviews/new/", {{"product_id": 2, "rating": 4, "text": text}})
    if response.status_code == 302:
        print(text, flush=True)
"""


@sqlite_only
def test_no_acknowledged_review_is_lost_when_the_file_moves_away_and_back(project):
    """Four processes write reviews while reviews.sqlite3 is moved away and back: every
    review the site acknowledged is in the file at the end (none went to an empty file
    SQLite made meanwhile, as it did before "?mode=rw")."""
    manage(project, "setup_demo", "--reset")
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "shell",
                "--verbosity=0",
                "-c",
                WRITER.format(posts=400, writer=w),
            ],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # the site logs each 503; a full pipe would stall it
            text=True,
        )
        for w in range(4)
    ]
    reviews, away = project / "reviews.sqlite3", project / "away.sqlite3"
    while all(writer.poll() is None for writer in writers):
        reviews.rename(away)
        time.sleep(0.1)
        away.rename(reviews)
        time.sleep(0.05)
    outputs = [writer.communicate(timeout=120)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0] * 4
    acknowledged = {line for output in outputs for line in output.splitlines()}
    with closing(sqlite3.connect(reviews)) as db:
        stored = {text for (text,) in db.execute("SELECT text FROM reviews_review")}
    assert acknowledged and acknowledged <= stored


def test_project_refuses_to_start_with_debug_off_and_no_key(project):
    result = manage(project, "check", DJANGO_DEBUG="off")
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_project_starts_with_debug_off_and_a_key(project):
    result = manage(project, "check", DJANGO_DEBUG="off", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_setup_demo_fills_each_database_with_its_own_data():
    call_command("setup_demo", stdout=StringIO())
    assert rows_per_alias(Product) == {"default": 5}
    assert rows_per_alias(Review) == {"reviews": 40}


@pytest.mark.skipif(not ON_POSTGRES, reason="on SQLite, --reset deletes the files")
@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_reset_on_postgres_empties_every_table_and_starts_over():
    create_review(create_product("Scale"), create_author())
    output = StringIO()
    call_command("setup_demo", "--reset", stdout=output)
    assert "reviews: flush --database=reviews: every table emptied" in output.getvalue()
    assert rows_per_alias(Review) == {"reviews": 40}
    assert not Product.objects.filter(name="Scale").exists()


def test_setup_demo_names_a_postgres_server_it_cannot_reach(project):
    pytest.importorskip("psycopg", reason="requirements-postgres.txt is not installed")
    port = closed_port()
    result = manage(project, "setup_demo", DEMO_DATABASE="postgres", DEMO_POSTGRES_PORT=port)
    assert result.returncode == 1
    assert "default: cannot connect" in result.stderr
    assert "make postgres-up first" in result.stderr
    assert "Traceback" not in result.stderr


@sqlite_only
def test_db_status_counts_each_alias_unapplied_migrations(project):
    """Before setup_demo migrates, db_status counts on each alias the migrations its
    router lets run there: reviews has only the reviews app's."""
    for path in project.glob("*.sqlite3*"):
        path.unlink()
    for name in ("default.sqlite3", "reviews.sqlite3"):
        (project / name).touch()
    result = manage(project, "db_status", "--format", "json")
    reviews = json.loads(result.stdout)["aliases"][1]
    assert result.returncode == 0, result.stderr
    assert reviews["unapplied_migrations"] == ["reviews.0001_initial"]
    assert manage(project, "setup_demo").returncode == 0


class TestCommands(CommandChecks):
    """Every command's options have help, every model change its migration: the checks
    every pattern shares, on this project's commands and models."""
