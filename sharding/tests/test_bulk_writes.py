"""Rows written in bulk, by seed_reviews and by reshard's copy: one INSERT statement
run for many rows, each row on the shard its bucket is given."""

from contextlib import ExitStack
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews.models import Review
from shop import resharding
from shop.models import Bucket
from shop.sharding import bucket_for_product, bucket_for_review

from .helpers import EVERY_DATABASE, SHARDS, create_author, create_product

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)
COUNT = 3000


def seed():
    create_author()
    call_command("seed_reviews", count=COUNT, products=50, seed=1, stdout=StringIO())


def test_every_seeded_row_is_on_its_buckets_shard():
    seed()
    layout = Bucket.objects.layout()
    found = 0
    for shard in SHARDS:
        for pk, bucket, product in Review._base_manager.using(shard).values_list(
            "pk", "bucket", "product_id"
        ):
            assert layout[bucket] == shard
            assert bucket == bucket_for_product(product) == bucket_for_review(pk)
            found += 1
    assert found == COUNT


def inserts(queries):
    return sum("INSERT INTO" in query["sql"] for query in queries)


def test_seed_gives_each_shard_its_rows_in_one_insert_statement():
    """One statement run for every row (executemany), not one compiled per 140 rows."""
    with ExitStack() as stack:
        captured = {
            shard: stack.enter_context(CaptureQueriesContext(connections[shard]))
            for shard in SHARDS
        }
        seed()
    assert {shard: inserts(queries) for shard, queries in captured.items()} == {
        "shard1": 1,
        "shard2": 1,
        "shard3": 1,
        "shard4": 0,
    }


def test_seeded_dates_read_back_as_they_were_written():
    """Within the past year, in UTC, through the ORM as any review's date."""
    before = timezone.now()
    seed()
    dates = Review._base_manager.using("shard1").values_list("created", flat=True)
    assert all(before - timedelta(days=366) < date <= before for date in dates)


def test_reshard_copies_a_bucket_in_one_insert_statement():
    """A bucket of 300 rows: one statement run for them all (bulk_create fit 140 rows in
    an INSERT on SQLite, so three)."""
    product, author = create_product(), create_author()
    made = Review.objects.bulk_create(
        Review(product_id=product.pk, author_id=author.pk, text=f"#{n}") for n in range(300)
    )
    with CaptureQueriesContext(connections["shard4"]) as target:
        copied = resharding.copy(made[0].bucket, made[0]._state.db, "shard4")
    assert (copied, inserts(target)) == (300, 1)
