"""The snapshot file: a production dump, replaced whole with SQLite's backup API.

Nothing here goes through the "snapshot" alias, which is read-only: a dump is read with
a read-only connection of its own, and only the backup API writes the snapshot file.
"""

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import CommandError
from django.core.serializers.base import DeserializationError
from django.db import connections

from .shadow import LOCAL, SNAPSHOT


def shadowed_models():
    return [apps.get_model(label) for label in settings.SHADOW_MODES]


def file_of(name):
    """The path in a database NAME: a plain path, or a file: URI such as file:///x?mode=ro."""
    name = str(name)
    return Path(unquote(urlsplit(name).path)) if name.startswith("file:") else Path(name)


def snapshot_file():
    return file_of(connections[SNAPSHOT].settings_dict["NAME"])


def read_fixture(path):
    """The rows of a JSON fixture, refused unless every one is of a shadowed model."""
    try:
        rows = [item.object for item in serializers.deserialize("json", Path(path).read_text())]
    except (OSError, DeserializationError) as error:
        raise CommandError(f"{path}: cannot read it as a JSON fixture ({error}).") from None
    strays = {row._meta.label for row in rows if type(row) not in shadowed_models()}
    if strays:
        raise CommandError(f"{path} holds {', '.join(sorted(strays))}: not shadowed models.")
    return rows


def build_dump(path, rows):
    """Write a SQLite file with the shadowed tables, as "default" defines them, and the rows."""
    with closing(sqlite3.connect(path)) as dump, dump:
        for model in shadowed_models():
            for sql in schema_of(model):
                dump.execute(sql)
        for row in rows:
            insert(dump, row)


def schema_of(model):
    """The CREATE statements of a model's table and indexes on "default"."""
    with connections[LOCAL].cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL",
            [model._meta.db_table],
        )
        schema = [sql for (sql,) in cursor.fetchall()]
    if not schema:
        raise CommandError(f"No table {model._meta.db_table} on default: run migrate first.")
    return schema


def insert(dump, row):
    fields = row._meta.concrete_fields
    columns = ", ".join(f'"{field.column}"' for field in fields)
    marks = ", ".join("?" for _ in fields)
    local = connections[LOCAL]  # the same engine: its conversions are the dump's
    values = [field.get_db_prep_save(getattr(row, field.attname), local) for field in fields]
    dump.execute(f'INSERT INTO "{row._meta.db_table}" ({columns}) VALUES ({marks})', values)


def check_dump(path):
    """Refuse anything that is not a SQLite file holding every shadowed table."""
    if not Path(path).is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        with closing(read_only(path)) as dump:
            tables = {name for (name,) in dump.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path} is not a SQLite database ({error}).") from error
    for model in shadowed_models():
        if model._meta.db_table not in tables:
            raise CommandError(
                f"{path} has no table {model._meta.db_table}: not a dump of this shop."
            )


def read_only(path):
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def install(path):
    """Copy the dump over the snapshot file, page by page, with SQLite's backup API."""
    target = snapshot_file()
    connections[SNAPSHOT].close()
    with closing(read_only(path)) as dump:
        with closing(sqlite3.connect(target)) as snapshot:
            dump.backup(snapshot)
            # A read-only connection cannot open a WAL file whose -shm file is missing.
            snapshot.execute("PRAGMA journal_mode=DELETE")
    return target
