"""The latest reviews while `reshard` moves a bucket: every review once at every step,
and, with no move under way, one plain walk of the index per shard."""

from contextlib import ExitStack

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from reviews.models import Review
from reviews.shards import FanOut, latest_page

from .helpers import EVERY_DATABASE, SHARDS, product_on, reviews_at
from .test_reshard_interrupted import copied, deleted, marked, switched

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)
BY_BUCKET = "bucket IN ("  # in the WHERE clause: a page limited to some buckets


def newest_bucket(shard):
    """The bucket of the shard's newest review: moved, its rows meet the first page."""
    return Review.objects.using(shard).order_by("-created", "-pk").first().bucket


def listed_page_by_page():
    """The ids the latest reviews list, walking older one page of 20 at a time."""
    page = latest_page(FanOut())
    listed = page.reviews
    while page.has_older:
        last = page.reviews[-1]
        page = latest_page(FanOut(), older=(last.created, last.pk))
        listed += page.reviews
    return [review.pk for review in listed]


def queries_per_shard():
    """{shard: [SQL]} that one newest page runs."""
    with ExitStack() as stack:
        captured = {s: stack.enter_context(CaptureQueriesContext(connections[s])) for s in SHARDS}
        latest_page(FanOut())
    return {s: [q["sql"] for q in captured[s].captured_queries] for s in SHARDS}


@pytest.mark.parametrize("step", [marked, copied, switched, deleted])
def test_a_page_read_at_each_step_of_a_move_lists_every_review_once(reviews, step):
    """Marked, copied to shard2, switched with its rows still on shard1, or deleted
    there: walked page by page, the latest reviews list every review once, in order."""
    step(newest_bucket("shard1"), "shard1", "shard2")
    newest = sorted(reviews, key=lambda review: (review.created, review.pk), reverse=True)
    assert listed_page_by_page() == [review.pk for review in newest]


def test_with_no_move_under_way_no_shard_filters_its_page_by_bucket(reviews):
    """Each shard holding buckets runs one query that names no bucket: the index on
    (created, id) walked from the cursor, with no list of buckets to build or check."""
    ran = queries_per_shard()
    assert {s: len(sql) for s, sql in ran.items()} == {
        "shard1": 1,
        "shard2": 1,
        "shard3": 1,
        "shard4": 0,
    }
    assert not any(BY_BUCKET in sql for queries in ran.values() for sql in queries)


def test_a_shard_holding_rows_it_does_not_own_reads_its_page_again_without_them(reviews):
    """Rows left on shard1 after a switch meet its first read: shard1 reads the page
    again with the other shards' buckets left out; the other shards read once."""
    switched(newest_bucket("shard1"), "shard1", "shard2")
    ran = queries_per_shard()
    assert {s: len(sql) for s, sql in ran.items()} == {
        "shard1": 2,
        "shard2": 1,
        "shard3": 1,
        "shard4": 0,
    }
    assert BY_BUCKET not in ran["shard1"][0] and BY_BUCKET in ran["shard1"][1]


def test_rows_of_a_moved_bucket_that_the_page_does_not_reach_are_not_read_again():
    """Switched, bucket B's rows are still on shard1 among its 21 newest, but older than
    the whole first page: shard1 reads its page once, as if they were not there."""
    kept, a = product_on("shard1")
    moved, b = product_on("shard1", besides=[a])
    reviews_at(product_on("shard2")[0], range(30))
    reviews_at(product_on("shard3")[0], range(30))
    reviews_at(kept, [100])
    reviews_at(moved, range(200, 220))
    switched(b, "shard1", "shard2")
    ran = queries_per_shard()
    assert {s: len(sql) for s, sql in ran.items()} == {
        "shard1": 1,
        "shard2": 1,
        "shard3": 1,
        "shard4": 0,
    }


def test_a_shard_that_meets_a_moved_row_midway_reads_on_from_its_last_row():
    """shard1's 5 newest rows are its own, the next of a switched bucket: it reads on from
    its fifth row without that bucket, and the page lists each review once, in order."""
    kept, a = product_on("shard1")
    moved, b = product_on("shard1", besides=[a])
    reviews = [*reviews_at(kept, range(5)), *reviews_at(moved, range(10, 30))]
    reviews += reviews_at(kept, range(40, 60)) + reviews_at(product_on("shard2")[0], [35])
    switched(b, "shard1", "shard2")
    newest = sorted(reviews, key=lambda review: (review.created, review.pk), reverse=True)
    assert listed_page_by_page() == [review.pk for review in newest]
