"""Figure 15: what Pgpool-II adds to a statement, outside Django (run first by
bench/replication_pgpool.py): SELECT 1 on one session to replica1, directly and through
Pgpool (a session that reads replica1, app_name_redirect_preference_list), STATEMENTS
times each."""

import statistics

from common.pgpool import server_of, session
from common.postgres import PGPOOL, SERVERS

from .timing import Timing, seconds, timed_row

STATEMENTS = 2000


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
