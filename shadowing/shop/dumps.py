"""Production dumps: SQLite files holding the shadowed tables, what take_snapshot reads.

The demo makes them from fixtures with build_dump, instead of downloading one.
"""

import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

from django.core import serializers
from django.core.management import CommandError
from django.core.serializers.base import DeserializationError
from django.db.utils import ConnectionHandler

from .masking import masker, refuse_unruled
from .shadow import LOCAL_KEYS_START, shadowed_models


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


@contextmanager
def own_connection(settings_dict):
    """A connection outside `connections`: no router can send a query to it. One transaction."""
    connection = ConnectionHandler({"default": dict(settings_dict)})["default"]
    try:
        connection.set_autocommit(False)
        yield connection
        connection.commit()
    finally:
        connection.close()  # uncommitted work is rolled back


def build_dump(path, rows, masked=False):
    """Write a SQLite file with the shadowed tables, as the models define them, and the
    rows; masked, each row before it is written, as production's own dump step would."""
    with own_connection({"ENGINE": "django.db.backends.sqlite3", "NAME": path}) as dump:
        create_tables(dump)
        with dump.cursor() as cursor:
            for row in rows:
                fields = row._meta.concrete_fields
                columns = [f.column for f in fields]
                values = [f.get_db_prep_save(getattr(row, f.attname), dump) for f in fields]
                if masked:
                    values = masker(type(row), columns)(values)
                insert(cursor, row._meta.db_table, columns, [values])


def create_tables(connection):
    with connection.schema_editor(atomic=False) as editor:  # own_connection's transaction
        for model in shadowed_models():
            editor.create_model(model)


def insert(cursor, table, columns, rows):
    quote = cursor.db.ops.quote_name
    names, marks = ", ".join(map(quote, columns)), ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


def check_dump(path):
    """Refuse anything but a SQLite file holding the shadowed tables, all their columns, and
    no other table: a local database holds users, sessions and migrations too."""
    if not Path(path).is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        with closing(read_only(path)) as dump:
            columns = columns_of(dump)
            check_columns(path, columns)
            check_keys(path, dump)
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path} is not a SQLite database ({error}).") from error


def check_keys(path, dump):
    """Refuse keys from LOCAL_KEYS_START on: such a row would pass for one made here."""
    for model in shadowed_models():
        table, pk = model._meta.db_table, model._meta.pk.column
        [top] = dump.execute(f'SELECT MAX("{pk}") FROM "{table}"').fetchone()
        if top is not None and top >= LOCAL_KEYS_START:
            raise CommandError(
                f"{path}: {table} has keys up to {top}, and keys from {LOCAL_KEYS_START} on are "
                "local rows' (LOCAL_KEYS_START, shop/shadow.py): raise it above production's keys."
            )


def check_columns(path, columns):
    shadowed = {model._meta.db_table: model for model in shadowed_models()}
    others = sorted(set(columns) - set(shadowed))
    if others:
        raise CommandError(
            f"{path} holds {', '.join(others)}: not a production dump, which holds the "
            f"shadowed tables only ({', '.join(shadowed)}). Is it a local database?"
        )
    for table, model in shadowed.items():
        if table not in columns:
            raise CommandError(f"{path} has no table {table}: not a dump of this shop.")
        missing = [f.column for f in model._meta.concrete_fields if f.column not in columns[table]]
        if missing:
            raise CommandError(
                f"{path}: table {table} has no column {', '.join(missing)}, which "
                f"{model._meta.label} reads: not a dump of this shop's tables."
            )
        refuse_unruled(path, model, sorted(columns[table]))


def columns_of(dump):
    """{table: its column names} of every table in a SQLite file but SQLite's own."""
    tables = dump.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {
        table: {name for _, name, *_ in dump.execute("SELECT * FROM pragma_table_info(?)", [table])}
        for (table,) in tables.fetchall()
    }


def is_pg_dump(path):
    """A file in pg_dump's custom format, which begins with the bytes PGDMP."""
    path = Path(path)
    if not path.is_file():
        return False
    with path.open("rb") as file:
        return file.read(5) == b"PGDMP"


def read_only(path):
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
