"""Sharding: figure 1, and the run of figures 1 to 6 and 9 (``python -m bench.sharding``).

Run from inside sharding/. The reviews are written by the project's own
``seed_reviews``; reads go through ``for_id``, ``for_product`` and the pages themselves.
The reads are in sharding_reads.py, the writes in sharding_writes.py and
sharding_ids.py.
"""

import argparse

from . import sharding_ids, sharding_reads, sharding_scale, sharding_writes
from .harness import report, start_django, temporary_folder
from .pages import figure_1, queries_per_page, site_pages
from .saved import Saved
from .scale import SIZES
from .sharding_shop import a_review, allocator_reset, pattern_aliases, prepare, seed


def pages():
    return {**site_pages(a_review()), "latest reviews": "/reviews/"}


def queries(empty, count):
    """Every page's queries, with `count` reviews of 5 products on the shards."""
    empty.restore()
    seed(count, products=5)
    return queries_per_page(pages())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--scale", type=int, nargs="+", default=SIZES)
    parser.add_argument("--scale-budget", type=float, default=None)
    args = parser.parse_args()
    with temporary_folder() as folder:
        start_django(folder, extra_aliases=["single"])
        prepare()
        empty = Saved(folder / "empty", pattern_aliases(), then=allocator_reset)
        rows = sharding_ids.figure_6(args.repeat)
        small, large = queries(empty, 10), queries(empty, 10_000)
        rows.append(figure_1("sharding", small, large, 10, 10_000))
        rows.append(sharding_writes.figure_5(empty, args.reviews, args.repeat))
        sharding_reads.fill_single(folder)
        rows += sharding_reads.figure_3(args.repeat)
        rows.append(sharding_reads.figure_2(args.repeat))
        rows += sharding_writes.figure_4(folder, args.repeat)
        rows += sharding_scale.figure_9(empty, args.scale, args.repeat, args.scale_budget)
    report(rows)


if __name__ == "__main__":
    main()
