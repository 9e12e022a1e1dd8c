"""Figure 12, the consistency lab (``python -m bench.replication_consistency``): stale
reads and the primary's share of the reads under each REPLICATION_READ_YOUR_WRITES.

Run from inside replication/, on SQLite (temporary files, a follower copying every LAG
seconds in a thread) or with DEMO_DATABASE=postgres (a database of its own, both standbys
held LAG behind by postgres/delay.sh, a heartbeat every second), only when the servers
of ``make postgres-up`` answer (the runner asks ``postgres/ready.sh``).
"""

import argparse
import logging
import os
import subprocess
import threading
from contextlib import contextmanager
from io import StringIO

from .runner import ROOT
from .timing import row

STRATEGIES = ["none", "time", "position"]
LAG = 0.2


@contextmanager
def following(interval):
    """`replicate` every interval in a thread: SQLite's copies, PostgreSQL's heartbeat."""
    from django.core.management import call_command
    from django.db import connections

    stop = threading.Event()

    def follow():
        while not stop.wait(interval):
            call_command("replicate", stdout=StringIO())
        connections.close_all()

    thread = threading.Thread(target=follow)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def delay(value):
    for alias in ("replica1", "replica2"):
        script = ROOT / "postgres" / "delay.sh"
        subprocess.run([script, alias, value], check=True, capture_output=True, timeout=30)


@contextmanager
def lagging_shop(engine):
    """The shop on its own databases, the replicas LAG behind; yields (user, product id)."""
    from django.core.management import call_command

    from .replication_shop import prepare

    if engine == "sqlite":
        from .harness import start_django, temporary_folder

        with temporary_folder() as folder:
            start_django(folder)
            user = prepare()
            call_command("replicate", stdout=StringIO())
            with following(LAG):
                yield user, product_id()
        return
    with postgres_shop() as user:
        delay(f"{LAG * 1000:.0f}ms")
        try:
            with following(1.0):
                yield user, product_id()
        finally:
            delay("0")


@contextmanager
def postgres_shop():
    """The project's PostgreSQL settings on a database of its own, bench_replication."""
    from importlib import import_module

    os.environ["DJANGO_SETTINGS_MODULE"] = "shop.settings"
    settings = import_module("shop.settings")
    settings.DATABASES["default"]["TEST"] = {"NAME": "bench_replication"}
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    from products.models import Product

    from .data import add_admin

    created = setup_databases(verbosity=0, interactive=False)
    try:
        Product.objects.using("default").create(name="Product 1")
        call_command("replicate", stdout=StringIO())
        yield add_admin()
    finally:
        for alias in connections:
            connections[alias].close_pool()
        teardown_databases(created, verbosity=0)


def product_id():
    from products.models import Product

    return Product.objects.using("default").order_by("pk")[0].pk


def lab(user, product, runs, seconds):
    """{strategy: {scenario: (stale, runs, primary share)}}, and the browsing results."""
    from django.test import override_settings

    from .replication_lab import COUNTS, SCENARIOS, browsing

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the stale reads' 404s
    found, browsed = {}, {}
    for strategy in STRATEGIES:
        with override_settings(REPLICATION_READ_YOUR_WRITES=strategy):
            for name, scenario in SCENARIOS.items():
                COUNTS.clear()
                stale = sum(scenario(user, product, strategy) for _ in range(runs))
                found.setdefault(name, {})[strategy] = (stale, runs, share())
            COUNTS.clear()
            stale, carried = browsing(user, product, seconds)
            checks = sum(n for (alias, kind), n in COUNTS.items() if kind == "token")
            primary = COUNTS["default", "shop"]
            browsed[strategy] = (stale, primary, share(), checks / max(carried, 1))
    return found, browsed


def share():
    """The share of the shop's reads counted so far that the primary served."""
    from .replication_lab import COUNTS

    shop = {alias: n for (alias, kind), n in COUNTS.items() if kind == "shop"}
    return shop.get("default", 0) / max(sum(shop.values()), 1)


def rows(engine, found, browsed, seconds):
    """Targets: no stale read by position, as by time, in every scenario; browsing, at
    most a tenth of time's reads on the primary, and one token check a request at most."""
    out = []
    for name, by in found.items():
        (none, runs, _), (time_, _, _), (position, _, _) = (by[s] for s in STRATEGIES)
        shares = ", ".join(f"{s} {by[s][2]:.0%}" for s in STRATEGIES)
        out.append(
            row("12", "replication", f"{engine}, {name}: stale reads by position",
                f"none {none}/{runs}, time {time_}/{runs}", f"{position}/{runs}", None,
                "0, as time", None, position == 0 and time_ == 0,
                note=f"reads on the primary: {shares}")
        )  # fmt: skip
    stale = ", ".join(f"{s} {browsed[s][0]}/{seconds}" for s in STRATEGIES)
    by_time, by_position = browsed["time"][1], browsed["position"][1]
    ratio = by_position / by_time if by_time else None
    what = f"{engine}, browsing {seconds} s after a write, {LAG * 1000:.0f} ms behind"
    out.append(
        row("12", "replication", f"{what}: primary's reads, position vs time",
            f"{by_time} reads", f"{by_position} reads", ratio, "≤ 0.1x", 0.1,
            ratio is not None and ratio <= 0.1 and browsed["position"][0] == 0,
            note=f"stale pages: {stale}; share on the primary: "
            + ", ".join(f"{s} {browsed[s][2]:.0%}" for s in STRATEGIES))
    )  # fmt: skip
    checks = browsed["position"][3]
    out.append(
        row("12", "replication", f"{engine}: token checks per request that carries a token",
            "—", f"{checks:.2f}", None, "≤ 1", None, checks <= 1)
    )  # fmt: skip
    return out


def main():
    from django.db.backends.signals import connection_created

    from .harness import report
    from .replication_lab import watch

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--browse", type=int, default=30)
    args = parser.parse_args()
    engine = "postgres" if os.environ.get("DEMO_DATABASE") == "postgres" else "sqlite"
    runs = max(5, 3 * args.repeat)
    connection_created.connect(watch)
    with lagging_shop(engine) as (user, product):
        found, browsed = lab(user, product, runs, args.browse)
    report(rows(engine, found, browsed, args.browse))


if __name__ == "__main__":
    main()
