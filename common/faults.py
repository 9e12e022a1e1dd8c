"""What every pattern's tests do to a database from outside Django: read it, take it away,
cut it off, stop its server. Written once here, imported by each pattern's tests.

Each helper asks the engine of the alias it is given (connections[alias].vendor), never a
switch for the whole run: `make test-mixed` puts one alias on PostgreSQL and leaves the
others on SQLite.
"""

import socket
import sqlite3
import subprocess
from contextlib import closing, contextmanager
from pathlib import Path

from django.db import connections

from common.postgres import POOL_TIMEOUT, ROOT, disconnect
from common.sqlite import database_file


def on_postgres(alias):
    return connections[alias].vendor == "postgresql"


def postgres_session(alias, dbname=None):
    """A new autocommit session on an alias's server, as its user; psycopg is installed
    only for DEMO_DATABASE=postgres (requirements-postgres.txt), hence the late import."""
    import psycopg

    settings = connections[alias].settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        dbname=dbname or settings["NAME"],
        autocommit=True,
    )


def read_outside(alias, query):
    """The rows a query finds in an alias's database through a connection of its own,
    outside Django: the SQLite file itself, or a new PostgreSQL session."""
    if on_postgres(alias):
        with postgres_session(alias) as db:
            return db.execute(query).fetchall()
    with closing(sqlite3.connect(database_file(alias))) as db, db:
        return db.execute(query).fetchall()


@contextmanager
def database_missing(alias, tmp_path):
    """Take an alias's test database away, then give it back as it was.

    SQLite: a directory takes the file's place, so it cannot be opened, as the sites'
    files ("?mode=rw", "?mode=ro") refuse to be missing; test databases are plain files,
    where SQLite would make a new empty one instead. PostgreSQL: the database is renamed,
    so connecting to it fails.
    """
    if not on_postgres(alias):
        with file_moved_aside(alias, tmp_path, stand_in=Path.mkdir):
            yield
        return
    disconnect(alias)
    name = connections[alias].settings_dict["NAME"]
    rename = 'ALTER DATABASE "{}" RENAME TO "{}"'
    with postgres_session(alias, "postgres") as db:
        db.execute(rename.format(name, f"{name}_away"))
    try:
        yield
    finally:
        disconnect(alias)
        with postgres_session(alias, "postgres") as db:
            db.execute(rename.format(f"{name}_away", name))


def missing_database_error(alias):
    """What the engine says when an alias's database is gone: SQLite cannot open it; on
    PostgreSQL a pooled alias's pool tries until its timeout, and names only that, while
    an alias without a pool (shadowing's snapshot) hears that the database does not exist."""
    settings = connections[alias].settings_dict
    if on_postgres(alias) and settings["OPTIONS"].get("pool"):
        return POOL_TIMEOUT
    if on_postgres(alias):
        return f'database "{settings["NAME"]}" does not exist'
    return "unable to open database file"


@contextmanager
def file_moved_aside(alias, tmp_path, stand_in=None):
    """Move an alias's SQLite file aside, let stand_in(path) put something in its place
    (or leave nothing there), then bring the file back."""
    disconnect(alias)
    path = database_file(alias)
    kept = tmp_path / path.name
    path.rename(kept)
    if stand_in:
        stand_in(path)
    try:
        yield
    finally:
        disconnect(alias)
        if path.is_dir():
            path.rmdir()
        for end in ("", "-wal", "-shm"):  # with nothing there, SQLite may have made them
            path.with_name(path.name + end).unlink(missing_ok=True)
        kept.rename(path)


@contextmanager
def server_unreachable(alias):
    """Point an alias at a port where no PostgreSQL server listens, then back."""
    settings = connections[alias].settings_dict
    disconnect(alias)
    port, settings["PORT"] = settings["PORT"], closed_port()
    try:
        yield
    finally:
        disconnect(alias)
        settings["PORT"] = port


def closed_port():
    """A port of 127.0.0.1 where nothing listens (until something else takes it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


@contextmanager
def server_stopped(alias):
    """Stop the PostgreSQL server of an alias, a shard's or a standby's (postgres/standby.sh
    stop shard2), as a crash would, then start it again."""
    disconnect(alias)
    standby_script("stop", alias)
    try:
        yield
    finally:
        disconnect(alias)
        standby_script("start", alias)


def standby_script(command, alias):
    script = ROOT / "postgres" / "standby.sh"
    subprocess.run([script, command, alias], check=True, capture_output=True, timeout=60)


def failover_script(*args):
    """Run postgres/failover.sh (the drill, restore, cut, sync NAMES); what it printed."""
    script = ROOT / "postgres" / "failover.sh"
    done = subprocess.run([script, *args], check=True, capture_output=True, text=True, timeout=120)
    return done.stdout


@contextmanager
def table_locked(alias, table, most=5):
    """Hold an ACCESS EXCLUSIVE lock on one of an alias's PostgreSQL tables, from a session
    of its own, as a migration or a long maintenance statement does; the server ends that
    session after ``most`` seconds idle in its transaction, so a reader left unbounded
    waits that long, not for ever."""
    with postgres_session(alias) as holder, holder.transaction():
        holder.execute(f"SET LOCAL idle_in_transaction_session_timeout = '{most}s'")
        holder.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
        yield
