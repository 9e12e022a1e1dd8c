"""PgBouncer in transaction pooling mode in front of the primary (postgres/up.sh): each
transaction of a client may run on another server connection. A server-side cursor lives
on one of them: QuerySet.iterator() outside a transaction declares one WITH HOLD, and
once another client holds that server connection, the next chunk's FETCH runs on another
and fails. DISABLE_SERVER_SIDE_CURSORS, which DEMO_PGBOUNCER=on sets, fixes it (Django's
databases reference, "Transaction pooling and server-side cursors"). The interleaving is
built on purpose: the other client's transaction checks that it holds the server
connection the first chunk came from (each row carries its pg_backend_pid()). On
PostgreSQL, with tests_pgbouncer/settings.py: `make test-postgres` runs them."""

import gc
import shutil
from contextlib import contextmanager

import psycopg
import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connections
from django.db.models.expressions import RawSQL

from common.chromium import require
from common.postgres import BOUNCER, BOUNDS, USER, bouncer_released

CHUNK, ROWS = 2, 5
DATABASES = ["default", "bouncer", "bouncer_cursors"]


# Every test is transactional: a TestCase opens a transaction on each of its aliases before
# this fixture runs, through PgBouncer too, which would leave server connections to the
# test database where PgBouncer is skipped, and fail where it is missing.
@pytest.fixture(autouse=True)
def pgbouncer():
    installed = shutil.which("pgbouncer") or shutil.which("/usr/sbin/pgbouncer")
    require("This test of PgBouncer (make postgres-up starts it)", installed, "pgbouncer")
    yield
    for alias in DATABASES[1:]:
        connections[alias].close()
    bouncer_released(connections["default"].settings_dict["NAME"])  # then DROP DATABASE can


@contextmanager
def server_connection_taken(alias, pid):
    """Another client of PgBouncer, in an open transaction on server process ``pid``."""
    name = connections[alias].settings_dict["NAME"]
    with psycopg.connect(
        host=BOUNCER["HOST"], port=BOUNCER["PORT"], dbname=name, user=USER
    ) as other:
        assert other.execute("SELECT pg_backend_pid()").fetchone() == (pid,)
        yield


def rows_around_another_client(alias):
    """Every group's row through ``alias``, CHUNK a FETCH: the first chunk, then the rest
    while another client's transaction holds the server connection the first came from."""
    Group.objects.bulk_create(Group(name=f"Group {n}") for n in range(ROWS))
    pid = RawSQL("pg_backend_pid()", [])
    rows = Group.objects.using(alias).annotate(pid=pid).order_by("pk").iterator(CHUNK)
    first = [next(rows) for _ in range(CHUNK)]
    with server_connection_taken(alias, first[0].pid):
        return first + list(rows)


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_an_iterator_with_a_server_side_cursor_fails_after_its_first_chunk():
    """Its next FETCH, then its CLOSE, fail: the cursor is on the other client's server
    connection. Left open so, the cursor is reported when it goes (a ResourceWarning)."""
    missing = r'cursor "_django_curs_\w+" does not exist'
    with pytest.raises((DatabaseError, psycopg.Error), match=missing) as failed:
        rows_around_another_client("bouncer_cursors")
    del failed  # its traceback holds the cursor
    with pytest.warns(ResourceWarning, match="deleted while still open"):
        gc.collect()


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_without_server_side_cursors_an_iterator_reads_every_row():
    """The rows came in one query, read whole at once: every one from one server process."""
    rows = rows_around_another_client("bouncer")
    assert [row.name for row in rows] == [f"Group {n}" for n in range(ROWS)]
    assert len({row.pid for row in rows}) == 1


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_statements_are_bounded_through_pgbouncer():
    """PgBouncer 1.18 refuses libpq's options, which carry BOUNDS: it sets the same
    bounds on each server connection (connect_query, postgres/up.sh)."""
    with connections["bouncer"].cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()[0]
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()[0]
    assert BOUNDS == f"-c statement_timeout={statement} -c lock_timeout={lock}"
