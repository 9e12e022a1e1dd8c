"""What the site's PostgreSQL aliases may take from a server they share with other sites:
never the connections PostgreSQL keeps for superusers, and idle connections only for a
while. On PostgreSQL (DEMO_DATABASE=postgres), both aliases of the test site."""

import pytest
from django.db import connections

ALIASES = ["default", "other"]

pytestmark = [
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql", reason="DEMO_DATABASE=postgres"
    ),
    pytest.mark.parametrize("alias", ALIASES),
]


@pytest.mark.django_db(databases=ALIASES)
def test_the_site_connects_as_a_role_that_is_not_a_superuser(alias):
    """The last superuser_reserved_connections slots admit superusers only: a site that
    connects as one can fill them too, and then not even `psql -U postgres` gets in."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False,)


def test_a_pool_gives_back_its_idle_connections_within_a_minute(alias):
    """psycopg_pool closes one connection left unused for a whole max_idle (its ShrinkPool
    task, every max_idle), down to min_size: from max_size, the last one goes within
    (max_size - min_size + 1) * max_idle seconds of the load's end."""
    pool = connections[alias].settings_dict["OPTIONS"]["pool"]
    assert (pool["max_size"] - pool["min_size"] + 1) * pool["max_idle"] <= 60
