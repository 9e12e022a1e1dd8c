"""Placement as pure functions: no database is needed to say where a review lives."""

import subprocess
import sys
from collections import Counter

import pytest

from shop.sharding import (
    NUM_BUCKETS,
    bucket_for_product,
    bucket_for_review,
    buckets_by_shard,
    initial_layout,
    plan_moves,
    review_id,
)

THREE = ["shard1", "shard2", "shard3"]
FOUR = [*THREE, "shard4"]


def test_demo_products_have_the_buckets_the_readme_names():
    assert [bucket_for_product(pk) for pk in range(1, 6)] == [10, 39, 2, 37, 49]


def test_bucket_is_the_same_in_another_process():
    """Python's hash() changes with PYTHONHASHSEED; the placement must not."""
    code = "from shop.sharding import bucket_for_product; print(bucket_for_product(12345))"
    for seed in ["1", "2"]:
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": "."},
            capture_output=True,
            text=True,
            check=True,
        )
        assert int(out.stdout) == bucket_for_product(12345)


@pytest.mark.parametrize("ticket", [1, 41, 10**12])
@pytest.mark.parametrize("bucket", [0, 17, NUM_BUCKETS - 1])
def test_a_review_id_carries_its_bucket(ticket, bucket):
    assert bucket_for_review(review_id(ticket, bucket)) == bucket


def test_different_tickets_never_share_an_id():
    ids = {review_id(t, b) for t in range(1, 200) for b in range(NUM_BUCKETS)}
    assert len(ids) == 199 * NUM_BUCKETS


def test_100_000_keys_spread_within_a_few_percent_of_even_over_buckets():
    """About 1 667 keys a bucket; chance alone moves one by ±41 (one standard deviation)."""
    counts = Counter(bucket_for_product(key) for key in range(100_000))
    even = 100_000 / NUM_BUCKETS
    assert len(counts) == NUM_BUCKETS
    assert max(abs(n - even) / even for n in counts.values()) < 0.08


@pytest.mark.parametrize("shards", [THREE, FOUR])
def test_100_000_keys_spread_within_a_few_percent_of_even_over_shards(shards):
    """Three shards as migrated, and four after the moves `reshard` plans."""
    layout = initial_layout(THREE)
    for bucket, _, target in plan_moves(layout, shards):
        layout[bucket] = target
    counts = Counter(layout[bucket_for_product(key)] for key in range(100_000))
    even = 100_000 / len(shards)
    assert max(abs(n - even) / even for n in counts.values()) < 0.03


def test_initial_layout_gives_each_shard_a_run_of_buckets():
    held = buckets_by_shard(initial_layout(THREE))
    assert held == {
        "shard1": list(range(0, 20)),
        "shard2": list(range(20, 40)),
        "shard3": list(range(40, 60)),
    }


def test_adding_a_fourth_shard_moves_a_quarter_of_the_buckets_to_it():
    moves = plan_moves(initial_layout(THREE), FOUR)
    assert len(moves) == NUM_BUCKETS // 4
    assert {target for _, _, target in moves} == {"shard4"}
    assert Counter(source for _, source, _ in moves) == {"shard1": 5, "shard2": 5, "shard3": 5}


def test_an_even_layout_needs_no_moves():
    assert plan_moves(initial_layout(THREE), THREE) == []


def test_a_shard_left_out_gives_up_every_bucket():
    moves = plan_moves(initial_layout(THREE), ["shard1", "shard2"])
    assert {bucket for bucket, source, _ in moves if source == "shard3"} == set(range(40, 60))
    assert len(moves) == 20
