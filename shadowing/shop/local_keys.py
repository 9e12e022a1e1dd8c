"""New local rows' keys: from a sequence above LOCAL_KEYS_START, never MAX(pk) + 1.

MAX(pk) + 1 makes every writer wait for the one before it to commit (a table lock on
PostgreSQL), and gives a deleted row's key to the next new row. A sequence does neither:

- PostgreSQL: one sequence for every shadowed model, shop_local_keys (migration
  shop/0002), starting above LOCAL_KEYS_START. nextval() waits for no transaction and
  never gives a key twice, even to one that rolls back (keys may skip: they only name).
- SQLite: the table's own counter. Django declares every AutoField AUTOINCREMENT, so
  SQLite numbers a new row above every key the table ever held (sqlite_sequence). The
  write raises that counter to LOCAL_KEYS_START first, in its own transaction, which
  holds SQLite's one write lock already (IMMEDIATE): `manage.py flush` resets the
  counter to 0, so a counter set once, at migrate, would not last.
"""

from django.db import connections

from .shadow import LOCAL, LOCAL_KEYS_START, shadowed_models

SEQUENCE = "shop_local_keys"


def give_local_keys(model, rows):
    """Inside transaction.atomic(using=LOCAL): the rows without a key get one from the
    local range (on SQLite, from the INSERT itself)."""
    rows = list(rows)
    new = [row for row in rows if row.pk is None]
    if not new:
        return rows
    connection = connections[LOCAL]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [SEQUENCE, len(new)])
            for row, (key,) in zip(new, cursor.fetchall(), strict=True):
                row.pk = key
        else:
            raise_counter(cursor, model._meta.db_table)
    return rows


def raise_counter(cursor, table):
    """SQLite: the table's AUTOINCREMENT counter, raised to LOCAL_KEYS_START if below."""
    start = LOCAL_KEYS_START
    cursor.execute(
        "UPDATE sqlite_sequence SET seq = %s WHERE name = %s AND seq < %s", [start, table, start]
    )
    cursor.execute(
        "INSERT INTO sqlite_sequence (name, seq) SELECT %s, %s"
        " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
        [table, start, table],
    )


def restart_local_keys():
    """Number new local rows from LOCAL_KEYS_START + 1 again, once they are all gone."""
    connection = connections[LOCAL]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(%s, %s)", [SEQUENCE, LOCAL_KEYS_START])
            return
        tables = [model._meta.db_table for model in shadowed_models()]
        marks = ", ".join(["%s"] * len(tables))
        cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({marks})", tables)
