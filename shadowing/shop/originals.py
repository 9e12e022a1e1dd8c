"""The snapshot's version of each row the local side claims, kept on "default".

count() must take away the snapshot rows that the local side copied or deleted and that
match the query, and the two databases cannot be joined. Keeping the snapshot's version
of each claimed row in a table with the model's fields lets the same filter count them
on "default": no list of keys crosses. A version is kept in the transaction that first
claims the row (shop/copy_on_write.py, Shadowed.save()), and rebuilt by take_snapshot.
"""

from django.apps import apps
from django.db import models, transaction

from .models import Tombstone
from .shadow import LOCAL, LOCAL_KEYS_START, SNAPSHOT

# Keys read from the snapshot at once when rebuilding: well within SQLite's parameters.
CHUNK = 5_000


def original_model(model):
    """A model with the shadowed model's fields, to hold the snapshot's claimed rows."""
    fields = {field.name: field.clone() for field in model._meta.local_fields}
    meta = type("Meta", (), {"app_label": model._meta.app_label})
    name = f"{model.__name__}Original"
    return type(name, (models.Model,), {"__module__": model.__module__, "Meta": meta, **fields})


def original_of(model):
    return apps.get_model(model._meta.app_label, f"{model.__name__}Original")


def keep_originals(model, rows):
    """Keep these snapshot rows as the snapshot has them; a version kept already stays."""
    original = original_of(model)
    fields = [field.attname for field in model._meta.local_fields]
    kept = [original(**{name: getattr(row, name) for name in fields}) for row in rows]
    original.objects.bulk_create(kept, ignore_conflicts=True)


def keep_original(model, pk):
    """Before a save claims row `pk`: keep its snapshot version, unless kept already."""
    if original_of(model).objects.filter(pk=pk).exists():
        return
    keep_originals(model, model._base_manager.using(SNAPSHOT).filter(pk=pk))


def claims(model):
    """The keys of the snapshot's rows the local side claims, as two queries: its
    tombstones, and its copies (local rows with a key below the local range)."""
    tombstones = Tombstone.objects.filter(model=model._meta.label).values_list("object_pk")
    copies = model._base_manager.using(LOCAL).filter(pk__lt=LOCAL_KEYS_START)
    return tombstones, copies.order_by().values_list("pk")


def claims_below(model):
    """The keys of the snapshot's rows the local side claims, in one query."""
    tombstones, copies = claims(model)
    # Tombstones first: a union led by a model with Meta.ordering fails on Django 6.1.
    return tombstones.union(copies)


def rebuild_originals(model):
    """The new snapshot's version of each claimed row, read in chunks of keys."""
    keys = sorted(pk for (pk,) in claims_below(model))
    with transaction.atomic(using=LOCAL):
        original_of(model).objects.all().delete()
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            keep_originals(model, model._base_manager.using(SNAPSHOT).filter(pk__in=chunk))
