"""Replicas are read-only for real: a write that reaches one fails loudly, on real files
(on PostgreSQL: on the real standby)."""

import hashlib
import os
import runpy
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from common.sqlite import database_file
from products.models import Product
from reviews.models import Review

from .helpers import (
    ALIASES,
    ON_POSTGRES,
    create_author,
    create_product,
    create_review,
    refused,
    replicate,
    sqlite_only,
)

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


def checksum(alias):
    """The replica's whole file; on PostgreSQL, every review row the standby holds."""
    if ON_POSTGRES:
        rows = list(Review.objects.using(alias).order_by("pk").values_list())
        return hashlib.sha256(repr(rows).encode()).hexdigest()
    return hashlib.sha256(database_file(alias).read_bytes()).hexdigest()


def in_recovery(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


@pytest.fixture
def review():
    review = create_review(create_product(), create_author())
    replicate()
    return review


@sqlite_only
def test_the_site_opens_each_replica_with_a_read_only_uri():
    """As written in settings.py, before the test runner swaps in its test files."""
    written = runpy.run_path(Path(settings.BASE_DIR) / "shop" / "settings.py")["DATABASES"]
    for alias in ["replica1", "replica2"]:
        path = Path(settings.BASE_DIR) / f"{alias}.sqlite3"
        assert written[alias]["NAME"] == f"{path.as_uri()}?mode=ro"


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's standby")
@pytest.mark.parametrize("alias", ["replica1", "replica2"])
def test_each_replica_is_a_standby_in_recovery_and_the_primary_is_not(alias):
    assert in_recovery(alias) is True
    assert in_recovery("default") is False


@pytest.mark.parametrize("alias", ["replica1", "replica2"])
def test_an_update_through_a_replica_fails_and_changes_nothing(review, alias):
    before = checksum(alias)
    with refused():
        Review.objects.using(alias).filter(pk=review.pk).update(text="Forked!")
    assert Review.objects.using(alias).get(pk=review.pk).text == review.text
    assert checksum(alias) == before


def test_saving_with_using_a_replica_fails(review):
    review.text = "Forked!"
    with refused():
        review.save(using="replica1")
    assert Review.objects.using("default").get(pk=review.pk).text != "Forked!"


def test_raw_sql_through_a_replica_fails():
    with refused():
        with connections["replica2"].cursor() as cursor:
            cursor.execute("INSERT INTO products_product (name, description) VALUES ('x', '')")
    assert not Product.objects.using("replica2").exists()


@sqlite_only
def test_a_read_only_uri_never_creates_a_missing_file(tmp_path):
    """Unlike a plain path, where SQLite would make an empty database and carry on."""
    missing = tmp_path / "replica9.sqlite3"
    with pytest.raises(sqlite3.OperationalError, match="unable to open database file"):
        sqlite3.connect(f"{missing.as_uri()}?mode=ro", uri=True).execute("SELECT 1")
    assert not missing.exists()


def test_the_next_query_on_a_replica_sees_each_new_copy(review):
    """`replicate` closes its own process's connection to the file it swapped (the site's
    close at the end of each request); a standby streams the change."""
    assert Review.objects.using("replica1").count() == 1
    create_review(create_product("Digital scale"), create_author("bob"))
    replicate()
    assert Review.objects.using("replica1").count() == 2


@sqlite_only
def test_a_file_moved_into_place_is_not_seen_by_open_readers(tmp_path):
    """`mv new.sqlite3 replica.sqlite3` under a reader, as `replicate` swaps a copy in:
    the reader keeps the old file, whole, until it reconnects."""
    old, new = tmp_path / "replica.sqlite3", tmp_path / "new.sqlite3"
    for path, rows in [(old, 1), (new, 2)]:
        with closing(sqlite3.connect(path)) as db, db:
            db.execute("CREATE TABLE t (n)")
            db.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(rows)])
    reader = sqlite3.connect(f"{old.as_uri()}?mode=ro", uri=True)
    assert reader.execute("SELECT COUNT(*) FROM t").fetchone() == (1,)
    os.replace(new, old)
    assert reader.execute("SELECT COUNT(*) FROM t").fetchone() == (1,)  # still the old copy
    reader.close()
