"""Figures 15 and 12 through Pgpool-II (``python -m bench.replication_pgpool``, inside
replication/, with DEMO_DATABASE=postgres and DEMO_PGPOOL=on: one alias, no router).

First figure 15, a statement's cost (bench/pgpool_cost.py). Then the consistency lab's
scenarios (bench/pgpool_lab.py) on the standbys the app's strategies had, LAG behind
(bench/replication_lag.py), with Pgpool alone to split reads from writes, the database
made and migrated directly (shop_through_pgpool). Run by bench/runner.py after the
app's lab, only when the servers of ``make postgres-up`` answer.
"""

import argparse
from contextlib import contextmanager
from importlib import import_module

import psycopg

from common.pgpool import NODES, session, until
from common.postgres import PGPOOL, PRIMARY

from .pgpool_cost import figure_15
from .pgpool_lab import lab, watch
from .replication_lag import LAG, lagging_shop
from .timing import row

NOT_RUNNING = "skipped: Pgpool-II does not answer (apt-get install pgpool2; make postgres-up)"


def rows(found, browsed, seconds):
    out = [
        row("12", "replication", f"postgres, {name}: stale reads through Pgpool-II", "—",
            f"{stale}/{runs}", None, "", None, None,
            note="" if part is None else f"reads on the primary: {part:.0%}")
        for name, (stale, runs, part) in found.items()
    ]  # fmt: skip
    what = f"postgres, browsing {seconds} s after a write, {LAG * 1000:.0f} ms behind"
    out.append(
        row("12", "replication", f"{what}: stale pages through Pgpool-II", "—",
            f"{browsed[0]}/{seconds}", None, "", None, None,
            note=f"share on the primary: {browsed[1]:.0%}")
    )  # fmt: skip
    return out


@contextmanager
def shop_through_pgpool():
    """lagging_shop's shop, its database made and migrated on the primary directly, then
    its one alias moved to Pgpool, once each standby has it. Through Pgpool, migrate's
    reads missed its own writes (a duplicate content type), and a session failed to
    start while a standby had yet to replay CREATE DATABASE (both seen here)."""
    from django.db import connections

    import_module("shop.settings").DATABASES["default"] |= PRIMARY
    with lagging_shop("postgres") as (user, product):
        name = connections["default"].settings_dict["NAME"]
        on_both = lambda: all(replayed(name, standby) for standby in NODES[1:])  # noqa: E731
        until(on_both, "the shop on both standbys")
        moved(connections["default"], PGPOOL)
        try:
            yield user, product
        finally:
            moved(connections["default"], PRIMARY)


def replayed(name, standby):
    try:
        with session(PGPOOL, name, application_name=standby) as pooled:
            return pooled.execute("SELECT count(*) FROM products_product").fetchone()[0] > 0
    except psycopg.Error:
        return False


def moved(connection, server):
    """An alias's sessions closed, and its next ones opened on `server`, one a request:
    no pool, so each request draws its server (a pooled session keeps its draw for life,
    and one process's few would decide the whole lab)."""
    connection.close_pool()
    connection.close()
    connection.settings_dict |= server
    connection.settings_dict["OPTIONS"] = connection.settings_dict["OPTIONS"] | {"pool": False}


def main():
    from django.db.backends.signals import connection_created

    from .harness import report

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--browse", type=int, default=30)
    args = parser.parse_args()
    try:
        found = [figure_15()]
    except psycopg.OperationalError:
        what = "through Pgpool-II"
        return report(
            [row(f, "replication", what, "—", NOT_RUNNING, *[None] * 4) for f in "12 15".split()]
        )
    connection_created.connect(watch)
    with shop_through_pgpool() as (user, product):
        results = lab(user, product, max(5, 3 * args.repeat), args.browse)
    report(found + rows(*results, args.browse))


if __name__ == "__main__":
    main()
