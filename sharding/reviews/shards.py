"""Reads across every shard: one query per shard, results combined in Python.

Each shard's rows of buckets that the map gives to another shard are left out, so rows
that `reshard` is copying, or has not yet deleted from their old shard, are never counted
twice (for the latest reviews, only when a shard turns out to hold such rows: see
own_rows).
"""

import heapq
from dataclasses import dataclass
from itertools import chain, islice

from django.db import DatabaseError
from django.utils.connection import ConnectionDoesNotExist

from common.db_panel import note
from shop import bucket_map
from shop.down_shards import reach
from shop.sharding import bucket_for_product, buckets_by_shard

from .models import Review


class FanOut:
    """Runs a query on every shard that holds buckets; a shard that fails is left out."""

    def __init__(self):
        self.layout = bucket_map.layout()
        self.by_shard = buckets_by_shard(self.layout)
        self.missing = []

    def each(self, read):
        """[read(shard) for each shard that holds buckets], leaving out any that fails."""
        results = []
        for shard in self.by_shard:
            if shard in self.missing:
                continue
            try:
                reach(shard)  # refused at once if remembered down
                results.append(read(shard))
            except (DatabaseError, ConnectionDoesNotExist) as error:  # the latter: not in settings
                self.missing.append(shard)
                note(
                    shard,
                    f"{shard} is not available ({error}): its reviews are left out",
                    state="missing",
                )
        return results

    def reviews_on(self, shard):
        """The shard's reviews of its own buckets, which SQLite counts on the index on
        ``bucket``."""
        return Review.objects.using(shard).filter(bucket__in=self.by_shard[shard])

    def elsewhere(self, shard):
        """The buckets the map gives the other shards."""
        return [bucket for bucket, owner in self.layout.items() if owner != shard]

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
    for stats in fanout.each(lambda shard: fanout.reviews_on(shard).stats_by_product()):
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
TABLE = Review._meta.db_table


def by_created(review):
    """The order of the latest reviews, oldest first: created, then the id, which is
    unique, so that reviews of the same microsecond keep one place on every page."""
    return (review.created, review.pk)


def page_sql(cursor=None, newer=False, size=PAGE, leave_out=()):
    """(SQL, params): a shard's `size` + 1 reviews just older than `cursor`, a (created,
    id) pair, newest first, or just newer, oldest first; rows of `leave_out` buckets left out.

    The same statement runs on every shard, so it is written once, where the ORM would
    build it again for each shard, which cost more than reading the rows (``make bench``,
    figure 3). It walks the index on (created, id) from the cursor and stops after
    `size` + 1 rows. The redundant ``created <=`` lets SQLite start the walk at the cursor;
    from the OR alone it would read two lookups and sort them (``MULTI-INDEX OR``).
    """
    where, params = [], []
    if cursor:
        created, pk = cursor
        way = ">" if newer else "<"
        where.append(f"created {way}= %s AND (created {way} %s OR (created = %s AND id {way} %s))")
        params += [created, created, created, pk]
    if leave_out:
        where.append(f"NOT (bucket IN ({', '.join(['%s'] * len(leave_out))}))")
        params += leave_out
    where = f" WHERE {' AND '.join(where)}" if where else ""
    order = "ASC" if newer else "DESC"
    sql = f"SELECT * FROM {TABLE}{where} ORDER BY created {order}, id {order} LIMIT %s"
    return sql, [*params, size + 1]


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
    heapq.merge keeps the first of them. A Review is built only for a row the merge
    takes: the page's rows, and one waiting on each shard."""
    cursor, upward = older or newer, newer is not None
    pages = fanout.each(lambda shard: started(own_rows(fanout, shard, cursor, upward, size)))
    merged = list(islice(heapq.merge(*pages, key=by_created, reverse=not upward), size + 1))
    more, shown = len(merged) > size, merged[:size]
    if upward:  # read oldest first, from the cursor up; the cursor's review is older
        return LatestPage(shown[::-1], has_newer=more, has_older=bool(shown))
    return LatestPage(shown, has_newer=bool(older and shown), has_older=more)


def own_rows(fanout, shard, cursor, newer, size):
    """The shard's reviews from the cursor, in the page's order, of its own buckets only.

    Read first with no bucket named, a plain walk of the index. Rows of a bucket the
    map gives another shard are there only while `reshard` copies it, or until it deletes
    them after the switch; if one turns up, the shard reads on from the last row it gave,
    without the others' buckets, so that no review is counted twice.
    """
    rows = Review.objects.raw(*page_sql(cursor, newer, size), using=shard).iterator()
    for review in rows:
        if fanout.layout[review.bucket] != shard:
            rows.close()
            sql, params = page_sql(cursor, newer, size, fanout.elsewhere(shard))
            yield from Review.objects.raw(sql, params, using=shard).iterator()
            return
        cursor = (review.created, review.pk)
        yield review


def started(rows):
    """`rows` with the first taken already, so that its query runs now, where a shard
    that fails is caught (FanOut.each), rather than in the middle of the merge."""
    first = list(islice(rows, 1))
    return chain(first, rows)
