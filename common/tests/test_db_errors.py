"""Which database errors mean "not set up": only a missing table. A database that cannot be
reached, or opened, is not helped by running setup_demo, and no command advises it."""

import pytest
from django.db import DatabaseError, connections

from common.db_errors import missing_table
from common.faults import database_missing, on_postgres, server_unreachable

pytestmark = pytest.mark.django_db(databases=["default", "other"])


def error_of(connection, sql):
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as error:
        return error
    finally:
        connection.close()
    raise AssertionError(f"{sql!r} did not fail")


def test_a_missing_table_is_one():
    """SQLite says "no such table" (an OperationalError)."""
    assert missing_table(error_of(connections["other"], "SELECT * FROM nowhere"))


def test_a_database_that_cannot_be_reached_is_not_a_missing_table(tmp_path):
    """An OperationalError too: a SQLite file that cannot be opened, a PostgreSQL server
    that does not answer."""
    if on_postgres("other"):
        with server_unreachable("other"):
            error = error_of(connections["other"], "SELECT 1")
    else:
        with database_missing("other", tmp_path):
            error = error_of(connections["other"], "SELECT 1")
    assert not missing_table(error)


def test_a_statement_the_database_refuses_is_not_a_missing_table():
    """A ProgrammingError that names no missing table: a bug, not a setup step."""
    assert not missing_table(error_of(connections["other"], "SELECT ?"))


def test_a_database_the_code_found_unusable_is_the_503_page_naming_it(client):
    """An Unavailable (shadowing's SnapshotMissing) is no DatabaseError, so that code which
    retries those does not retry it; the site answers it as it answers a database's own."""
    response = client.get("/gone/")
    assert (response.status_code, response.context["alias"]) == (503, "other")
