"""Shadowing: figures 1 and 7 (``python -m bench.shadowing``).

Run from inside shadowing/. The snapshot is built and installed by the project's own
``build_dump`` and ``install`` (what ``setup_demo`` and ``take_snapshot`` run); reads go
through the ``Overlay`` that ``Review.objects`` returns, writes copy-on-write to
"default". The "one database" of figure 7 is an extra alias, ``merged``, migrated like
"default" and holding the rows the overlay shows.
"""

import argparse

from .data import add_admin, review_fields
from .harness import report, start_django, temporary_folder
from .pages import figure_1, queries_per_page, site_pages
from .timing import compare, timed_row

PAGE = 20


def take_snapshot(folder, reviews, admin):
    """A production dump of 5 products and `reviews` reviews, installed as the snapshot."""
    from products.models import Product
    from reviews.models import Review
    from shop.dumps import build_dump
    from shop.snapshot import install

    products = [Product(pk=n, name=f"Product {n}") for n in range(1, 6)]
    fields = review_fields(reviews, [1, 2, 3, 4, 5], admin.pk)
    rows = products + [Review(pk=n, **review) for n, review in enumerate(fields, 1)]
    dump = folder / "production.sqlite3"
    dump.unlink(missing_ok=True)
    build_dump(dump, rows)
    install(dump)


def local_changes(count):
    """`count` local changes: two fifths edited, two fifths deleted, one fifth added."""
    from reviews.models import Review

    edit, delete = count * 2 // 5, count * 2 // 5
    Review.objects.filter(pk__in=range(1, edit + 1)).update(text="Changed locally.")
    Review.objects.filter(pk__in=range(edit + 1, edit + delete + 1)).delete()
    added = review_fields(count - edit - delete, [1, 2, 3, 4, 5], 1, seed=2)
    Review.objects.bulk_create([Review(**review) for review in added])


def pages():
    from reviews.models import Review

    return site_pages(Review.objects.all()[0])


def figure_7(repeat, number=20):
    """A page of 20 reviews from the overlay vs the same query on one merged database.

    The overlay asks "default" for the keys it claims, then both databases for a page,
    and merges them; the baseline is one database that already holds the merged rows.
    """
    from django.core.management import call_command
    from django.core.paginator import Paginator

    from reviews.models import Review

    call_command("migrate", database="merged", verbosity=0)
    Review._base_manager.using("merged").bulk_create(list(Review.objects.all()))

    def page(reviews):
        return lambda: [(r.pk, r.text) for r in Paginator(reviews(), PAGE).get_page(1)]

    cases = [
        (
            "newest reviews",
            lambda: Review.objects.all(),
            lambda: Review._base_manager.using("merged"),
        ),
        (
            "a product's reviews",
            lambda: Review.objects.filter(product_id=2),
            lambda: Review._base_manager.using("merged").filter(product_id=2),
        ),
    ]
    rows = []
    for what, overlay, merged in cases:
        note = "" if page(overlay)() == page(merged)() else "THE PAGES DIFFER"
        timing = compare(page(merged), page(overlay), repeat, rounds=number)
        rows.append(
            timed_row(
                "7",
                "shadowing",
                f"page of 20, {what}: overlay vs one database",
                timing.per(number),
                2.0,
                note=note,
            )
        )
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--snapshot", type=int, default=10_000)
    parser.add_argument("--local", type=int, default=1_000)
    args = parser.parse_args()
    with temporary_folder() as folder:
        start_django(folder, extra_aliases=["merged"])
        from django.core.management import call_command

        from common.sqlite import create_database_file

        create_database_file("default")  # the settings' "?mode=rw" never creates one
        call_command("migrate", database="default", verbosity=0)
        admin = add_admin()
        take_snapshot(folder, 10, admin)
        small = queries_per_page(pages())
        take_snapshot(folder, 10_000, admin)
        large = queries_per_page(pages())
        rows = [figure_1("shadowing", small, large, 10, 10_000)]
        take_snapshot(folder, args.snapshot, admin)
        local_changes(args.local)
        rows += figure_7(args.repeat)
    report(rows)


if __name__ == "__main__":
    main()
