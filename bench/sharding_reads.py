"""Sharding's reads: figures 2 and 3, against one database holding the same rows.

The "one database" is an extra alias, ``single``, holding a copy of every shard's rows
in one ``reviews_review`` table with the same indexes.
"""

import sqlite3

from .sharding_shop import a_review, review_table_sql
from .timing import compare, timed_row

PAGE = 20


def fill_single(folder):
    """Copy every shard's reviews into the "single" alias: the one-database baseline."""
    from django.conf import settings
    from django.db import connections

    from common.sqlite import database_file

    connections.close_all()
    with sqlite3.connect(folder / "single.sqlite3") as single:
        for sql in review_table_sql():
            single.execute(sql)
        for shard in settings.SHARDS:
            single.execute("ATTACH ? AS shard", [str(database_file(shard))])
            single.execute("INSERT INTO reviews_review SELECT * FROM shard.reviews_review")
            single.commit()
            single.execute("DETACH shard")
    single.close()


def figure_3(repeat):
    """Latest reviews and a product page, sharded, against one database with the same rows.

    Page N of "latest" asks every shard for its first N pages and merges them, so the
    cost grows with the page number; a product page asks the map, then one shard.
    """
    from django.core.paginator import Paginator

    from reviews.models import Review
    from reviews.shards import FanOut, MergedReviews

    def page(reviews, number):
        return lambda: [r.pk for r in Paginator(reviews(), PAGE).get_page(number).object_list]

    def single():
        return Review.objects.using("single")

    product = a_review().product_id
    cases = [
        (
            "latest reviews, page 1",
            page(lambda: MergedReviews(FanOut()), 1),
            page(single, 1),
            20,
            1.5,
        ),
        (
            "latest reviews, page 50",
            page(lambda: MergedReviews(FanOut()), 50),
            page(single, 50),
            3,
            1.5,
        ),
        (
            "product page",
            page(lambda: Review.objects.for_product(product), 1),
            page(lambda: single().filter(product_id=product), 1),
            50,
            1.1,
        ),
    ]
    rows = []
    for what, sharded, one, number, limit in cases:
        note = "" if sharded() == one() else "THE PAGES DIFFER"
        timing = compare(one, sharded, repeat, rounds=number)
        rows.append(
            timed_row(
                "3",
                "sharding",
                f"{what} vs one database",
                timing.per(number),
                limit,
                note=note,
            )
        )
    return rows


def figure_2(repeat, number=20, rounds=20):
    """A review by id through ``for_id`` (the bucket map says where) vs ``.using(shard)``.

    The router has no instance to go by when reading by id, so the manager asks the
    map; the baseline is the same lookup by someone who already knows the shard.
    """
    from reviews.models import Review

    ids = list(Review.objects.using("single").values_list("pk", flat=True)[:number])
    # Where each review was read from: the baseline knows its shard in advance.
    shard = {pk: Review.objects.for_id(pk).get()._state.db for pk in ids}

    def routed():
        for pk in ids:
            Review.objects.for_id(pk).get()

    def explicit():
        for pk in ids:
            Review.objects.using(shard[pk]).get(pk=pk)

    timing = compare(explicit, routed, repeat, rounds=rounds)
    return timed_row(
        "2",
        "sharding",
        "lookup by id: for_id() vs .using(shard)",
        timing.per(len(ids) * rounds),
        1.05,
    )
