"""A subset of a dump: a few products and every row around them, no reference broken.

SNAPSHOT_RELATIONS (settings) declares the plain ids between shadowed models, which no
foreign key declares. From the first products by key, a subset takes the rows that point
at them (a product's reviews), then, until nothing new comes, every row those point at
(the reviews' authors). It never walks back up from a row taken for being pointed at: an
author's other reviews, of products outside the subset, stay out, or one busy author
would bring in the whole shop.
"""

import json

from django.apps import apps
from django.conf import settings
from django.core.management import CommandError

from .shadow import shadowed_models

START = "products.Product"  # what --subset counts


def relations():
    """[(model, its id column, the model it points at)], from SNAPSHOT_RELATIONS."""
    found = []
    for path, target in settings.SNAPSHOT_RELATIONS.items():
        label, name = path.rsplit(".", 1)
        model = apps.get_model(label)
        found.append((model, model._meta.get_field(name).column, apps.get_model(target)))
    return found


def subset_keys(dump, count):
    """{model: the keys of its rows in the subset} for every shadowed model of the dump
    (an open SQLite connection), starting from its first `count` products."""
    if count < 1:
        raise CommandError(f"--subset {count}: give a number of products, 1 or more.")
    start = apps.get_model(START)
    keys = {model: set() for model in shadowed_models()}
    keys[start] = set(column(dump, start, start._meta.pk.column, limit=count))
    for model, id_column, target in relations():  # the rows that point at the start
        if target is start:
            keys[model] |= set(column(dump, model, model._meta.pk.column, id_column, keys[start]))
    while True:  # the rows they point at, and those these point at
        added = False
        for model, id_column, target in relations():
            pointed = set(column(dump, model, id_column, model._meta.pk.column, keys[model]))
            new = pointed - keys[target] - {None}
            keys[target] |= new
            added = added or bool(new)
        if not added:
            return keys


def column(dump, model, name, where=None, among=(), limit=None):
    """One column of the model's table in the dump, for the rows whose `where` is among
    these keys (one parameter, however many), or the first `limit` rows by key."""
    table, pk = model._meta.db_table, model._meta.pk.column
    query, parameters = f'SELECT "{name}" FROM "{table}"', []
    if where:
        query += f' WHERE "{where}" IN (SELECT value FROM json_each(?))'
        parameters = [json.dumps(sorted(among))]
    if limit:
        query += f' ORDER BY "{pk}" LIMIT ?'
        parameters.append(limit)
    return [value for (value,) in dump.execute(query, parameters)]
