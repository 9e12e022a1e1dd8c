"""60 buckets, folded into every id: the most shards there can be, the smallest part a
shard can give up, and a number no later change can reach without new ids. Pure
functions: no database."""

from shop import sharding
from shop.sharding import NUM_BUCKETS, bucket_for_review, initial_layout, plan_moves, review_id

SIXTY = [f"shard{n}" for n in range(1, 61)]


def test_a_61st_shard_is_given_no_bucket():
    """Sixty shards hold a bucket each; reshard finds nothing to give the 61st."""
    assert plan_moves(initial_layout(SIXTY), [*SIXTY, "shard61"]) == []


def test_a_hot_bucket_stays_whole():
    """One bucket with most of the rows (a hot product) moves whole or not at all: from
    two shards to three, one shard holds it, the others only small buckets."""
    sizes = dict.fromkeys(range(NUM_BUCKETS), 10) | {0: 10_000}
    layout = initial_layout(["shard1", "shard2"])
    for bucket, _, target in plan_moves(layout, ["shard1", "shard2", "shard3"], sizes):
        layout[bucket] = target
    rows = [sum(sizes[b] for b, s in layout.items() if s == shard) for shard in SIXTY[:3]]
    assert sorted(rows) == [200, 200, 10_190]


def test_more_buckets_would_scatter_the_ids_already_given(monkeypatch):
    """Doubling to 120 splits no bucket: an old id's bucket would follow its ticket, odd
    or even, not its product, and one product's reviews would seem to be in two."""
    ids = [review_id(ticket, 39) for ticket in range(41, 45)]  # four reviews of one product
    monkeypatch.setattr(sharding, "NUM_BUCKETS", 120)
    assert {bucket_for_review(pk) for pk in ids} == {39, 99}
