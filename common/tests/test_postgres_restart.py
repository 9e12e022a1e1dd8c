"""After its server restarts, a pool's idle connections are all dead, and the next borrow
still gets a live one at once: the first dead one it meets makes the pool check the rest
together (common/backend). psycopg_pool's own check, alone, found them one a try and
waited about 1 s, then 2 s, between two tries, so a pool of four dead connections ran
out its 3 s timeout. Terminating the connections' server processes stands in for the
restart. On PostgreSQL (DEMO_DATABASE=postgres)."""

import pytest
from django.db import connections

ALIASES = ["default", "other"]
DEAD = 4

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="DEMO_DATABASE=postgres"
)


def idle_connections_killed(alias, count):
    """Fill ``alias``'s pool with ``count`` idle connections, then end each one's server
    process from another alias's connection, as a restart of the server does."""
    pool = connections[alias].pool
    borrowed = [pool.getconn() for _ in range(count)]
    pids = [conn.info.backend_pid for conn in borrowed]
    for conn in borrowed:
        pool.putconn(conn)
    with connections["other"].cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM unnest(%s) AS pid", [pids])
        assert cursor.fetchone() == (count,)


@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_a_pool_of_dead_connections_lends_a_live_one():
    connections["default"].close()  # back to its pool, with the others
    idle_connections_killed("default", DEAD)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
