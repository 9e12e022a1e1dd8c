"""`replicate` under the replicas' readers: each reads one whole copy, never half of one."""

import sqlite3
import threading
from contextlib import closing

import pytest
from django.db import connections, transaction

from common.faults import read_outside
from common.sqlite import database_file
from reviews.models import Review

from .helpers import ALIASES, create_author, create_product, replicate, sqlite_only

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
    sqlite_only,
]
COUNT = "SELECT COUNT(*) FROM reviews_review"


def reader(alias, timeout=5.0):
    """A connection of the replica's own, as another process has (the site's server)."""
    uri = f"{database_file(alias).as_uri()}?mode=ro"
    return closing(sqlite3.connect(uri, uri=True, timeout=timeout))


def add_reviews(count, text="A long review. " * 200):
    """`count` reviews of about 3 KB each, on the primary: a copy of many pages."""
    number = Review.objects.using("default").count()
    product, author = create_product(f"Kettle {number}"), create_author(f"author{number}")
    Review.objects.using("default").bulk_create(
        Review(product_id=product.pk, author_id=author.pk, rating=3, text=text)
        for _ in range(count)
    )
    return Review.objects.using("default").count()


def test_a_reader_never_sees_a_half_copied_replica():
    """Readers connecting all through three copies each find a whole copy, never an error."""
    copied, seen, errors, done = {0}, set(), [], threading.Event()

    def read_until_done():
        while not done.is_set():
            try:
                with reader("replica1") as replica:
                    seen.add(replica.execute(COUNT).fetchone()[0])
                    assert replica.execute("PRAGMA quick_check").fetchone() == ("ok",)
            except (sqlite3.Error, AssertionError) as error:
                errors.append(error)

    thread = threading.Thread(target=read_until_done)
    thread.start()
    try:
        for _ in range(3):
            copied.add(add_reviews(1000))
            replicate("--replica", "replica1")
    finally:
        done.set()
        thread.join()
    assert errors == []
    assert seen <= copied


def test_a_reader_never_waits_for_a_lock_on_a_replica():
    """Nothing writes into a replica's file, so a reader with no busy timeout at all
    never meets "database is locked", across copies: the replicas need no timeout."""
    errors, done = [], threading.Event()

    def read_until_done():
        while not done.is_set():
            try:
                with reader("replica1", timeout=0) as replica:
                    replica.execute(COUNT).fetchone()
            except sqlite3.Error as error:
                errors.append(error)

    thread = threading.Thread(target=read_until_done)
    thread.start()
    try:
        for _ in range(3):
            add_reviews(1000)
            replicate("--replica", "replica1")
    finally:
        done.set()
        thread.join()
    assert errors == []


def test_a_connection_open_across_a_copy_reads_the_old_copy_until_it_reconnects():
    """The file is swapped, not rewritten: an open connection keeps the old one, whole."""
    with reader("replica1") as before:
        assert before.execute(COUNT).fetchone() == (0,)
        add_reviews(3)
        replicate()
        assert before.execute(COUNT).fetchone() == (0,)
    with reader("replica1") as after:
        assert after.execute(COUNT).fetchone() == (3,)


def test_a_reader_in_a_transaction_keeps_reading_the_copy_it_started_with():
    """A copy never changes the file under a reader: its transaction reads one copy."""
    with reader("replica1") as replica:
        replica.isolation_level = None  # BEGIN and COMMIT by hand
        replica.execute("BEGIN")
        assert replica.execute(COUNT).fetchone() == (0,)
        add_reviews(3)
        replicate()
        assert replica.execute(COUNT).fetchone() == (0,)
        replica.execute("COMMIT")
    assert read_outside("replica1", COUNT) == [(3,)]


def test_a_copy_is_written_once_with_no_wal_beside_the_replica():
    """A copy written into the replica's -wal was written again into its file: twice."""
    with reader("replica1") as replica:
        replica.execute(COUNT).fetchone()
        add_reviews(3)
        replicate()
    path = database_file("replica1")
    assert sorted(path.parent.glob(f"{path.name}*")) == [path]
    assert read_outside("replica1", "PRAGMA journal_mode") == [("delete",)]


def test_a_wal_left_beside_the_replica_is_never_read_as_part_of_the_new_copy():
    """A replica copied in place was in WAL mode; a -wal it kept holds pages of the old."""
    path = database_file("replica1")
    connections["replica1"].close()
    with closing(sqlite3.connect(path)) as old:
        old.execute("PRAGMA journal_mode = WAL")
        old.execute("PRAGMA wal_autocheckpoint = 0")  # keep the pages in the -wal
        with old:
            old.execute("DELETE FROM products_product")
        add_reviews(3)
        replicate()
        assert read_outside("replica1", COUNT) == [(3,)]
        assert read_outside("replica1", "SELECT COUNT(*) FROM products_product") == [(1,)]


def test_this_process_s_transaction_on_a_replica_reads_its_copy_to_the_end():
    """`replicate` closes its own process's idle connections only: one in an atomic block
    keeps the copy it started with, and its block still runs."""
    with transaction.atomic(using="replica1"):
        assert Review.objects.using("replica1").count() == 0
        add_reviews(3)
        replicate()
        assert Review.objects.using("replica1").count() == 0
    assert read_outside("replica1", COUNT) == [(3,)]


def test_every_replica_of_one_copy_holds_the_same_snapshot_while_the_primary_is_written():
    """One snapshot a round: the replicas take turns without a review coming and going."""
    add_reviews(1000)
    done = threading.Event()

    def write_until_done():
        while not done.is_set():
            add_reviews(1, text="Written during the copy.")
        connections.close_all()  # this thread's own

    thread = threading.Thread(target=write_until_done)
    thread.start()
    try:
        replicate()
    finally:
        done.set()
        thread.join()
    assert read_outside("replica1", COUNT) == read_outside("replica2", COUNT)
