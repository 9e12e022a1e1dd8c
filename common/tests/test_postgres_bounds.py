"""Every wait of a PostgreSQL alias on its server is bounded: a statement by
statement_timeout, a lock by lock_timeout (both in common/postgres.py's OPTIONS), so a
locked table holds a request a second, then the 503 page names the alias, and the pool
gets its connection back for the pages that never touch that table. On PostgreSQL
(DEMO_DATABASE=postgres), the test site's two aliases."""

import time

import pytest
from django.db import connections

from common.faults import table_locked

ALIASES = ["default", "other"]

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="DEMO_DATABASE=postgres"
)


@pytest.mark.django_db(databases=ALIASES)
@pytest.mark.parametrize("setting, bound", [("statement_timeout", "5s"), ("lock_timeout", "1s")])
@pytest.mark.parametrize("alias", ALIASES)
def test_every_alias_bounds_its_statements(alias, setting, bound):
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        assert cursor.fetchone() == (bound,)


@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_a_page_on_a_locked_table_gets_the_503_page_within_the_bound(client):
    """The groups page reads "other"'s auth_group while another session holds it locked:
    after lock_timeout (1 s) PostgreSQL cancels the read, and the page says which alias."""
    with table_locked("other", "auth_group"):
        start = time.monotonic()
        response = client.get("/")
        waited = time.monotonic() - start
    assert (response.status_code, response.context["alias"]) == (503, "other")
    assert "canceling statement due to lock timeout" in str(response.context["error"])
    assert 1 <= waited < 3
