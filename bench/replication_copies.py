"""Replication's copies: figure 8, ``replicate`` and the heartbeat it leaves."""

import os
import subprocess
import time

from common.sqlite import database_file

from .replication_shop import add_reviews, replicate
from .timing import compare, row, timed_row

REPLICATE_INTERVAL = 10  # seconds: `replicate --follow`'s default


def grow_primary(megabytes, admin):
    """Add reviews of about 2 KB each until the primary's file holds `megabytes`."""
    from django.db import connections

    primary = database_file("default")
    seed = 10
    while primary.stat().st_size < megabytes * 1_000_000:
        add_reviews(5000, admin, seed, words=300)
        with connections["default"].cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        seed += 1
    return primary.stat().st_size


def figure_8(folder, megabytes, admin, repeat):
    """``replicate`` into both replicas vs ``cp`` of the primary's file twice.

    cp is the floor: it copies bytes and nothing else, neither consistent (it would copy
    a file being written half-way) nor synced. ``replicate`` copies one consistent
    snapshot of the primary into a new file, syncs it and renames it over the replica,
    so that a reader never sees half a copy.
    """
    size = grow_primary(megabytes, admin)
    primary = database_file("default")

    def cp_twice():
        for n in (1, 2):
            subprocess.run(["cp", primary, folder / f"cp{n}.sqlite3"], check=True)

    timing = compare(cp_twice, replicate, repeat)
    what = f"replicate {size / 1e6:.0f} MB to 2 replicas vs cp"
    note = "cp is neither consistent nor synced; replicate is both (a new file, synced, renamed)"
    return timed_row("8", "replication", what, timing, 3.5, note=note)


def figure_8_lag(samples=(0.0, 0.5, 1.0)):
    """The lag a replica's heartbeat shows vs the real age of its copy, after `replicate`.

    The real age counts from the moment the copy was in place (the file's last write);
    the heartbeat is stamped on the primary just before the copies start, so it
    overstates the age by the time the copies took. The target: by less than one
    interval of ``replicate --follow``.
    """
    from shop.replicas import REPLICAS, read_lag

    replicate()
    worst = 0.0
    for pause in samples:
        time.sleep(pause)
        for alias in REPLICAS:
            lag = read_lag(alias)  # read now, not the health kept for a second
            age = time.time() - os.stat(database_file(alias)).st_mtime
            worst = max(worst, abs(lag - age))
    return row(
        "8",
        "replication",
        "heartbeat lag vs real age of the copy",
        f"interval {REPLICATE_INTERVAL} s",
        f"off by {worst:.2f} s",
        worst / REPLICATE_INTERVAL,
        "≤ 1x (one interval)",
        1.0,
        worst <= REPLICATE_INTERVAL,
    )
