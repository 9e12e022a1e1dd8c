"""On PostgreSQL each alias has a pool (Django's OPTIONS["pool"]): a request borrows a
connection, and the next request gets the same one back instead of a new one.

The test client keeps a request's connections open (it disconnects close_old_connections
from request_finished), so the test calls what the end of every request runs."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import close_old_connections, connections

from .helpers import ALIASES

HERE = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.parametrize("alias", ALIASES),
]


def backend_pid(alias):
    """The server process behind the alias's connection: one per connection."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_requests_in_a_row_reuse_the_pooled_connections(alias):
    """The end of a request closes the connection (CONN_MAX_AGE 0), which gives it back
    to the pool: requests in a row talk to server processes the pool already opened (it
    may open a second one while the first is being connected, then takes turns)."""
    if connections[alias].vendor != "postgresql":
        pytest.skip("a pool per alias is PostgreSQL's (DEMO_DATABASE=postgres)")
    pids = []
    for _ in range(6):
        pids.append(backend_pid(alias))
        close_old_connections()  # what request_finished runs at the end of every request
        assert connections[alias].connection is None
    assert len(set(pids)) < len(pids)


def test_a_process_that_stops_on_an_error_leaves_no_pool_behind(alias):
    """A command that fails (sys.exit from CommandError) with a pooled connection open
    ends at once and quietly: the pools close at exit, while their worker threads still
    run. Left to the garbage collector at interpreter shutdown (Python 3.13), each pool
    waited 5 s for threads that could no longer run, and printed why to stderr."""
    if connections[alias].vendor != "postgresql":
        pytest.skip("a pool per alias is PostgreSQL's (DEMO_DATABASE=postgres)")
    code = f"from django.db import connections; connections[{alias!r}].ensure_connection(); exit(3)"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (3, "")
