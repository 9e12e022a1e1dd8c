"""Reads across every shard: one query per shard, results combined in Python.

Each shard's rows of buckets that the map gives to another shard are left out, so rows
that `reshard` is copying, or has not yet deleted from their old shard, are never counted
twice.
"""

import heapq
from itertools import islice

from django.db import DatabaseError
from django.utils.connection import ConnectionDoesNotExist

from common.db_panel import note
from shop.models import Bucket
from shop.sharding import bucket_for_product, buckets_by_shard

from .models import Review


class FanOut:
    """Runs a query on every shard that holds buckets; a shard that fails is left out."""

    def __init__(self):
        self.layout = Bucket.objects.layout()
        self.by_shard = buckets_by_shard(self.layout)
        self.missing = []

    def each(self, query, newest_first=False):
        """[query(queryset) for each healthy shard], the queryset limited to its buckets;
        newest_first for a query that reads the newest rows first (see reviews_on)."""
        results = []
        for shard in self.by_shard:
            if shard in self.missing:
                continue
            try:
                results.append(query(self.reviews_on(shard, newest_first)))
            except (DatabaseError, ConnectionDoesNotExist) as error:  # the latter: not in settings
                self.missing.append(shard)
                note(
                    shard,
                    f"{shard} is not available ({error}): its reviews are left out",
                    state="missing",
                )
        return results

    def reviews_on(self, shard, newest_first=False):
        """The shard's reviews of its own buckets: IN its buckets, which SQLite counts
        on the index on ``bucket``; or, the same rows, NOT IN the others' buckets, so that
        SQLite walks the index on ``created`` and stops after one page, where IN would
        sort every row of the shard first (``make bench``, figure 3)."""
        reviews = Review.objects.using(shard)
        if newest_first:
            elsewhere = [bucket for bucket, owner in self.layout.items() if owner != shard]
            return reviews.exclude(bucket__in=elsewhere)
        return reviews.filter(bucket__in=self.by_shard[shard])

    def left_out(self, product_id):
        """True if the product's reviews are on a shard that failed: its numbers are unknown."""
        return self.layout[bucket_for_product(product_id)] in self.missing

    @property
    def banners(self):
        return [
            f"{shard} is not available: the reviews it holds are missing from this page."
            for shard in self.missing
        ]


def stats_by_product(fanout):
    """{product id: {"count": n, "average": x}}, added up from each shard's sums."""
    combined = {}
    for stats in fanout.each(lambda reviews: reviews.stats_by_product()):
        for product_id, row in stats.items():
            total = combined.setdefault(product_id, {"count": 0, "rated": 0, "total": 0})
            for key in total:
                total[key] += row[key] or 0
    return {
        product_id: {
            "count": s["count"],
            "average": s["total"] / s["rated"] if s["rated"] else None,
        }
        for product_id, s in combined.items()
    }


def by_created(review):
    return (review.created, review.pk)


class MergedReviews:
    """Every shard's reviews as one sequence, newest first, for Django's Paginator.

    Page N needs the first N pages of every shard: one shard may hold all of them.
    """

    def __init__(self, fanout):
        self.fanout = fanout

    def count(self):
        return sum(self.fanout.each(lambda reviews: reviews.count()))

    def __len__(self):
        return self.count()

    def __getitem__(self, page):
        stop = page.stop
        per_shard = self.fanout.each(
            lambda reviews: list(reviews.order_by("-created", "-pk")[:stop]), newest_first=True
        )
        merged = heapq.merge(*per_shard, key=by_created, reverse=True)
        return list(islice(merged, page.start, stop))
