"""For the tests of the postgres_fdw coordinator (shop/coordinator.py): PostgreSQL only."""

import pytest
from django.db import connections

from shop.coordinator import COORDINATOR

from .helpers import SHARDS

# The settings add the coordinator when every alias is on PostgreSQL (DEMO_DATABASE=postgres).
on_coordinator = pytest.mark.skipif(
    COORDINATOR not in connections, reason="postgres_fdw: DEMO_DATABASE=postgres"
)
# Transactional: the coordinator reads the shards through connections of its own, which
# see only what is committed.
through_coordinator = pytest.mark.django_db(
    databases=["default", "tickets", COORDINATOR, *SHARDS], transaction=True
)


def plan(sql, params=(), *settings):
    """EXPLAIN (VERBOSE) of a statement on the coordinator, after SET of each of `settings`,
    its lines as one text."""
    with connections[COORDINATOR].cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting}")
        cursor.execute(f"EXPLAIN (VERBOSE, COSTS OFF) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def remote_sql(text):
    """The statements a plan sends to the shards, one per foreign scan."""
    return [line.split("Remote SQL: ", 1)[1] for line in text.splitlines() if "Remote SQL" in line]


def execute(sql, params=()):
    """Run a statement on the coordinator, as the site's role."""
    with connections[COORDINATOR].cursor() as cursor:
        cursor.execute(sql, params)
