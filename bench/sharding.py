"""Sharding: figures 1 to 3, and the run of every figure (``python -m bench.sharding``).

Run from inside sharding/. The reviews are written by the project's own
``seed_reviews``; reads go through ``FanOut``, ``MergedReviews`` and ``for_product``.
The "one database" the reads are compared with is an extra alias, ``single``, holding
a copy of every shard's rows in one ``reviews_review`` table with the same indexes.
"""

import argparse
import sqlite3
from io import StringIO

from .harness import compare, report, start_django, temporary_folder, timed_row
from .pages import figure_1, queries_per_page
from .saved import Saved

PAGE = 20


def prepare():
    """What setup_demo does, without its fixtures: the shard files, every migration, a user."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from shop.management.commands.setup_demo import sqlite_path

    for alias in settings.SHARDS:
        sqlite_path(alias).touch()
    for alias in settings.DATABASES:
        call_command("migrate", database=alias, verbosity=0)
    get_user_model().objects.create_superuser("admin", "admin@example.com", "admin")


def seed(count, products=500):
    from django.core.management import call_command

    call_command("seed_reviews", count=count, products=products, seed=1, stdout=StringIO())


def a_review():
    """The first review of the first shard that has one: its page, its product's page."""
    from django.conf import settings

    from reviews.models import Review

    for shard in settings.SHARDS:
        if review := Review.objects.using(shard).order_by("pk").first():
            return review
    raise RuntimeError("no review on any shard")


def pages():
    review = a_review()
    return {
        "product list": "/",
        "product page": f"/products/{review.product_id}/",
        "latest reviews": "/reviews/",
        "a review": f"/reviews/{review.pk}/",
        "review form": f"/reviews/new/?product={review.product_id}",
        "admin reviews": "/admin/reviews/review/",
    }


def queries(empty, count):
    """Every page's queries, with `count` reviews of 5 products on the shards."""
    empty.restore()
    seed(count, products=5)
    return queries_per_page(pages())


def fill_single(folder):
    """Copy every shard's reviews into the "single" alias: the one-database baseline."""
    from django.conf import settings
    from django.db import connections

    from shop.management.commands.setup_demo import sqlite_path

    connections.close_all()
    with sqlite3.connect(folder / "single.sqlite3") as single:
        schema = sqlite3.connect(sqlite_path("shard1")).execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'reviews_review' AND sql IS NOT NULL"
        )
        for (sql,) in schema:
            single.execute(sql)
        for shard in settings.SHARDS:
            single.execute("ATTACH ? AS shard", [str(sqlite_path(shard))])
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
    from shop.models import Bucket
    from shop.sharding import bucket_for_review

    ids = list(Review.objects.using("single").values_list("pk", flat=True)[:number])
    shard = {pk: Bucket.objects.get(number=bucket_for_review(pk)).shard for pk in ids}

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


def pattern_aliases():
    from django.conf import settings

    return ["default", *settings.SHARDS]


def allocator_reset():
    from shop.ids import allocator

    allocator.reset()


def main():
    from . import sharding_writes

    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with temporary_folder() as folder:
        start_django(folder, extra_aliases=["single"])
        prepare()
        empty = Saved(folder / "empty", pattern_aliases(), then=allocator_reset)
        rows = sharding_writes.figure_6(args.repeat)
        small, large = queries(empty, 10), queries(empty, 10_000)
        rows.append(figure_1("sharding", small, large, 10, 10_000))
        rows.append(sharding_writes.figure_5(empty, args.reviews, args.repeat))
        fill_single(folder)
        rows += figure_3(args.repeat)
        rows.append(figure_2(args.repeat))
        rows += sharding_writes.figure_4(folder, args.repeat)
    report(rows)


if __name__ == "__main__":
    main()
