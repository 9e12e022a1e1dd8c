"""What a page of the overlay costs: the statements it sends to each database, and their
parameters, as the snapshot and the local changes grow.

A snapshot of 25,000 reviews, newest first by key; local changes spread over it as the
benchmark spreads them: two fifths edited, two fifths deleted, one fifth new rows.
"""

from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connections

from reviews.models import Review
from shop.models import Tombstone
from shop.shadow import LOCAL_KEYS_START

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])
START = datetime(2026, 1, 1, tzinfo=UTC)


def review(pk, minutes=None):
    """Review `pk`, `minutes` (its key, by default) before START: newest first by key."""
    created = START - timedelta(minutes=pk if minutes is None else minutes)
    return Review(pk=pk, product_id=pk % 5 + 1, author_id=1, text=".", created=created)


def fill_snapshot(count):
    """Reviews 1 to `count` in the test snapshot, in one statement (snapshot_rows() takes
    one a statement)."""
    Review._base_manager.using("snapshot").bulk_create(review(pk) for pk in range(1, count + 1))


def change_locally(count, every=3):
    """`count` local changes instead of those there were, on every `every`th key of the
    snapshot from the top; the new rows fall among them."""
    local = Review._base_manager.using("default")
    local.all().delete()
    Tombstone.objects.all().delete()
    keys = range(1, 10**9, every)
    edited, deleted = keys[: count * 2 // 5], keys[count * 2 // 5 : count * 4 // 5]
    added = [
        review(LOCAL_KEYS_START + n, minutes=n * every * 5 + 1)
        for n in range(1, count - len(edited) - len(deleted) + 1)
    ]
    local.bulk_create([*(review(pk) for pk in edited), *added])
    Tombstone.objects.bulk_create(Tombstone(model="reviews.Review", object_pk=k) for k in deleted)


@contextmanager
def statements():
    """[(alias, number of parameters)] of every statement sent while inside."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((context["connection"].alias, len(params or ())))
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for alias in ("default", "snapshot"):
            stack.enter_context(connections[alias].execute_wrapper(record))
        yield sent


def cost(read):
    """{alias: (statements, most parameters in one)} of one read."""
    with statements() as sent:
        read()
    return {
        alias: (len(mine), max(mine, default=0))
        for alias in ("default", "snapshot")
        for mine in [[n for a, n in sent if a == alias]]
    }


def newest_page():
    return list(Review.objects.all()[:20])


def test_a_page_sends_no_claimed_keys_however_many_changes_are_local():
    """A page of 20 asks about the keys it reads, never the list of every local change:
    the same statements, with as many parameters, at 100 and at 10,000 local changes."""
    fill_snapshot(25_000)
    change_locally(100)
    few = cost(newest_page)
    change_locally(10_000)
    assert cost(newest_page) == few


def paginated_pages():
    """Page 1 and page 3 of the newest reviews and of product 2's, counted as Paginator
    counts them."""
    for reviews in (Review.objects.all(), Review.objects.filter(product_id=2)):
        for number in (1, 3):
            list(Paginator(reviews, 20).get_page(number))


def statements_per_alias(read):
    return {alias: n for alias, (n, _) in cost(read).items()}


def test_a_counted_page_runs_as_many_statements_at_10_as_at_10000_snapshot_rows():
    """Paginated pages, each with its count: the same statements on each database."""
    fill_snapshot(10)
    change_locally(10)
    few = statements_per_alias(paginated_pages)
    Review._base_manager.using("snapshot").all().delete()
    fill_snapshot(10_000)
    assert statements_per_alias(paginated_pages) == few


def test_a_counted_page_runs_as_many_statements_at_100_as_at_10000_changes():
    """Paginated pages, each with its count: the same statements on each database."""
    fill_snapshot(25_000)
    change_locally(100)
    few = statements_per_alias(paginated_pages)
    change_locally(10_000)
    assert statements_per_alias(paginated_pages) == few


def change_through_the_overlay(keys):
    """Half the keys edited, half deleted, as the site changes them (copy-on-write)."""
    half = len(keys) // 2
    Review.objects.filter(pk__in=keys[:half]).update(text="edited")
    Review.objects.filter(pk__in=keys[half:]).delete()


def test_count_sends_no_claimed_keys_however_many_changes_are_local():
    """count() takes the claimed rows away on "default" (their snapshot versions): the
    same statements, with as many parameters, at 100 and at 10,000 local changes."""
    fill_snapshot(25_000)
    change_through_the_overlay(range(1, 201, 2))
    few = cost(Review.objects.filter(product_id=2).count)
    change_through_the_overlay(range(201, 20_001, 2))
    assert cost(Review.objects.filter(product_id=2).count) == few


def test_count_sends_one_statement_to_each_database():
    """count() asks each database once, as a count on one database does: "default" counts
    its rows, the claims and the kept versions in one statement."""
    fill_snapshot(1_000)
    change_through_the_overlay(range(1, 201, 2))
    assert statements_per_alias(Review.objects.filter(product_id=2).count) == {
        "default": 1,
        "snapshot": 1,
    }


def test_count_falls_back_to_the_claimed_keys_for_rows_inserted_straight():
    """Rows inserted straight into "default" have no snapshot version kept: count() sees
    it, and takes the claimed keys to the snapshot (those of new rows never cross)."""
    fill_snapshot(25_000)
    change_locally(10_000)
    assert cost(Review.objects.all().count)["snapshot"] == (2, 8_000)
    assert Review.objects.all().count() == 25_000 - 4_000 + 2_000


def test_reading_every_row_asks_about_a_bounded_number_of_keys_at_once():
    """All 50,000 rows (dumpdata reads them so): no statement asks about more keys than
    SQLite takes in one, however large the snapshot."""
    fill_snapshot(50_000)
    change_locally(10)
    with statements() as sent:
        assert len(list(Review.objects.all())) == 50_000 - 4 + 2
    assert max(n for _, n in sent) < 32_766


def test_exists_sends_no_claimed_keys_however_many_changes_are_local():
    """exists() reads the first row, as a page does: the same statements, with as many
    parameters, at 100 and at 10,000 local changes."""
    fill_snapshot(25_000)
    change_locally(100)
    few = cost(Review.objects.filter(product_id=2).exists)
    change_locally(10_000)
    assert cost(Review.objects.filter(product_id=2).exists) == few
