"""The PostgreSQL servers of ``make postgres-up``, for the settings' PostgreSQL block.

``postgres/up.sh`` starts them on 127.0.0.1, each on its own port, from a base port that
is DEMO_POSTGRES_PORT or else derived from this checkout's path (postgres/env.sh derives
the same), so two clones on one machine never meet. The servers, in the order of their
ports: the primary, two hot standbys (one per replica alias of replication) and one
server per shard of sharding.
"""

import atexit
import hashlib
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["primary", "replica1", "replica2", "shard1", "shard2", "shard3", "shard4"]
# Every port a checkout may be given: a base every 10 ports from 61000, 400 bases. Above
# Linux's ephemeral range (ip_local_port_range, 32768-60999 by default), which it lends to
# outgoing connections: a port there may be held for a moment by any client on the
# machine, and a server starting then fails with "Address already in use".
PORTS = range(61000, 61000 + 10 * 400)


def default_base_port(root):
    """The base port of a checkout at ``root``: one of PORTS' bases, from its path's hash."""
    return PORTS.start + 10 * (int(hashlib.md5(str(root).encode()).hexdigest()[:4], 16) % 400)


BASE_PORT = int(os.environ.get("DEMO_POSTGRES_PORT") or default_base_port(ROOT))
SERVERS = {
    name: {"HOST": "127.0.0.1", "PORT": str(BASE_PORT + offset)}
    for offset, name in enumerate(NAMES)
}
PRIMARY = SERVERS["primary"]
# PgBouncer in front of the primary, on the port after the servers' (postgres/env.sh's
# BOUNCER_PORT), in transaction pooling mode; postgres/up.sh starts it when installed.
BOUNCER = {"HOST": "127.0.0.1", "PORT": str(BASE_PORT + len(NAMES))}
# Pgpool-II, one endpoint for the primary and both standbys, on the port after PgBouncer's
# (postgres/env.sh's PGPOOL_PORT); postgres/pgpool.sh starts it when installed.
PGPOOL = {"HOST": "127.0.0.1", "PORT": str(BASE_PORT + len(NAMES) + 1)}

# The role the sites connect as (postgres/up.sh makes it): it owns their databases and may
# create the test databases, and is no superuser, so a site that fills the server's
# max_connections leaves the last superuser_reserved_connections to `psql -U postgres`.
USER = "shop"
# Django's own pool (psycopg_pool), one per alias and per process: a request borrows a
# connection and gives it back, instead of paying a new one each time. max_size bounds
# what one process holds; timeout is how long a borrower waits when the server is down
# or every connection is busy, and then all it says is "couldn't get a connection after
# 3.00 sec" (the reason goes to the psycopg.pool logger). Every max_idle seconds the pool
# closes one connection that whole while unused, down to min_size: a burst's connections
# are all given back within (8 - 1 + 1) * 7 = 56 s of its end (psycopg_pool's default,
# 10 minutes, kept them for over an hour).
POOL = {"min_size": 1, "max_size": 8, "max_idle": 7, "timeout": 3}
# What a query says when the pool could not reach its server in time.
POOL_TIMEOUT = f"couldn't get a connection after {POOL['timeout']:.2f} sec"


# How long a statement may wait on a lock, and run in all, before the server cancels it
# (a QueryCanceled, so the request gets the 503 page naming the alias, and its connection
# goes back to the pool), sent at connect as libpq's options. Unbounded, requests that
# waited on one locked table held every connection of their pools, and pages that never
# touch that table got 503s too. The lock wait stays under the pool's timeout, so a
# connection turns over before a borrower gives up. Commands have the same bounds: each
# of their statements is short.
BOUNDS = "-c statement_timeout=5s -c lock_timeout=1s"


def database(server, name, *, user=USER, pool=POOL, **extra):
    """One alias's settings: database ``name`` on ``server`` (one of SERVERS), pooled, its
    statements bounded (BOUNDS), with the OPTIONS ``extra`` gives added. CONN_MAX_AGE stays
    0, as Django requires with a pool (the pool keeps the connections). The engine is
    Django's PostgreSQL backend with one change (common/backend): it checks each borrowed
    connection, as CONN_HEALTH_CHECKS would have the pool do, but after a restart of the
    server drops all the pool's dead connections at once. With DEMO_PGBOUNCER=on a pooled
    alias on the primary goes through PgBouncer instead (through_bouncer)."""
    own = extra.pop("OPTIONS", {})
    settings = {
        "ENGINE": "common.backend",  # Django's, quick after a restart
        "NAME": name,
        "USER": user,
        "OPTIONS": {"pool": pool, "options": BOUNDS, **own},
        "CONN_HEALTH_CHECKS": False,  # common.backend checks instead
        **server,
        **extra,
    }
    if pool and server is PRIMARY and os.environ.get("DEMO_PGBOUNCER") == "on":
        return through_bouncer(settings)
    return settings


def through_bouncer(settings):
    """An alias's settings (database()'s) moved to PgBouncer, as DEMO_PGBOUNCER=on moves
    every pooled alias on the primary: no pool in Django (PgBouncer's, one for every
    process, replaces them); no server-side cursors (a cursor lives on one server
    connection, and the client's next transaction may get another); no libpq options,
    which PgBouncer 1.18 refuses (it sets BOUNDS itself, postgres/up.sh)."""
    options = {key: value for key, value in settings["OPTIONS"].items() if key != "options"}
    moved = {"OPTIONS": options | {"pool": False}, "DISABLE_SERVER_SIDE_CURSORS": True}
    return settings | BOUNCER | moved


def through_pgpool(settings):
    """An alias's settings (database()'s) moved to Pgpool-II, as DEMO_PGPOOL=on moves
    replication's one alias: Pgpool sends its writes to the primary and its reads to the
    server its session drew. The time zone goes in the startup packet: Django then skips
    its own `SELECT set_config('TimeZone', ...)` on connect (it sends it when the server's
    TimeZone differs from the one it wants, UTC here, and initdb set Etc/UTC), which
    Pgpool counts as a write, set_config being volatile (replication/README.rst,
    "Pgpool-II: the split below the app"). No server-side cursors: Pgpool 4.3 fails
    psycopg's ("unable to execute Describe"), and QuerySet.iterator() declares one."""
    options = settings["OPTIONS"] | {"options": f"{BOUNDS} -c TimeZone=UTC"}
    return settings | PGPOOL | {"OPTIONS": options, "DISABLE_SERVER_SIDE_CURSORS": True}


def aliases_on_postgres(aliases, *, mixable=True):
    """The aliases the settings move to PostgreSQL: every one with DEMO_DATABASE=postgres,
    else those DEMO_POSTGRES_ALIASES names (comma-separated); the rest stay on SQLite."""
    if os.environ.get("DEMO_DATABASE") == "postgres":
        return list(aliases)
    named = [alias for alias in os.environ.get("DEMO_POSTGRES_ALIASES", "").split(",") if alias]
    if named and not mixable:
        raise ImproperlyConfigured(
            "DEMO_POSTGRES_ALIASES: this project runs on one engine (see the end of its "
            "settings.py); use DEMO_DATABASE=postgres."
        )
    if unknown := [alias for alias in named if alias not in aliases]:
        raise ImproperlyConfigured(
            f"DEMO_POSTGRES_ALIASES names {', '.join(unknown)}, not an alias of this "
            f"project. Choose among: {', '.join(aliases)}."
        )
    return named


def disconnect(alias):
    """Close an alias's connection, and its pool if it has one: the next query connects
    afresh, to the server and database the settings name by then (a pool keeps the ones
    it was made with, and its idle connections stay connected)."""
    from django.db import connections

    connection = connections[alias]
    connection.close()
    if connection.vendor == "postgresql":
        connection.close_pool()


def bouncer_released(name):
    """PgBouncer's server connections to database ``name`` closed, and its clients'
    (its admin console's KILL, then RESUME for the next ones), as DROP DATABASE needs:
    PgBouncer keeps an idle server connection open for minutes (server_idle_timeout)."""
    import psycopg

    with psycopg.connect(
        host=BOUNCER["HOST"],
        port=BOUNCER["PORT"],
        dbname="pgbouncer",  # the admin console: the simple query protocol only
        user="postgres",
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,
    ) as console:
        console.execute(f"KILL {name}")
        console.execute(f"RESUME {name}")


def close_pools():
    """Close the pools this process holds (each alias's connections go with them)."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.vendor == "postgresql":
            connection.close_pool()


# A pooled connection must not cross a fork: parent and child would talk over one socket,
# and the child's pool has no worker threads. Before any os.fork (a forked worker process,
# gunicorn --preload, a test's writers) the pools close; each process opens its own.
os.register_at_fork(before=close_pools)
# At exit the pools close while their worker threads can still stop: left to the garbage
# collector at interpreter shutdown, a pool waits 5 s for threads that no longer run.
atexit.register(close_pools)
