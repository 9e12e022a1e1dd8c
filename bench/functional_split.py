"""Separation by function: figures 1 and 2 (``python -m bench.functional_split``).

Run from inside functional_split/. Reviews are written and read through the
``ReviewsRouter``, which sends the reviews app to the "reviews" database.
"""

import argparse

from .data import add_admin, review_fields
from .harness import report, start_django, temporary_folder
from .pages import figure_1, queries_per_page, site_pages
from .timing import compare, timed_row


def prepare():
    from django.core.management import call_command
    from django.db import connections

    from common.sqlite import create_database_file
    from products.models import Product

    for alias in connections:
        create_database_file(alias)  # the settings' "?mode=rw" never creates one
        call_command("migrate", database=alias, verbosity=0)
    admin = add_admin()
    Product.objects.bulk_create(Product(name=f"Product {n}") for n in range(1, 6))
    return admin


def add_reviews(count, admin, seed):
    from products.models import Product
    from reviews.models import Review

    products = list(Product.objects.values_list("pk", flat=True))
    fields = review_fields(count, products, admin.pk, seed)
    Review.objects.bulk_create(Review(**review) for review in fields)


def pages():
    from reviews.models import Review

    return site_pages(Review.objects.order_by("pk").first())


def figure_2(repeat, number=20, rounds=20):
    """A review by primary key through the router vs the same lookup naming its database.

    The baseline is what the router saves the caller from writing: ``.using("reviews")``.
    """
    from reviews.models import Review

    ids = list(Review.objects.values_list("pk", flat=True)[:number])

    def routed():
        for pk in ids:
            Review.objects.get(pk=pk)

    def explicit():
        for pk in ids:
            Review.objects.using("reviews").get(pk=pk)

    timing = compare(explicit, routed, repeat, rounds=rounds)
    return timed_row(
        "2",
        "functional_split",
        "lookup by pk: router vs .using()",
        timing.per(len(ids) * rounds),
        1.05,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with temporary_folder() as folder:
        start_django(folder)
        admin = prepare()
        add_reviews(10, admin, seed=1)
        small = queries_per_page(pages())
        add_reviews(10_000 - 10, admin, seed=2)
        large = queries_per_page(pages())
        rows = [figure_1("functional_split", small, large, 10, 10_000), figure_2(args.repeat)]
    report(rows)


if __name__ == "__main__":
    main()
