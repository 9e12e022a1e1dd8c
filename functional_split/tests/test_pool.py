"""On PostgreSQL each alias has a pool (Django's OPTIONS["pool"]): a request borrows a
connection, and the next request gets the same one back instead of a new one.

The test client keeps a request's connections open (it disconnects close_old_connections
from request_finished), so the test calls what the end of every request runs."""

import pytest
from django.db import close_old_connections, connections

from .helpers import ALIASES

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
