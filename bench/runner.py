"""Each pattern's benchmark in a process of its own, and what it reports.

Two patterns' Django projects cannot share a process: each runs from inside its folder,
with the top of the repository on the path for ``common/`` and ``bench/`` (as its
manage.py does for ``common/``).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from .timing import row

ROOT = Path(__file__).resolve().parent.parent
NO_SERVERS = "skipped: no PostgreSQL servers (make postgres-up)"


def run(pattern, extra, module=None, database="sqlite", **switches):
    """The rows one benchmark process reports; its progress and errors pass through.
    `switches`: environment variables for it (DEMO_PGPOOL="on")."""
    print(f"== {module or pattern}", flush=True)
    env = os.environ | {
        "PYTHONPATH": str(ROOT),
        # Debug off: Django would keep every statement in memory, and time it.
        "DJANGO_DEBUG": "off",
        "DJANGO_SECRET_KEY": "bench-only-key-for-temporary-databases",
        "DEMO_DATABASE": database,
        # The figures say which aliases go through PgBouncer (bench/pgbouncer.py).
        "DEMO_PGBOUNCER": "off",
        "DEMO_PGPOOL": "off",  # and which through Pgpool-II (bench/replication_pgpool.py)
        **switches,
    }
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{module or pattern}", *extra],
        cwd=ROOT / pattern,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH-ROWS ")]
    if done.returncode or not lines:
        print(f"{module or pattern}: the benchmark failed (exit {done.returncode}); see above")
        return None
    return json.loads(lines[-1].removeprefix("BENCH-ROWS "))


def servers_ready():
    return subprocess.run([ROOT / "postgres" / "ready.sh"], capture_output=True).returncode == 0


def pool_rows(repeat):
    """Figures 10 and 13 on the servers of ``make postgres-up``, or rows that say they
    were skipped."""
    if servers_ready():
        return run("functional_split", ["--repeat", str(repeat)], "pool", "postgres")
    pool = "product page on PostgreSQL: with the pool vs without"
    bouncer = "through PgBouncer vs Django's pool"
    return [
        row(figure, "functional_split", what, "—", NO_SERVERS, None, "", None, None)
        for figure, what in [("10", pool), ("13", bouncer)]
    ]


def outage_rows():
    """Figure 11 on the servers of ``make postgres-up`` (it stops shard2's for a while),
    or a row that says it was skipped."""
    if servers_ready():
        return run("sharding", [], "sharding_outage", "postgres")
    what = "writes to the healthy shards: during a shard's outage vs before"
    return [row("11", "sharding", what, "—", NO_SERVERS, None, "", None, None)]


def fdw_rows(repeat, reviews):
    """Figure 16 on the servers of ``make postgres-up`` (postgres_fdw against the app's
    fan-out), or a row that says it was skipped."""
    if servers_ready():
        extra = ["--repeat", str(repeat), "--reviews", str(reviews)]
        return run("sharding", extra, "sharding_fdw", "postgres")
    what = "postgres_fdw vs the app's fan-out"
    return [row("16", "sharding", what, "—", NO_SERVERS, None, "", None, None)]


def failover_rows():
    """Figure 14 on the servers of ``make postgres-up`` (it runs the failover drill twice,
    restoring the servers after each), or a row that says it was skipped."""
    if servers_ready():
        return run("replication", [], "replication_failover", "postgres")
    what = "losing the primary: acknowledged writes lost"
    return [row("14", "replication", what, "—", NO_SERVERS, None, "", None, None)]


def consistency_rows(repeat, browse):
    """Figure 12 on SQLite, then on the servers of ``make postgres-up`` (it delays both
    standbys for a while), with the router and through Pgpool-II (and figure 15, its
    cost a statement), or a row that says that part was skipped."""
    extra = ["--repeat", str(repeat), "--browse", str(browse)]
    rows = run("replication", extra, "replication_consistency")
    if rows is None or not servers_ready():
        what = "postgres: the consistency lab, a delayed standby"
        return rows and [*rows, row("12", "replication", what, "—", NO_SERVERS, *[None] * 4)]
    more = run("replication", extra, "replication_consistency", "postgres")
    pgpool = run("replication", extra, "replication_pgpool", "postgres", DEMO_PGPOOL="on")
    return None if more is None or pgpool is None else rows + more + pgpool
