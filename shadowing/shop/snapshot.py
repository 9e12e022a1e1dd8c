"""The snapshot: a production dump, replaced whole, never written through its alias.

A dump is a SQLite file, read with a read-only connection of its own, its rows masked
as they are copied (shop/copying.py). On SQLite, they go into a new file beside the
snapshot, renamed over it once whole: a reader sees the old snapshot or the new one,
never half of it. On PostgreSQL, a
connection of its own, as SNAPSHOT_OWNER (settings.py), loads it into a schema beside
the snapshot's, and the two schemas swap names as the load commits: the same swap.
"""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.management import CommandError
from django.db import DatabaseError, OperationalError, connections

from common.db_errors import first_line

from .copying import fill
from .dumps import create_tables, own_connection
from .shadow import LOCAL, SNAPSHOT

TAKEN = "taken "  # how the comment on a PostgreSQL snapshot database begins
# PostgreSQL: the schemas a load fills and the one it replaces, beside public; the most
# a load waits for a lock (another load, a reader on the old tables).
NEW, OLD, LOCK_TIMEOUT = "snapshot_new", "snapshot_old", "5s"


def on_postgres():
    return connections[SNAPSHOT].vendor == "postgresql"


def file_of(name):
    """The path in a database NAME: a plain path, or a file: URI such as file:///x?mode=ro."""
    name = str(name)
    return Path(unquote(urlsplit(name).path)) if name.startswith("file:") else Path(name)


def snapshot_file():
    return file_of(connections[SNAPSHOT].settings_dict["NAME"])


def snapshot_name():
    return connections[SNAPSHOT].settings_dict["NAME"]


def snapshot_label():
    """What the commands call the snapshot: its file, or its PostgreSQL database."""
    return snapshot_name() if on_postgres() else snapshot_file().name


def taken_at():
    """When the snapshot was taken (UTC), None if there is none: the file's time on SQLite,
    the comment on the database on PostgreSQL (read on "default": the server shares it)."""
    if not on_postgres():
        path = snapshot_file()
        return datetime.fromtimestamp(path.stat().st_mtime, UTC) if path.exists() else None
    with connections[LOCAL].cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [snapshot_name()],
        )
        [comment] = cursor.fetchone() or [None]
    return datetime.fromisoformat(comment.removeprefix(TAKEN)) if comment else None


def install(path, keys=None):
    """Replace the snapshot with the dump, masked (only `keys`' rows if given, a subset:
    shop/subsets.py); say how it was done."""
    connections[SNAPSHOT].close()  # its transaction, if any, must not hold the old tables
    if on_postgres():
        try:
            return load_into_postgres(path, keys)
        except DatabaseError as error:  # rolled back: the old snapshot is whole
            raise CommandError(
                f"cannot load {snapshot_name()} ({first_line(error)}): the snapshot was not "
                "replaced."
            ) from None
    target = snapshot_file()
    new, journal = building(target)
    try:
        remove(new, journal)  # left by a copy that was killed
        copy(path, new, keys)
        new.replace(target)  # one rename: a reader opens the old file or the new, whole
    except (sqlite3.Error, DatabaseError, OSError) as error:
        raise CommandError(
            f"cannot write {target.name} ({error}): the snapshot was not replaced."
        ) from None
    finally:
        remove(new, journal)
    return f"copied into {target.name}, masked"


def building(target):
    """The file the new snapshot is built in, beside the old one (a rename within one
    folder is atomic), and its journal: both are left behind if the copy is killed."""
    new = target.with_name(f"{target.name}.new")
    return new, new.with_name(f"{new.name}-journal")


def remove(*paths):
    for path in paths:
        path.unlink(missing_ok=True)


def copy(path, new, keys):
    """The dump's rows, masked, into a new file with the models' tables, in one transaction
    (its rollback journal, the file's pages before it, holds no row)."""
    with own_connection({"ENGINE": "django.db.backends.sqlite3", "NAME": new}) as snapshot:
        create_tables(snapshot)
        with snapshot.cursor() as cursor:
            fill(cursor, path, keys)


def owner_connection():
    """The snapshot database as its owner: only setup_demo and take_snapshot ask for it."""
    return own_connection(connections[SNAPSHOT].settings_dict | {"USER": settings.SNAPSHOT_OWNER})


def load_into_postgres(path, keys):
    """The dump goes into a schema of its own, NEW, beside the snapshot's (public); as
    the load commits, public becomes OLD and NEW becomes public. Readers read the old
    tables all through the load and wait for no lock of it: a statement reads the old
    snapshot or the new one, never half of each. Killed, the load leaves nothing."""
    with owner_connection() as owner, owner.cursor() as cursor:
        # Bounds the waits: another take_snapshot's NEW, or a reader still on OLD.
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute(f"DROP SCHEMA IF EXISTS {OLD} CASCADE")  # left by the last one
        cursor.execute(f"CREATE SCHEMA {NEW}")
        cursor.execute(f"SET LOCAL search_path TO {NEW}")
        create_tables(owner)
        fill(cursor, path, keys)
        cursor.execute(f"ALTER SCHEMA public RENAME TO {OLD}")
        cursor.execute(f"ALTER SCHEMA {NEW} RENAME TO public")
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        comment_snapshot(cursor, f"'{TAKEN}{stamp}'")
    done = f"loaded into database {snapshot_name()} beside the old snapshot, swapped in"
    return done if drop_old() else f"{done} (the old one, still read, is dropped next time)"


def drop_old():
    """The old snapshot's schema goes once the readers still on it are done, after
    LOCK_TIMEOUT at most; left for the next load otherwise. No new reader waits for it:
    their statements find the new tables."""
    try:
        with owner_connection() as owner, owner.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            cursor.execute(f"DROP SCHEMA {OLD} CASCADE")
    except OperationalError:  # lock_timeout: a reader still on it
        return False
    return True


def drop_tables(cursor):
    quote = cursor.db.ops.quote_name
    for table in cursor.db.introspection.table_names(cursor):
        cursor.execute(f"DROP TABLE {quote(table)} CASCADE")


def drop_snapshot():
    """PostgreSQL: empty the snapshot database, as deleting the file does on SQLite."""
    connections[SNAPSHOT].close()
    with owner_connection() as owner, owner.cursor() as cursor:
        drop_tables(cursor)
        cursor.execute(f"DROP SCHEMA IF EXISTS {OLD} CASCADE")  # left by a load, if any
        comment_snapshot(cursor, "NULL")


def comment_snapshot(cursor, literal):
    """COMMENT takes no parameters: the literal is one made here, a time or NULL."""
    name = cursor.db.ops.quote_name(snapshot_name())
    cursor.execute(f"COMMENT ON DATABASE {name} IS {literal}")
