"""Figure 16: sharding's reads through the postgres_fdw coordinator, against the app's own
fan-out, on the same rows.

Run from inside sharding/ with DEMO_DATABASE=postgres, only when the servers of ``make
postgres-up`` answer (the runner asks ``postgres/ready.sh``), on databases of the bench's
own (bench_*): REVIEWS reviews seeded by ``seed_reviews``, the coordinator built from the
map by ``fdw_coordinator``'s ``rebuild()``. Alone, from the top, as ``make bench`` starts
it (debug off): ``.venv/bin/python -c "from bench.runner import fdw_rows; print(fdw_rows(5,
100000))"``. Each side is what the pages call: the app's
``FanOut`` and ``Review.objects.for_product``, and in SHARDING_READS = "fdw" mode the
``Coordinator`` and ``product_reviews`` (reviews/coordinator.py).
"""

import argparse

from .pool import bench_databases
from .sharding_shop import seed
from .timing import compare, loop, timed_row

REVIEWS, ROUNDS = 20000, 10


def rows_of(page):
    """The ids a page shows: both sides must show the same."""
    return [review.pk for review in page]


def sides(product):
    """{what: (the app's fan-out, through the coordinator)}: each a call of one page's read."""
    from django.core.paginator import Paginator

    from reviews.coordinator import Coordinator
    from reviews.models import Review
    from reviews.shards import FanOut, latest_page, stats_by_product
    from shop.coordinator import COORDINATOR
    from shop.sharding import bucket_for_product

    def first(reviews):
        return lambda: rows_of(Paginator(reviews(), 20).get_page(1).object_list)

    bucket, through = bucket_for_product(product), Review.objects.using(COORDINATOR)
    return {
        "latest reviews, page 1": (
            lambda: rows_of(latest_page(FanOut()).reviews),
            lambda: rows_of(latest_page(Coordinator()).reviews),
        ),
        "a product's reviews, with its bucket": (
            first(lambda: Review.objects.for_product(product)),
            first(lambda: through.filter(bucket=bucket, product_id=product)),
        ),
        "a product's reviews, without its bucket": (
            first(lambda: Review.objects.for_product(product)),
            first(lambda: through.filter(product_id=product)),
        ),
        "stats per product (the product list)": (
            lambda: stats_by_product(FanOut()),
            lambda: stats_by_product(Coordinator()),
        ),
    }


def figure_16(repeat, reviews):
    from django.contrib.auth import get_user_model

    from reviews.models import Review
    from shop.coordinator import hang_up, rebuild

    get_user_model().objects.create_user("author")  # seed_reviews needs one
    seed(reviews)
    rebuild()
    product = Review.objects.using("shard1").order_by("pk").first().product_id
    rows = []
    for what, (app, fdw) in sides(product).items():
        note = "" if app() == fdw() else "THE PAGES DIFFER"
        timing = compare(loop(app, ROUNDS), loop(fdw, ROUNDS), repeat)
        what = f"postgres_fdw vs the app's fan-out: {what}"
        rows.append(timed_row("16", "sharding", what, timing.per(ROUNDS), None, note))
    hang_up()
    return rows


def main():
    from .harness import report

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reviews", type=int, default=REVIEWS)
    args = parser.parse_args()
    with bench_databases():
        rows = figure_16(args.repeat, args.reviews)
    report(rows)


if __name__ == "__main__":
    main()
