"""seed_reviews: rows written in bulk, each on the shard its bucket is given, by the
same ids and map as any other write."""

from contextlib import ExitStack
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews.models import Review
from shop.models import Bucket
from shop.sharding import bucket_for_product, bucket_for_review

from .helpers import EVERY_DATABASE, SHARDS, create_author

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


def test_each_shard_gets_its_rows_in_one_insert_statement():
    """One statement run for every row (executemany), not one compiled per 140 rows."""
    with ExitStack() as stack:
        captured = {
            shard: stack.enter_context(CaptureQueriesContext(connections[shard]))
            for shard in SHARDS
        }
        seed()
    inserts = {
        shard: sum("INSERT INTO" in query["sql"] for query in queries)
        for shard, queries in captured.items()
    }
    assert inserts == {"shard1": 1, "shard2": 1, "shard3": 1, "shard4": 0}


def test_seeded_dates_read_back_as_they_were_written():
    """Within the past year, in UTC, through the ORM as any review's date."""
    before = timezone.now()
    seed()
    dates = Review._base_manager.using("shard1").values_list("created", flat=True)
    assert all(before - timedelta(days=366) < date <= before for date in dates)
