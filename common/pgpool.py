"""Pgpool-II from outside Django (postgres/pgpool.sh starts it): which server answered a
session, what Pgpool knows of each server, a standby held still, a setting changed.
Used by its tests (common/tests_pgpool) and the benchmarks."""

import subprocess
import time
from contextlib import contextmanager

import psycopg
from psycopg.rows import dict_row

from common.postgres import PGPOOL, PRIMARY, ROOT, SERVERS, USER

# postgres/pgpool.sh's delay_threshold: a standby further behind than this gets no reads.
DELAY_THRESHOLD = 1024 * 1024
NODES = ["primary", "replica1", "replica2"]  # Pgpool's node ids, in order


def server_of(cursor):
    """The server that answered a session's last read, by its port: inet_server_port() is
    stable, so Pgpool balances it as a plain read (pg_is_in_recovery(), volatile, would be
    counted as a write and sent to the primary)."""
    cursor.execute("SELECT inet_server_port()")
    port = str(cursor.fetchone()[0])
    return next(name for name in NODES if SERVERS[name]["PORT"] == port)


def pool_nodes():
    """SHOW POOL_NODES through Pgpool, a new session: one dict a server, in NODES' order."""
    with psycopg.connect(**endpoint(), dbname="postgres", row_factory=dict_row) as session:
        return session.execute("SHOW POOL_NODES").fetchall()


def session(server, dbname="postgres", **options):
    """A new session on `server` (SERVERS', or PGPOOL) as Django opens one: autocommit,
    parameters merged in the client."""
    return psycopg.connect(
        host=server["HOST"], port=server["PORT"], dbname=dbname, user=USER, autocommit=True,
        cursor_factory=psycopg.ClientCursor, **options,
    )  # fmt: skip


def endpoint():
    return {"host": PGPOOL["HOST"], "port": PGPOOL["PORT"], "user": USER, "autocommit": True}


def until(check, what, timeout=5.0):
    """Wait for check() to be true, every 0.1 s, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        time.sleep(0.1)


def delay_of(name):
    """How far behind Pgpool last saw a standby's replay, in bytes of WAL (every
    sr_check_period, 1 s here)."""
    return int(pool_nodes()[NODES.index(name)]["replication_delay"])


@contextmanager
def replay_paused(name):
    """A standby that receives the primary's WAL and replays none of it (as postgres:
    pg_wal_replay_pause() is the superuser's), resumed after, until Pgpool gives it reads
    again (standbys_caught_up)."""
    server = {"host": SERVERS[name]["HOST"], "port": SERVERS[name]["PORT"]}
    with psycopg.connect(**server, user="postgres", dbname="postgres", autocommit=True) as s:
        s.execute("SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            s.execute("SELECT pg_wal_replay_resume()")
            standbys_caught_up()


def standbys_caught_up():
    """Wait, at most 5 s a step, until both standbys have replayed what the primary has
    written so far, then until Pgpool has seen them within delay_threshold. In that order:
    Pgpool checks every second, so the delay it shows may predate a burst of WAL (a test
    database just made copies its template into the WAL), or the burst's end."""
    with session(PRIMARY) as primary:
        written = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    replayed = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
    for name in NODES[1:]:
        with session(SERVERS[name]) as standby:
            done = lambda s=standby: s.execute(replayed, [written]).fetchone()[0]  # noqa: E731
            until(done, f"{name} replayed")
    caught_up = lambda: all(delay_of(name) <= DELAY_THRESHOLD for name in NODES[1:])  # noqa: E731
    until(caught_up, "Pgpool sees both standbys caught up")


@contextmanager
def pgpool_setting(setting, value, default):
    """Pgpool-II with `setting` at `value` for the sessions opened in the block, then back
    at `default` (postgres/pgpool-set.sh: the config file changed and reloaded)."""

    def set_to(new):
        script = ROOT / "postgres" / "pgpool-set.sh"
        subprocess.run([script, setting, new], check=True, capture_output=True, timeout=10)
        until(lambda: shown(setting) == new, f"Pgpool's {setting} = {new}")

    set_to(value)
    try:
        yield
    finally:
        set_to(default)


def shown(setting):
    """The value a new session of Pgpool's gets (PGPOOL SHOW)."""
    with psycopg.connect(**endpoint(), dbname="postgres") as session:
        return session.execute(f"PGPOOL SHOW {setting}").fetchone()[0]
