"""`manage.py db_status`: one line per alias, JSON for a monitor, exit 2 when a database
the site needs is down (0 all well, 1 degraded: here no database is one the site can do
without, so never 1). What common/db_status.py does for every pattern is tested here."""

import json
import time

import pytest
from django.db import connections

from common.db_status import CONNECT_TIMEOUT
from common.faults import database_missing, server_unreachable
from common.sqlite import database_file
from common.testing import db_status

from .helpers import ALIASES, ON_POSTGRES, database_garbled, sqlite_only

pytestmark = pytest.mark.django_db(databases="__all__")


def line_of(output, alias):
    [line] = [line for line in output.splitlines() if line.split()[0] == alias]
    return line


def test_every_alias_gets_a_line_saying_it_is_up():
    """Each alias answers: up, its round trip, its size, its migrations all applied."""
    output, code = db_status()
    assert code == 0
    for alias in ALIASES:
        assert line_of(output, alias).split()[1:2] == ["up,"]
        assert line_of(output, alias).endswith("migrations applied")


def test_json_gives_a_monitor_every_alias():
    """--format json: ok, and per alias whether it is up, its timing, size and migrations."""
    output, code = db_status("--format", "json")
    status = json.loads(output)
    assert (code, status["ok"], status["status"]) == (0, True, "ok")
    assert [report["alias"] for report in status["aliases"]] == ALIASES
    for report in status["aliases"]:
        assert report["up"] and report["needed"] and report["problem"] is None
        assert report["round_trip_ms"] >= 0 and report["size_bytes"] > 0
        assert report["unapplied_migrations"] == []


def test_verbosity_0_prints_nothing_and_still_exits_2_when_down(tmp_path):
    """-v 0 is for scripts: no output, the exit code says it."""
    with database_missing("reviews", tmp_path):
        assert db_status("-v", "0") == ("", 2)


def test_a_missing_database_is_down_and_exits_2(tmp_path):
    """A lost database is "down" with the engine's reason, and the command exits 2."""
    with database_missing("reviews", tmp_path):
        output, code = db_status()
    assert code == 2
    assert line_of(output, "reviews").startswith("reviews   down: ")
    assert line_of(output, "default").startswith("default   up,")


@sqlite_only
def test_a_missing_file_is_reported_not_created(tmp_path):
    """The probe never creates a missing SQLite file, even a test database's plain path."""
    connections["reviews"].close()
    path = database_file("reviews")
    path.rename(tmp_path / path.name)
    try:
        output, code = db_status()
        assert not path.exists()
    finally:
        (tmp_path / path.name).rename(path)
    assert code == 2
    assert line_of(output, "reviews") == f"reviews   down: no file {path}"


@sqlite_only
def test_a_garbled_file_is_down_and_exits_2(tmp_path):
    """A file that is not a database is down, in the json too."""
    with database_garbled("reviews", tmp_path):
        output, code = db_status("--format", "json")
    status = json.loads(output)
    reviews = status["aliases"][ALIASES.index("reviews")]
    assert (code, status["status"], reviews["up"]) == (2, "down", False)
    assert reviews["problem"] == "file is not a database"


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL server")
def test_a_stopped_server_is_down_within_one_call():
    """A server that does not answer is down in one call, within the connect timeout."""
    start = time.monotonic()
    with server_unreachable("reviews"):
        output, code = db_status()
    assert time.monotonic() - start < CONNECT_TIMEOUT + 2
    assert code == 2
    assert "Connection refused" in line_of(output, "reviews")
