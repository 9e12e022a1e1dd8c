"""Sharding's reads: figures 2 and 3, against one database holding the same rows.

The "one database" is an extra alias, ``single``, holding a copy of every shard's rows
in one ``reviews_review`` table with the same indexes.
"""

import sqlite3

from .scale import DEEP, client, deep_page, fetch
from .sharding_shop import a_review, review_table_sql
from .timing import compare, loop, timed_row

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
    """A product's reviews, sharded, against one database with the same rows; and the
    latest reviews 50 pages deep against page 1, both fetched as pages.

    A product page asks the map, then one shard. The latest reviews come from every
    shard, merged; page 50 is reached by its "Older" links, as a visitor reaches it,
    whether the pages are numbered or go by cursor. It should cost what page 1 costs.
    """
    from django.core.paginator import Paginator

    from reviews.models import Review

    def page(reviews):
        return lambda: [r.pk for r in Paginator(reviews(), PAGE).get_page(1).object_list]

    product = a_review().product_id
    sharded = page(lambda: Review.objects.for_product(product))
    one = page(lambda: Review.objects.using("single").filter(product_id=product))
    note = "" if sharded() == one() else "THE PAGES DIFFER"
    timing = compare(one, sharded, repeat, rounds=50)
    rows = [timed_row("3", "sharding", "product page vs one database", timing.per(50), 1.1, note)]
    rows += latest_against_one_database(repeat)
    browser, deep = client(), deep_page("/reviews/")
    newest = loop(lambda: fetch(browser, "/reviews/"), 5)
    timing = compare(newest, loop(lambda: fetch(browser, deep), 5), repeat)
    what = f"latest reviews, page {DEEP} vs page 1 (the pages: flat)"
    rows.append(timed_row("3", "sharding", what, timing.per(5), 1.2))
    return rows


def older_than(created, pk):
    """The reviews older than the one at (created, pk), as one database asks the ORM:
    the cursor condition of ``page_sql``, ``created <=`` included."""
    from django.db.models import Q

    return Q(created__lte=created) & (Q(created__lt=created) | Q(created=created, pk__lt=pk))


def latest_against_one_database(repeat):
    """Page 1 and page 50 of the latest reviews as ``latest_page`` reads them (a cursor,
    21 rows a shard, merged), against the same cursor query on one database, through the
    ORM as a site with one database would ask it."""
    from reviews.models import Review
    from reviews.shards import FanOut, latest_page

    newest = Review.objects.using("single").order_by("-created", "-pk")
    deep = newest.values_list("created", "pk")[(DEEP - 1) * PAGE - 1]  # page 50 starts after it
    rows = []
    for number, cursor in [(1, None), (DEEP, deep)]:
        reviews = newest.filter(older_than(*cursor)) if cursor else newest

        def one(reviews=reviews):
            return [r.pk for r in reviews[:PAGE]]

        def sharded(cursor=cursor):
            return [r.pk for r in latest_page(FanOut(), older=cursor).reviews]

        note = "" if sharded() == one() else "THE PAGES DIFFER"
        timing = compare(one, sharded, repeat, rounds=20)
        what = f"latest reviews, page {number} vs one database"
        rows.append(timed_row("3", "sharding", what, timing.per(20), 1.5, note))
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
        1.1,
    )
