"""What the servers of make postgres-up hold and do, read from outside Django."""

from django.db import connections
from tests.helpers import standby_session as session_on

# Each server's role: a standby or not, whom it streams from, the slots it keeps and the
# standbys streaming from it (their names on it, cluster_name).
ROLE = """
SELECT pg_is_in_recovery(),
    substring(current_setting('primary_conninfo') from 'port=(\\d+)'),
    current_setting('synchronous_standby_names'),
    (SELECT array_agg(slot_name || ' ' || active ORDER BY slot_name) FROM pg_replication_slots),
    (SELECT array_agg(application_name || ' ' || state ORDER BY application_name)
        FROM pg_stat_replication)
"""


def roles():
    """Each server's role, as ROLE reads it."""
    return {server: role(server) for server in ("primary", "replica1", "replica2")}


def role(server):
    import psycopg  # installed only for DEMO_DATABASE=postgres

    try:
        with session_on(server) as session:
            return session.execute(ROLE).fetchone()
    except psycopg.OperationalError:
        return "down"


def rows_on(server, table, ids):
    """Which of these ids a table of the test database holds on one server."""
    name = connections["default"].settings_dict["NAME"]
    with session_on(server, name) as session:
        rows = session.execute(f'SELECT "id" FROM "{table}" WHERE "id" = ANY(%s)', [list(ids)])
        return {row[0] for row in rows}
