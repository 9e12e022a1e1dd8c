"""Figures 15 and 12 through Pgpool-II (``python -m bench.replication_pgpool``, inside
replication/, with DEMO_DATABASE=postgres and DEMO_PGPOOL=on: one alias, no router).

Figure 15, outside Django: SELECT 1 on one session to replica1, directly and through
Pgpool (a session that reads replica1), STATEMENTS times each. Then the consistency lab's
scenarios (bench/replication_lab.py) on the standbys the app's strategies had, LAG behind
(bench/replication_lag.py), with Pgpool alone to split reads from writes (the database
made and migrated directly: shop_through_pgpool). The alias is
the same for every read: which server answered a read of the shop's tables is asked on
its session right after it (common/pgpool.py's server_of). Run by bench/runner.py after
the app's lab, only when the servers of ``make postgres-up`` answer.
"""

import argparse
import logging
import statistics
from collections import Counter
from contextlib import contextmanager
from importlib import import_module
from unittest.mock import patch

import psycopg

from common.pgpool import NODES, server_of, until
from common.postgres import PGPOOL, PRIMARY, SERVERS, USER
from common.sql import is_write

from . import replication_lab
from .replication_lag import LAG, lagging_shop
from .timing import Timing, row, seconds, timed_row

STATEMENTS = 2000
NOT_RUNNING = "skipped: Pgpool-II does not answer (apt-get install pgpool2; make postgres-up)"
SERVED = Counter()  # server name: reads of the shop's tables it answered


def session(server, dbname="postgres", **options):
    """A session as Django's: autocommit, parameters merged in the client."""
    return psycopg.connect(
        host=server["HOST"], port=server["PORT"], dbname=dbname, user=USER, autocommit=True,
        cursor_factory=psycopg.ClientCursor, **options,
    )  # fmt: skip


def figure_15():
    """The median of STATEMENTS timings of one SELECT 1 on each session, interleaved
    (which goes first alternates), so that a burst of load lands on both sides."""
    replica1 = {"application_name": "replica1"}
    with session(SERVERS["replica1"]) as direct, session(PGPOOL, **replica1) as pooled:
        assert server_of(pooled.cursor()) == "replica1"
        spent = {direct: [], pooled: []}
        for turn in range(STATEMENTS):
            for side in (direct, pooled) if turn % 2 else (pooled, direct):
                spent[side].append(seconds(lambda side=side: side.execute("SELECT 1").fetchone()))
    base, cand = (statistics.median(spent[side]) for side in (direct, pooled))
    what = "a statement: through Pgpool-II vs direct"
    return timed_row(
        "15", "replication", what, Timing(base, cand, cand / base), None,
        note=f"SELECT 1 on one session to replica1, the median of {STATEMENTS} each: "
        f"{(cand - base) * 1e6:+.0f} µs a statement; no target",
    )  # fmt: skip


def count_by_server(execute, sql, params, many, context):
    """An execute wrapper: after each read of the shop's tables, its server, asked on the
    same session (Pgpool keeps a session's reads on one server)."""
    result = execute(sql, params, many, context)
    if not is_write(sql) and any(table in sql for table in replication_lab.SHOP_TABLES):
        with context["connection"].connection.cursor() as same_session:
            SERVED[server_of(same_session)] += 1
    return result


def watch(sender, connection, **kwargs):
    if count_by_server not in connection.execute_wrappers:
        connection.execute_wrappers.append(count_by_server)


def from_primary(model, **lookup):
    """The lab's on_primary, read on the primary itself: through Pgpool it may not be.
    Empty (the scenario's next step fails, and counts it) when the write never came: its
    request read the login's session on a standby that had yet to replay it, and was sent
    to log in (a stale read too)."""
    from django.db import connections

    ((field, value),) = lookup.items()
    query = f'SELECT id FROM "{model._meta.db_table}" WHERE "{field}" = %s'
    with session(PRIMARY, connections["default"].settings_dict["NAME"]) as primary:
        found = primary.execute(query, [value]).fetchone()
    return found[0] if found else ""


def share():
    return SERVED["primary"] / max(sum(SERVED.values()), 1)


def lab(user, product, runs, seconds):
    """{scenario: (stale, runs, primary share)}, and browsing's (stale, primary share).
    No strategy: with one alias the app has no replica to steer away from."""
    from django.test import override_settings

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the stale reads' 404s
    found = {}
    with (
        override_settings(REPLICATION_READ_YOUR_WRITES="none"),
        patch.object(replication_lab, "on_primary", from_primary),
    ):
        for name, scenario in replication_lab.SCENARIOS.items():
            SERVED.clear()
            found[name] = (sum(scenario(user, product, "none") for _ in range(runs)), runs, share())
        SERVED.clear()
        stale, _ = replication_lab.browsing(user, product, seconds)
    return found, (stale, share())


def rows(found, browsed, seconds):
    out = [
        row("12", "replication", f"postgres, {name}: stale reads through Pgpool-II", "—",
            f"{stale}/{runs}", None, "", None, None, note=f"reads on the primary: {part:.0%}")
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
