"""A transaction covers one database: ``atomic()`` alone covers ``default``, so a view
that writes a review needs ``atomic(using=router.db_for_write(Review))``, as Django's
admin wraps its views (django/contrib/admin/options.py)."""

import pytest
from django.db import connections, router, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from reviews.models import Review

from .helpers import create_author, create_product, create_review, rows_per_alias

pytestmark = pytest.mark.django_db(databases=["default", "reviews"])
REVIEWS_ON = connections["reviews"].vendor
reviews_on_sqlite = pytest.mark.skipif(REVIEWS_ON != "sqlite", reason="reviews on SQLite")
reviews_on_postgres = pytest.mark.skipif(
    REVIEWS_ON != "postgresql", reason="reviews on PostgreSQL (DEMO_DATABASE=postgres)"
)


class Refused(Exception):
    """What a view raises after its writes: its transaction must take them back."""


def write_then_refuse(atomic):
    with pytest.raises(Refused), atomic:
        create_review(create_product(), create_author())
        raise Refused


def test_atomic_on_default_keeps_a_review_written_inside_it():
    """The trap: the review was never in default's transaction, so it survives."""
    write_then_refuse(transaction.atomic())
    assert rows_per_alias(Review) == {"reviews": 1}


def test_atomic_on_the_reviews_database_takes_the_review_back():
    """The fix: the transaction on the database the router writes reviews to."""
    write_then_refuse(transaction.atomic(using=router.db_for_write(Review)))
    assert rows_per_alias(Review) == {"reviews": 0}


def locking_read(atomic):
    """select_for_update() on reviews inside a transaction; the SQL "reviews" ran."""
    with CaptureQueriesContext(connections["reviews"]) as reviews, atomic:
        list(Review.objects.select_for_update())
    return "\n".join(query["sql"] for query in reviews.captured_queries)


@reviews_on_sqlite
@pytest.mark.django_db(databases=["default", "reviews"], transaction=True)
def test_select_for_update_on_sqlite_runs_outside_its_transaction_and_locks_nothing():
    """SQLite has no FOR UPDATE: Django drops it silently, even with no transaction on
    reviews (atomic() here is default's), where PostgreSQL refuses (the next test)."""
    assert "FOR UPDATE" not in locking_read(transaction.atomic())


@reviews_on_postgres
@pytest.mark.django_db(databases=["default", "reviews"], transaction=True)
def test_select_for_update_on_postgresql_is_refused_in_atomic_on_default():
    with pytest.raises(TransactionManagementError, match="outside of a transaction"):
        locking_read(transaction.atomic())


@reviews_on_postgres
@pytest.mark.django_db(databases=["default", "reviews"], transaction=True)
def test_select_for_update_on_postgresql_locks_in_atomic_on_the_reviews_database():
    assert "FOR UPDATE" in locking_read(transaction.atomic(using=router.db_for_write(Review)))
