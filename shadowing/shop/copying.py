"""What a snapshot copies from a dump: the models' columns, masked, a chunk at a time.

Every row goes through Python, masked (shop/masking.py) before it is written: no real
value of a masked column reaches the new snapshot, its journal or any other file. Only
the columns the models read are copied; a column production added is left behind.
"""

import json
from contextlib import closing

from .dumps import insert, read_only
from .masking import masker
from .shadow import shadowed_models

CHUNK = 1_000  # rows read, masked and written at a time: a Ctrl-C lands between two


def fill(cursor, path, keys=None):
    """Every shadowed model's rows from the dump at `path` into the cursor's tables,
    masked; only those of `keys` ({model: its keys}, shop/subsets.py) if given."""
    with closing(read_only(path)) as dump:
        for model in shadowed_models():
            columns = [field.column for field in model._meta.concrete_fields]
            mask = masker(model, columns)
            for rows in chunks(dump, model, columns, None if keys is None else keys[model]):
                insert(cursor, model._meta.db_table, columns, [mask(row) for row in rows])


def chunks(dump, model, columns, keys):
    """The rows as SQLite keeps them: numbers and text, which PostgreSQL reads into the
    columns' types (times in UTC, the time zone Django gives the session)."""
    names = ", ".join(f'"{column}"' for column in columns)
    query, parameters = f'SELECT {names} FROM "{model._meta.db_table}"', []
    if keys is not None:  # one parameter, however many keys
        query += f' WHERE "{model._meta.pk.column}" IN (SELECT value FROM json_each(?))'
        parameters = [json.dumps(sorted(keys))]
    found = dump.execute(query, parameters)
    while rows := found.fetchmany(CHUNK):
        yield rows
