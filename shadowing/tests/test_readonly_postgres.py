"""On PostgreSQL the snapshot is read-only for real: proved with settings.py's own entry.

The suite reaches its snapshot database as the owner (conftest.py). These tests read
settings.py afresh and connect the "snapshot" alias as it says, as snapshot_reader, to
the test database. Transactional: the reader's session sees only what is committed.
"""

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import InternalError, ProgrammingError, connections
from django.db.migrations.exceptions import MigrationSchemaMissing

from products.models import Product
from reviews.models import Review
from shop.dumps import build_dump
from shop.snapshot import install

from .helpers import ON_POSTGRES, rows_per_alias, snapshot_checksum, snapshot_review

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRES, reason="PostgreSQL's roles: on SQLite, see test_readonly.py"
    ),
    pytest.mark.django_db(databases=["default", "snapshot"], transaction=True),
]
SETTINGS = Path(__file__).resolve().parent.parent / "shop" / "settings.py"
WRITES = [
    "INSERT INTO products_product (id, name, description) VALUES (9, 'Milk jug', '')",
    "UPDATE products_product SET name = 'Renamed'",
    "DELETE FROM reviews_review",
    "DROP TABLE reviews_review",
    "CREATE TABLE notes (text text)",
]


def project_databases():
    return runpy.run_path(str(SETTINGS))["DATABASES"]


@pytest.fixture
def reader():
    """Review 3 in the snapshot, then the alias connected as settings.py says."""
    snapshot_review(3, text="From production.")
    connection = connections["snapshot"]
    owner = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = project_databases()["snapshot"]["USER"]
    yield connection
    connection.close()
    connection.settings_dict["USER"] = owner


def test_no_alias_connects_to_the_snapshot_as_its_owner():
    """Only setup_demo and take_snapshot open a connection as the owner, of their own."""
    entries = project_databases().values()
    assert ("shadowing_snapshot", "snapshot_reader") in [(e["NAME"], e["USER"]) for e in entries]
    assert ("shadowing_snapshot", settings.SNAPSHOT_OWNER) not in [
        (e["NAME"], e["USER"]) for e in entries
    ]


def test_the_reader_reads_in_read_only_transactions(reader):
    with reader.cursor() as cursor:
        cursor.execute("SELECT current_user, current_setting('transaction_read_only')")
        assert cursor.fetchone() == ("snapshot_reader", "on")
    assert Review.objects.get(pk=3).text == "From production."


@pytest.mark.parametrize("sql", WRITES)
def test_raw_sql_writes_through_the_snapshot_alias_fail(reader, sql):
    before = snapshot_checksum()
    with pytest.raises(InternalError, match="cannot execute .* in a read-only transaction"):
        with reader.cursor() as cursor:
            cursor.execute(sql)
    assert snapshot_checksum() == before


def test_a_read_write_transaction_has_no_privilege_to_write_either(reader):
    before = snapshot_checksum()
    with reader.cursor() as cursor:
        cursor.execute("SET default_transaction_read_only = off")
        with pytest.raises(ProgrammingError, match="permission denied for table reviews_review"):
            cursor.execute("DELETE FROM reviews_review")
    assert snapshot_checksum() == before


def test_trap_a_snapshot_row_saved_back_to_the_snapshot_fails(reader):
    review = Review.objects.get(pk=3)
    assert review._state.db == "snapshot"
    with pytest.raises(InternalError, match="cannot execute UPDATE in a read-only transaction"):
        review.save(using="snapshot")
    review.save()
    assert review._state.db == "default"


def test_trap_migrating_the_snapshot_stops_at_the_read_only_connection(reader):
    before = snapshot_checksum()
    expected = r"Unable to create the django_migrations table \(cannot execute CREATE TABLE"
    with pytest.raises(MigrationSchemaMissing, match=expected):
        call_command("migrate", database="snapshot", verbosity=0)
    assert snapshot_checksum() == before


def test_every_kind_of_write_works_with_the_snapshot_read_only_for_real(reader):
    before = snapshot_checksum()
    Review.objects.get(pk=3).save()
    Review.objects.create(product_id=1, author_id=1, text="New.")
    Review.objects.all().update(text="All changed.")
    Review.objects.bulk_create([Review(product_id=1, author_id=1, text="Bulk.")])
    Review.objects.all().delete()
    assert Review.objects.count() == 0
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 1}
    assert snapshot_checksum() == before


def test_take_snapshot_replaces_it_with_a_connection_of_its_own(reader, tmp_path):
    build_dump(tmp_path / "later.sqlite3", [Product(pk=1, name="Kettle", description="")])
    install(tmp_path / "later.sqlite3")
    assert [p.name for p in Product._base_manager.using("snapshot").all()] == ["Kettle"]
    assert not Review._base_manager.using("snapshot").exists()
