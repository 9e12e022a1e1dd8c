"""What the coordinator sends the shards (EXPLAIN VERBOSE's Remote SQL), PostgreSQL 15:
postgres_fdw pushes down the WHERE and the ORDER BY, not the LIMIT through the Append of
the partitions, and no partial aggregate; partition pruning needs the bucket."""

import pytest

from reviews.shards import page_sql
from shop.coordinator import TABLE

from .coordinator_helpers import on_coordinator, plan, remote_sql
from .helpers import GRINDER_ON_SHARD2

pytestmark = [on_coordinator, pytest.mark.django_db(databases=["default", "coordinator"])]

STATS = f"SELECT product_id, count(*), count(rating), sum(rating) FROM {TABLE} GROUP BY product_id"
PARTITIONWISE = "enable_partitionwise_aggregate = on"


def test_latest_pushes_the_order_to_every_shard_but_not_the_limit(coordinator):
    """Each shard sorts (its index on created, id), a Merge Append merges, and the LIMIT
    stays on the coordinator: each shard's cursor is read 100 rows at a time (fetch_size)
    until the merge has 21, where the app asks each shard for 21."""
    text = plan(*page_sql())
    assert "Merge Append" in text
    assert len(remote_sql(text)) == 3
    for statement in remote_sql(text):
        assert "ORDER BY created DESC NULLS FIRST, id DESC NULLS FIRST" in statement
        assert "LIMIT" not in statement


def test_a_product_with_its_bucket_asks_one_partition(coordinator):
    """With the bucket in the WHERE, the planner prunes to the partition whose bounds hold
    it, and sends it the whole WHERE; the page's ORDER BY and LIMIT stay on the coordinator."""
    where = "product_id = 2 AND bucket = 39"
    text = plan(f"SELECT * FROM {TABLE} WHERE {where} ORDER BY created DESC, id DESC LIMIT 20")
    assert remote_sql(text) == [
        f"SELECT id, bucket, product_id, author_id, rating, text, created FROM public.{TABLE}"
        f" WHERE ((product_id = {GRINDER_ON_SHARD2})) AND ((bucket = 39))"
    ]
    assert "reviews_review_shard2" in text


def test_a_product_without_its_bucket_asks_every_partition(coordinator):
    """The product is the shard key, but the partitions are bounded by bucket, a hash of
    it that PostgreSQL cannot compute: every shard is asked."""
    assert len(remote_sql(plan(f"SELECT * FROM {TABLE} WHERE product_id = 2"))) == 3


def test_stats_per_product_send_every_row_to_the_coordinator(coordinator):
    """No aggregate reaches the shards: each sends every review's product and rating,
    and the coordinator groups them, where the app asks each shard for its sums."""
    for statement in remote_sql(plan(STATS)):
        assert statement == f"SELECT product_id, rating FROM public.{TABLE}"


def test_partitionwise_aggregate_adds_partial_aggregates_on_the_coordinator(coordinator):
    """enable_partitionwise_aggregate makes partial aggregates per partition, computed on
    the coordinator: PostgreSQL 15's postgres_fdw does not push partial aggregates."""
    text = plan(STATS, (), PARTITIONWISE)
    assert text.count("Partial HashAggregate") == 3
    assert all("GROUP BY" not in statement for statement in remote_sql(text))


def test_grouped_by_the_partition_key_the_whole_aggregate_is_pushed_down(coordinator):
    """Grouped by the bucket, every group is within one partition: with
    enable_partitionwise_aggregate each shard counts its own."""
    text = plan(f"SELECT bucket, count(*) FROM {TABLE} GROUP BY bucket", (), PARTITIONWISE)
    assert remote_sql(text) == [f"SELECT bucket, count(*) FROM public.{TABLE} GROUP BY 1"] * 3
