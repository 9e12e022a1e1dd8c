"""What a page of latest reviews costs: one query of one page's rows per shard, at most,
however deep the page, however many reviews, whatever the link says."""

import random
from contextlib import ExitStack
from urllib.parse import urlencode

import pytest
from django.db import connections, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews.models import Review
from reviews.shards import FanOut, latest_page, page_sql

from .helpers import EVERY_DATABASE, ON_POSTGRES, SHARDS, query_plan, sqlite_only
from .test_latest_pages import seed

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)
FIRST_SHARDS = SHARDS[:3]


@pytest.fixture
def shard_queries():
    """A function giving {shard: the SQL it has run since the test began}."""
    with ExitStack() as stack:
        captured = {s: stack.enter_context(CaptureQueriesContext(connections[s])) for s in SHARDS}
        yield lambda: {s: [q["sql"] for q in captured[s].captured_queries] for s in SHARDS}


def costs(client, url, shard_queries):
    """{shard: queries} of every request from `url` on, redirects followed: asserts
    that each query asks for one page and one row more, no more."""
    before = {shard: len(sql) for shard, sql in shard_queries().items()}
    response = client.get(url, follow=True)
    assert response.status_code == 200
    ran = {shard: sql[before[shard] :] for shard, sql in shard_queries().items()}
    assert all(sql.endswith("LIMIT 21") for queries in ran.values() for sql in queries)
    return {shard: len(queries) for shard, queries in ran.items()}


def cursor_url(review):
    """The link to the page just older than `review`, as one would write it by hand."""
    return "/reviews/?" + urlencode({"older": f"{review.created.isoformat()}~{review.pk}"})


@pytest.mark.parametrize("count", [10, 10_000])
def test_each_shard_runs_one_query_per_page_at_10_and_10_000_reviews(client, shard_queries, count):
    """The newest page and a page 50 deep cost each shard holding buckets one query
    of 21 rows, with 10 reviews as with 10 000."""
    reviews = seed(count, random.Random(count))
    deep = sorted(reviews, key=lambda r: (r.created, r.pk), reverse=True)[min(999, count - 1)]
    one_query_each = dict.fromkeys(FIRST_SHARDS, 1) | {"shard4": 0}
    assert costs(client, "/reviews/", shard_queries) == one_query_each
    assert costs(client, cursor_url(deep), shard_queries) == one_query_each


@pytest.mark.parametrize("page", ["2", "999999", "abc", "0", "-1", ""])
def test_an_old_page_number_costs_one_page_per_shard(client, shard_queries, page):
    """Out of range or garbage, an old ?page= link is never clamped to the last page
    (which read every row of every shard): at most one query of 21 rows per shard."""
    seed(50, random.Random(2))
    one_query_each = dict.fromkeys(FIRST_SHARDS, 1) | {"shard4": 0}
    assert costs(client, f"/reviews/?page={page}", shard_queries) == one_query_each


def test_a_page_builds_a_review_only_for_the_rows_the_merge_takes():
    """Each shard sends 21 rows, but a Review is built only for a row the merge takes:
    the page's 20, the one that tells whether there is another page, and at most one
    waiting on each shard, not all 63."""
    seed(200, random.Random(3))
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance.pk)

    post_init.connect(count, sender=Review)
    try:
        latest_page(FanOut())
    finally:
        post_init.disconnect(count, sender=Review)
    assert len(built) <= 21 + len(FIRST_SHARDS)


@pytest.mark.parametrize(
    "query",
    [
        "older=abc",
        "older=",
        "older=~5",
        "older=2026-05-01T10:00:00%2B00:00",
        "older=2026-05-01T10:00:00%2B00:00~x",
        "older=2026-05-01T10:00:00~5",  # no time zone
        "older=2026-05-01T10:00:00%2B00:00~-5",
        "older=2026-05-01T10:00:00%2B00:00~99999999999999999999999",
        "newer=0001-01-01T00:00:00%2B05:00~5",  # before year 1 in UTC
        "older=9999-12-31T23:59:59-05:00~5",  # after year 9999 in UTC
        "older=2026-05-01T10:00:00%2B00:00~5&newer=2026-05-01T10:00:00%2B00:00~5",
    ],
)
def test_a_malformed_cursor_is_404_and_reads_no_shard(client, shard_queries, query):
    """A cursor that does not parse is "not found", as DRF's CursorPagination answers
    an invalid cursor, before any shard is asked."""
    response = client.get(f"/reviews/?{query}")
    assert response.status_code == 404
    assert shard_queries() == {shard: [] for shard in SHARDS}


def page_plan(newer):
    """The plan of one page's query on shard1, from a cursor, as the latest page asks it."""
    return query_plan("shard1", *page_sql((timezone.now(), 5), newer))


@sqlite_only
@pytest.mark.parametrize(("newer", "start"), [(False, "created<?"), (True, "created>?")])
def test_a_page_starts_its_walk_of_the_index_at_the_cursor(newer, start):
    """SQLite walks the index on (created, id) from the cursor, either way, and sorts
    nothing: it stops after 21 rows, however deep the page."""
    plan = page_plan(newer)
    assert f"SEARCH reviews_review USING INDEX review_created_id ({start})" in plan
    assert "TEMP B-TREE" not in plan


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's query plans")
@pytest.mark.parametrize(("newer", "scan"), [(False, "Index Scan Backward"), (True, "Index Scan")])
def test_postgresql_walks_the_same_index_from_the_cursor(newer, scan):
    """PostgreSQL too, once told that a table scan is not an option (the test tables are
    too small for the index to pay otherwise): no sort, the cursor as the index's bound."""
    with transaction.atomic(using="shard1"):
        connections["shard1"].cursor().execute("SET LOCAL enable_seqscan = off")
        plan = page_plan(newer)
    assert f"{scan} using review_created_id" in plan
    assert "Index Cond: (created " in plan
    assert "Sort" not in plan
