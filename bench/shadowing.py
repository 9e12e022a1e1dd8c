"""Shadowing: figures 1, 7 and 9 (``python -m bench.shadowing``).

Run from inside shadowing/. The snapshot is built and installed by the project's own
``build_dump`` and ``install`` (what ``setup_demo`` and ``take_snapshot`` run); reads go
through the ``Overlay`` that ``Review.objects`` returns, writes copy-on-write to
"default". The "one database" of figure 7 is an extra alias, ``merged``, migrated like
"default" and holding the rows the overlay shows.
"""

import argparse

from . import shadowing_scale
from .data import add_admin
from .harness import report, start_django, temporary_folder
from .pages import figure_1, queries_per_page, site_pages
from .scale import SIZES
from .shadowing_shop import local_changes, take_snapshot
from .timing import compare, timed_row

PAGE = 20


def pages():
    from reviews.models import Review

    return site_pages(Review.objects.all()[0])


def figure_7(repeat, snapshot, number=20):
    """A page of 20 reviews from the overlay vs the same query on one merged database.

    The overlay reads the snapshot a chunk at a time, asks "default" which keys of the
    chunk it claims, and merges both sides; the baseline is one database that already
    holds the merged rows. The target: 3x at 10 000 snapshot rows, 2x from 100 000, where
    the snapshot's own reading outweighs the merge.
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
                3.0 if snapshot < 100_000 else 2.0,
                note=note,
            )
        )
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--snapshot", type=int, default=10_000)
    parser.add_argument("--local", type=int, default=1_000)
    parser.add_argument("--scale", type=int, nargs="+", default=SIZES)
    parser.add_argument("--scale-budget", type=float, default=None)
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
        rows += figure_7(args.repeat, args.snapshot)
        rows += shadowing_scale.figure_9(folder, admin, args.scale, args.repeat, args.scale_budget)
    report(rows)


if __name__ == "__main__":
    main()
