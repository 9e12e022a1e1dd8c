"""The snapshot is read-only for real: proved on a real file, opened as settings.py opens it.

The test runner swaps the alias's NAME (a read-only URI) for a writable test file, so
these tests read settings.py afresh and open a copy of a dump with its "snapshot" entry.
"""

import hashlib
import runpy
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from products.models import Product
from shop.dumps import build_dump

from .helpers import ON_POSTGRES

pytestmark = [
    pytest.mark.skipif(
        ON_POSTGRES, reason="a SQLite file opened mode=ro: test_readonly_postgres.py proves it"
    ),
    pytest.mark.django_db(databases=["default"]),
]
SETTINGS = Path(__file__).resolve().parent.parent / "shop" / "settings.py"
WRITES = [
    "INSERT INTO products_product (name, description) VALUES ('Milk jug', '')",
    "UPDATE products_product SET name = 'Renamed'",
    "DELETE FROM products_product",
    "DROP TABLE products_product",
    "CREATE TABLE notes (text TEXT)",
]


@pytest.fixture
def snapshot(tmp_path):
    """A connection made from settings.py's own "snapshot" entry, on a copy of a dump."""
    dump = tmp_path / "snapshot.sqlite3"
    build_dump(dump, [Product(pk=1, name="Pour-over kettle", description="")])
    project = runpy.run_path(str(SETTINGS))
    config = project["DATABASES"]["snapshot"]
    name = config["NAME"].replace(project["SNAPSHOT_FILE"].as_uri(), dump.as_uri())
    assert name == f"{dump.as_uri()}?mode=ro"  # the path changed, the URI's options did not
    databases = {"default": {}, "copy": config | {"NAME": name}}  # default: a dummy
    connection = ConnectionHandler(databases)["copy"]
    yield connection, dump
    connection.close()


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_snapshot_connection_reads(snapshot):
    connection, _ = snapshot
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM products_product")
        assert cursor.fetchall() == [("Pour-over kettle",)]


@pytest.mark.parametrize("sql", WRITES)
def test_raw_sql_writes_through_the_snapshot_connection_fail(snapshot, sql):
    connection, dump = snapshot
    before = checksum(dump)
    with pytest.raises(OperationalError, match="attempt to write a readonly database"):
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert checksum(dump) == before


def test_the_file_is_still_writable_by_others(snapshot):
    """It is the connection that is read-only, not the file: take_snapshot can replace it."""
    _, dump = snapshot
    with closing(sqlite3.connect(dump)) as other, other:
        other.execute("DELETE FROM products_product")


def test_a_missing_snapshot_file_is_not_created_by_connecting(snapshot):
    """mode=ro opens a file or fails: an empty snapshot never appears where one was moved away."""
    connection, dump = snapshot
    dump.unlink()
    with pytest.raises(OperationalError, match="unable to open database file"):
        connection.ensure_connection()
    assert not dump.exists()
