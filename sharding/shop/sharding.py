"""Where a review lives, as pure functions: no database is needed to answer.

Reviews are grouped by product into NUM_BUCKETS logical buckets, and the bucket map on
"default" (shop.models.Bucket) says which shard holds each bucket. Adding a shard moves
whole buckets; nothing is ever rehashed.
"""

import hashlib

# Fixed for the life of the data: every review id carries its bucket (id % NUM_BUCKETS),
# so another number means new ids for every review. It is also the most shards there can
# be, and the smallest part a shard can give up. 60 divides evenly among 2, 3, 4, 5 or 6
# shards and keeps the demo's map readable; real systems take hundreds to thousands
# (README, *60 buckets, folded into every id*).
NUM_BUCKETS = 60


def bucket_for_product(product_id):
    """The bucket of every review of this product: a hash that is the same in every process.

    Python's hash() is salted per process, so it would scatter a product's reviews. MD5
    is used to spread keys evenly, not for security.
    """
    digest = hashlib.md5(str(product_id).encode(), usedforsecurity=False).digest()
    return int.from_bytes(digest[:8], "big") % NUM_BUCKETS


def review_id(ticket, bucket):
    """A global id: a ticket from the allocator on "tickets", with the bucket folded in."""
    return ticket * NUM_BUCKETS + bucket


def bucket_for_review(review_id):
    """The bucket of a review, from its id alone."""
    return review_id % NUM_BUCKETS


def initial_layout(shards):
    """{bucket: shard}: consecutive runs of buckets, one run per shard."""
    per_shard = -(-NUM_BUCKETS // len(shards))
    return {bucket: shards[bucket // per_shard] for bucket in range(NUM_BUCKETS)}


def buckets_by_shard(layout, shards=()):
    """{shard: [buckets]}, every given shard included even when it holds none."""
    grouped = {shard: [] for shard in shards}
    for bucket, shard in sorted(layout.items()):
        grouped.setdefault(shard, []).append(bucket)
    return grouped


def plan_moves(layout, shards, sizes=None, moving=None):
    """[(bucket, source, target)]: the fewest moves that leave every shard an even share
    of buckets, and of rows as near as whole buckets allow.

    A shard over its share of buckets gives up those whose rows (`sizes`, {bucket: rows})
    bring it closest to an even share of rows, a bucket already `moving` first; a
    bucket on a shard that is no longer listed always moves.
    """
    sizes, moving = sizes or {}, moving or {}
    share, extra = divmod(NUM_BUCKETS, len(shards))
    owned = buckets_by_shard(layout, shards)
    quota = {shard: share + (index < extra) for index, shard in enumerate(shards)}
    even = sum(sizes.values()) / len(shards)
    leaving = []
    for shard, buckets in owned.items():
        count = len(buckets) - quota.get(shard, 0)
        rows = sum(sizes.get(bucket, 0) for bucket in buckets) - even
        picked = pick(buckets, count, rows, sizes, moving) if count > 0 else []
        leaving += [(bucket, shard) for bucket in picked]
    moves = []
    for shard in shards:
        for _ in range(quota[shard] - min(len(owned[shard]), quota[shard])):
            bucket, source = leaving.pop(0)
            moves.append((bucket, source, shard))
    return sorted(moves)


def pick(buckets, count, rows, sizes, moving):
    """`count` of the buckets, holding as near `rows` rows between them as a swap can
    bring: the highest numbers to begin with (a bucket already moving first, and kept),
    then the best swap of a picked bucket for another, until no swap comes nearer."""

    def gap_after(swap):
        out, into = swap
        return abs(gap + sizes.get(out, 0) - sizes.get(into, 0))

    ordered = sorted(buckets, key=lambda bucket: (bucket not in moving, -bucket))
    picked, left = ordered[:count], ordered[count:]
    while True:
        gap = rows - sum(sizes.get(bucket, 0) for bucket in picked)
        swaps = [(out, into) for out in picked if out not in moving for into in left]
        best = min(swaps, key=gap_after, default=None)
        if best is None or gap_after(best) >= abs(gap):
            return picked
        out, into = best
        picked[picked.index(out)], left[left.index(into)] = into, out


class WrongShard(ValueError):
    """A review was sent to a database that is not the shard of its bucket."""


class BucketMoving(Exception):
    """A write to a bucket `reshard` is moving, or has just moved: refused, and rolled back
    if it already ran, since a row written to the old shard now could be lost."""
