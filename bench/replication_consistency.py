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

from .replication_lag import LAG, lagging_shop
from .timing import row

STRATEGIES = ["none", "time", "position"]


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
