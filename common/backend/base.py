"""Django's PostgreSQL backend, whose pool drops all its dead connections at once.

A restart of the server leaves every idle connection of a pool dead. psycopg_pool's own
check (what Django gives the pool when CONN_HEALTH_CHECKS is on) finds them one a try,
and between two failed tries of one borrow it waits about 1 s, then 2 s: a pool of four
dead connections ran out its 3 s timeout, and the page got the 503 page though the server
answered all along. Here each borrowed connection is checked as that check does, and the
first dead one makes the pool check its idle ones together (``ConnectionPool.check()``,
which replaces each dead one with a new connection at once), then borrows again.
"""

from django.db.backends.postgresql import base
from psycopg import Error
from psycopg_pool import ConnectionPool


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self.pool is None:
            return connection
        try:
            ConnectionPool.check_connection(connection)
        except Error:
            self.pool.putconn(connection)  # dead: the pool closes it and opens another
            self.pool.check()  # the same for each idle one, now
            connection = super().get_new_connection(conn_params)
        return connection
