"""Figure 10: a page on PostgreSQL with Django's connection pool, and without it (and in
the same process figure 13, bench/pgbouncer.py: PgBouncer against the pool).

Run from inside functional_split/ with DEMO_DATABASE=postgres, only when the servers of
``make postgres-up`` answer (the runner asks ``postgres/ready.sh``). The pages are
requested through Django's WSGI handler, as a server calls it, so that each request ends
as a real one does: without the pool its connections close, with it they go back to the
pool. The test client keeps them open between requests, which would hide the difference.
"""

import argparse
import os
from contextlib import contextmanager

from common.postgres import POOL

from .timing import compare, loop, timed_row

REQUESTS = 20


def start_django():
    """The pattern's PostgreSQL settings, on databases of the bench's own (bench_*)."""
    from importlib import import_module

    os.environ["DJANGO_SETTINGS_MODULE"] = "shop.settings"
    settings = import_module("shop.settings")
    for database in settings.DATABASES.values():
        # A MIRROR stays: replication's replicas read the primary's database by streaming.
        database["TEST"] = database.get("TEST", {}) | {"NAME": f"bench_{database['NAME']}"}
        database["CONN_MAX_AGE"] = 0  # what the pool requires, and the default
    import django

    django.setup()


@contextmanager
def bench_databases():
    """Django started (start_django), the bench's databases created for the block and
    dropped after it, once this process's pools, which hold connections to them, close."""
    from django.test.utils import setup_databases, teardown_databases

    from common.postgres import close_pools

    start_django()
    created = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        close_pools()
        teardown_databases(created, verbosity=0)


def use_pool(on):
    """Every alias with the settings' pool (common/postgres.py's POOL) or none, from its
    next connection on."""
    from django.db import connections

    connections.close_all()
    for alias in connections:
        options = connections[alias].settings_dict.setdefault("OPTIONS", {})
        options["pool"] = POOL if on else False


def get(handler, url):
    """One request, start to end, through a WSGI handler: status 200 or an error."""
    from django.test import RequestFactory

    environ = RequestFactory().get(url, SERVER_NAME="localhost").environ
    response = handler(environ, lambda status, headers: None)
    response.close()  # request_finished: the connections close, or go back to the pool
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")


def figure_10(repeat):
    """The product page (a query on "default", two on "reviews"), with and without."""
    from django.core.handlers.wsgi import WSGIHandler

    from products.models import Product

    from .functional_split import add_reviews, prepare

    add_reviews(100, prepare(), seed=1)
    handler, url = WSGIHandler(), f"/products/{Product.objects.order_by('pk')[0].pk}/"
    direct, pooled = (loop(lambda: get(handler, url), REQUESTS) for _ in range(2))
    setups = (lambda: use_pool(False), lambda: use_pool(True))
    try:
        timing = compare(direct, pooled, repeat, setups)
    finally:
        use_pool(True)  # close_pool() closes only a pool that OPTIONS still names
    return timed_row(
        "10",
        "functional_split",
        "product page on PostgreSQL: with the pool vs without",
        timing.per(REQUESTS),
        None,
        note=f"{REQUESTS} requests a turn; without the pool each one connects to default and "
        "reviews; no target",
    )


def main():
    from .harness import report
    from .pgbouncer import figure_13

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with bench_databases():
        rows = [figure_10(args.repeat), *figure_13(args.repeat)]
    report(rows)


if __name__ == "__main__":
    main()
