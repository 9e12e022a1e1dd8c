"""Figure 13: PgBouncer in front of the primary, against Django's pool, under gunicorn.

Run by bench/pool.py's process (inside functional_split/, DEMO_DATABASE=postgres, on the
bench's databases), when PgBouncer answers (postgres/up.sh starts it when installed).
First a new connection's cost, outside Django: connect, one query, close, to the primary
directly and through PgBouncer. Then the product page, PAGES requests a turn from CLIENTS
clients at once, to two gunicorns (WORKERS sync workers each) serving side by side, in
turns: one with each alias's Django pool, one through PgBouncer (DEMO_PGBOUNCER=on: no
pool, a connection to PgBouncer each request). Meanwhile the server connections each
holds are counted in pg_stat_activity, from a connection of the bench's own. The test
client keeps its connections between requests, which would hide the difference.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from unittest.mock import patch
from urllib.request import urlopen

import psycopg

from common.postgres import BOUNCER, BOUNDS, PRIMARY, USER, bouncer_released, close_pools

from .harness import in_background
from .sharding_outage import WORKERS, served
from .timing import compare, loop, row, timed_row

CLIENTS, PAGES, CONNECTS = 8, 100, 20  # clients at once, pages a turn, connects a turn
NOT_RUNNING = "skipped: PgBouncer does not answer (apt-get install pgbouncer; make postgres-up)"


def connect(server, name, **options):
    with psycopg.connect(
        host=server["HOST"], port=server["PORT"], dbname=name, user=USER, **options
    ) as c:
        c.execute("SELECT 1")


def pages(url, number):
    """`number` requests for `url`, CLIENTS at once, each answer read whole."""

    def get(_):
        with urlopen(url, timeout=30) as answer:
            answer.read()

    with ThreadPoolExecutor(CLIENTS) as clients:
        list(clients.map(get, range(number)))


@contextmanager
def most_connections(names, seen):
    """During the block, `seen` keeps the most connections to databases `names` the
    server held for each application_name (pg_stat_activity, read every 0.1 s by a
    connection as postgres)."""

    def count(stop):
        server = {"host": PRIMARY["HOST"], "port": PRIMARY["PORT"], "dbname": "postgres"}
        with psycopg.connect(**server, user="postgres", autocommit=True) as admin:
            query = "SELECT application_name, count(*) FROM pg_stat_activity"
            query += " WHERE datname = ANY(%s) GROUP BY application_name"
            while not stop.wait(0.1):
                for name, number in admin.execute(query, [names]):
                    seen[name] = max(seen.get(name, 0), number)

    with in_background(count):
        yield


@contextmanager
def both_served(path):
    """The shop under gunicorn twice, side by side: with Django's pool, and through
    PgBouncer; yields their page's URLs, each server's connections named after it
    (libpq's PGAPPNAME, which PgBouncer hands on to its server connections)."""
    with ExitStack() as stack:
        urls = []
        for name, switch in [("bench-pool", "off"), ("bench-pgbouncer", "on")]:
            with patch.dict(os.environ, {"DEMO_PGBOUNCER": switch, "PGAPPNAME": name}):
                urls.append(stack.enter_context(served()) + path)
        for url in urls:
            pages(url, 2 * CLIENTS)  # each worker's first requests: imports, connections
        yield urls


def figure_13(repeat):
    """A new connection, then the pages a second and the server connections they took:
    through PgBouncer vs directly, with Django's pool."""
    from django.db import connections

    from products.models import Product

    names = [connections[alias].settings_dict["NAME"] for alias in connections]
    path = f"/products/{Product.objects.order_by('pk')[0].pk}/"
    connections.close_all()  # the bench's own connections are not counted
    close_pools()
    try:
        connect(BOUNCER, names[0])
    except psycopg.OperationalError:
        what = "through PgBouncer vs Django's pool"
        return [row("13", "functional_split", what, "—", NOT_RUNNING, None, "", None, None)]
    direct = loop(lambda: connect(PRIMARY, names[0], options=BOUNDS), CONNECTS)
    bounced = loop(lambda: connect(BOUNCER, names[0]), CONNECTS)
    setup = compare(direct, bounced, repeat).per(CONNECTS)
    seen = {}
    try:
        bouncer_released(names[0])  # from none: the pages' connections only
        with both_served(path) as urls, most_connections(names, seen):
            turns = (loop(lambda url=url: pages(url, PAGES), 1) for url in urls)
            served = compare(*turns, repeat)
    finally:
        for name in names:
            bouncer_released(name)  # then the bench's databases can be dropped
    held = f"{seen.get('bench-pool', 0)} with Django's pool, {seen.get('bench-pgbouncer', 0)}"
    return [
        timed_row(
            "13",
            "functional_split",
            "a new connection: through PgBouncer vs direct",
            setup,
            None,
            note="psycopg's connect, SELECT 1, close, outside Django; no target",
        ),
        row(
            "13",
            "functional_split",
            "product pages a second: through PgBouncer vs Django's pool",
            f"{PAGES / served.base:.0f}/s",
            f"{PAGES / served.cand:.0f}/s",
            1 / served.ratio,
            "",
            None,
            None,
            f"gunicorn -w {WORKERS} each, {PAGES} pages a turn, {CLIENTS} at once; server "
            f"connections held, at most: {held} through PgBouncer (pg_stat_activity); no target",
        ),
    ]
