"""Reads across every shard: one query per shard, results combined in Python.

Each shard's rows of buckets that the map gives to another shard are left out, so rows
that `reshard` is copying, or has not yet deleted from their old shard, are never counted
twice (for the latest reviews, only when a shard turns out to hold such rows: see
FanOut.each).
"""

import heapq
from dataclasses import dataclass
from itertools import islice

from django.db import DatabaseError
from django.db.models import Q
from django.utils.connection import ConnectionDoesNotExist

from common.db_panel import note
from shop import bucket_map
from shop.sharding import bucket_for_product, buckets_by_shard

from .models import Review


class FanOut:
    """Runs a query on every shard that holds buckets; a shard that fails is left out."""

    def __init__(self):
        self.layout = bucket_map.layout()
        self.by_shard = buckets_by_shard(self.layout)
        self.missing = []

    def each(self, query, by_date=False):
        """[query(queryset) for each healthy shard], the queryset limited to its buckets;
        by_date for a query that returns a list of rows in order of date (see by_date)."""
        results = []
        for shard in self.by_shard:
            if shard in self.missing:
                continue
            try:
                if by_date:
                    results.append(self.by_date(shard, query))
                else:
                    results.append(query(self.reviews_on(shard)))
            except (DatabaseError, ConnectionDoesNotExist) as error:  # the latter: not in settings
                self.missing.append(shard)
                note(
                    shard,
                    f"{shard} is not available ({error}): its reviews are left out",
                    state="missing",
                )
        return results

    def by_date(self, shard, query):
        """query(every row of the shard), a plain walk of the index on (created, id); read
        again without the buckets the map gives other shards only if that met one of their
        rows (a copy under way, or rows not yet deleted after a switch). The rows read first
        are then the shard's own, the same rows the filtered query would return."""
        rows, own = query(Review.objects.using(shard)), set(self.by_shard[shard])
        if all(row.bucket in own for row in rows):
            return rows
        return query(self.reviews_on(shard, by_date=True))

    def reviews_on(self, shard, by_date=False):
        """The shard's reviews of its own buckets: IN its buckets, which SQLite counts
        on the index on ``bucket``; or, the same rows, NOT IN the others' buckets, so that
        SQLite walks the index on (created, id) and stops after one page, where IN would
        sort every row of the shard first (``make bench``, figure 3)."""
        reviews = Review.objects.using(shard)
        if by_date:
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


PAGE = 20


def by_created(review):
    """The order of the latest reviews, oldest first: created, then the id, which is
    unique, so that reviews of the same microsecond keep one place on every page."""
    return (review.created, review.pk)


def older_than(created, pk):
    """The reviews older than the one at (created, pk). The redundant ``created <=``
    lets SQLite start its walk of the index on (created, id) at the cursor; from the OR
    alone it would either walk from the newest row or read two lookups and sort them
    (``EXPLAIN QUERY PLAN``: ``MULTI-INDEX OR``)."""
    return Q(created__lte=created) & (Q(created__lt=created) | Q(created=created, pk__lt=pk))


def newer_than(created, pk):
    """The reviews newer than the one at (created, pk): older_than the other way."""
    return Q(created__gte=created) & (Q(created__gt=created) | Q(created=created, pk__gt=pk))


@dataclass
class LatestPage:
    """Reviews newest first, and whether a link leads to more on either side."""

    reviews: list
    has_newer: bool
    has_older: bool


def latest_page(fanout, older=None, newer=None, size=PAGE):
    """The newest `size` reviews, or those just older (or newer) than a cursor, a
    (created, id) pair: each shard reads `size` + 1 rows along its index from the cursor,
    however deep the page (the extra row tells whether there is another page), and
    heapq.merge keeps the first of them."""
    if newer:
        where, order = newer_than(*newer), ["created", "pk"]
    else:
        where, order = (older_than(*older) if older else Q()), ["-created", "-pk"]
    per_shard = fanout.each(
        lambda reviews: list(reviews.filter(where).order_by(*order)[: size + 1]), by_date=True
    )
    merged = list(islice(heapq.merge(*per_shard, key=by_created, reverse=not newer), size + 1))
    more, shown = len(merged) > size, merged[:size]
    if newer:  # read oldest first, from the cursor up; the cursor's review is older
        return LatestPage(shown[::-1], has_newer=more, has_older=bool(shown))
    return LatestPage(shown, has_newer=bool(older and shown), has_older=more)
