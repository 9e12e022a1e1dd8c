"""Which buckets move: by their rows, so the new shard gets its share of rows, not just
its share of buckets (pure functions, no database)."""

import random

from shop.sharding import NUM_BUCKETS, initial_layout, plan_moves

THREE = ["shard1", "shard2", "shard3"]
FOUR = [*THREE, "shard4"]


def share_moved(sizes):
    moves = plan_moves(initial_layout(THREE), FOUR, sizes)
    return sum(sizes[bucket] for bucket, _, _ in moves) / sum(sizes.values())


def test_the_highest_buckets_being_the_biggest_does_not_move_them_all():
    """Each shard's last five buckets hold ten times the rows: the rows moved stay within
    1.1 times a quarter (the highest five of each would move 77 %)."""
    sizes = {bucket: 1000 if bucket % 20 >= 15 else 100 for bucket in range(NUM_BUCKETS)}
    assert share_moved(sizes) <= 1.1 / 4


def test_lumpy_buckets_move_close_to_a_quarter_of_the_rows():
    """Reviews come in lumps of one product: buckets of 500 to 3 000 rows, fixed seed."""
    rng = random.Random(1)
    sizes = {bucket: rng.randrange(500, 3000) for bucket in range(NUM_BUCKETS)}
    assert 0.9 / 4 <= share_moved(sizes) <= 1.1 / 4


def test_a_bucket_being_moved_stays_in_the_plan_whatever_its_rows():
    """An interrupted move is finished, not left for another bucket (reshard's rerun)."""
    sizes = {bucket: 1000 if bucket == 3 else 100 for bucket in range(NUM_BUCKETS)}
    moves = plan_moves(initial_layout(THREE), FOUR, sizes, moving={3: "shard4"})
    assert (3, "shard1", "shard4") in moves
