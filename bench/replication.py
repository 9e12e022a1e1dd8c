"""Replication: figures 1 and 2, and the run of 1, 2 and 8 (``python -m bench.replication``).

Run from inside replication/. Writes go to the primary through the
``PrimaryReplicaRouter``; ``manage.py replicate`` copies it into both replicas, which
are opened read-only (``mode=ro``) as the project's settings say.
"""

import argparse
import itertools

from . import replication_copies
from .harness import report, start_django, temporary_folder
from .pages import figure_1, queries_per_page, site_pages
from .replication_shop import add_reviews, prepare, replicate
from .timing import compare, timed_row


def pages():
    """The pages to count; the replicas take turns from the first, so both runs match."""
    import shop.pinning
    from reviews.models import Review

    shop.pinning._turns = itertools.count()
    return site_pages(Review.objects.using("default").order_by("pk").first())


def queries():
    """Every page's queries, each page reading the replicas' health afresh, as a process's
    first request of each REPLICA_HEALTH_SECONDS does: kept, the health made the counts
    hang on the clock (29 then 27 queries in one run)."""
    from django.test import override_settings

    with override_settings(REPLICA_HEALTH_SECONDS=0):
        return queries_per_page(pages())


def figure_2(repeat, number=20, rounds=20):
    """Reviews by pk through the router vs ``.using("replica1")``, `number` per request.

    The project's middleware chooses a replica at a request's first read (each replica's
    health, read at most once a REPLICA_HEALTH_SECONDS) and keeps it for the rest; each
    request runs inside that middleware, as a view would, so the choice is part of the
    router's cost, shared by its lookups.
    """
    from django.http import HttpResponse
    from django.test import RequestFactory

    from reviews.models import Review
    from shop.pinning import ReadYourWritesMiddleware

    ids = list(Review.objects.using("replica1").values_list("pk", flat=True)[:number])

    def in_request(lookup):
        def view(request):
            lookup()
            return HttpResponse()

        return lambda: ReadYourWritesMiddleware(view)(RequestFactory().get("/"))

    routed = in_request(lambda: [Review.objects.get(pk=pk) for pk in ids])
    explicit = in_request(lambda: [Review.objects.using("replica1").get(pk=pk) for pk in ids])
    timing = compare(explicit, routed, repeat, rounds=rounds)
    return timed_row(
        "2",
        "replication",
        f"lookup by pk, {number} per request: router vs .using()",
        timing.per(len(ids) * rounds),
        1.05,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--primary-mb", type=int, default=100)
    args = parser.parse_args()
    with temporary_folder() as folder:
        start_django(folder)
        admin = prepare()
        add_reviews(10, admin, seed=1)
        replicate()
        small = queries()
        add_reviews(10_000 - 10, admin, seed=2)
        replicate()
        large = queries()
        rows = [figure_1("replication", small, large, 10, 10_000), figure_2(args.repeat)]
        # At most 5 turns: each one writes the primary's size four times over.
        copies = replication_copies.figure_8(folder, args.primary_mb, admin, min(args.repeat, 5))
        rows.append(copies)
        rows.append(replication_copies.figure_8_lag())
    report(rows)


if __name__ == "__main__":
    main()
