"""Sharding: figure 1, and the run of figures 1 to 6 (``python -m bench.sharding``).

Run from inside sharding/. The reviews are written by the project's own
``seed_reviews``; reads go through ``FanOut``, ``MergedReviews`` and ``for_product``.
The reads are in sharding_reads.py, the writes in sharding_writes.py.
"""

import argparse
from io import StringIO

from .harness import report, start_django, temporary_folder
from .pages import figure_1, queries_per_page
from .saved import Saved


def prepare():
    """What setup_demo does, without its fixtures: the shard files, every migration, a user."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from common.sqlite import create_database_file

    for alias in settings.DATABASES:
        create_database_file(alias)
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


def pattern_aliases():
    from django.conf import settings

    return ["default", "tickets", *settings.SHARDS]


def allocator_reset():
    from shop.ids import allocator

    allocator.reset()


def main():
    from . import sharding_reads, sharding_writes

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
        sharding_reads.fill_single(folder)
        rows += sharding_reads.figure_3(args.repeat)
        rows.append(sharding_reads.figure_2(args.repeat))
        rows += sharding_writes.figure_4(folder, args.repeat)
    report(rows)


if __name__ == "__main__":
    main()
