"""What the local side holds: rows added, rows changed, rows deleted (tombstones)."""

from django.db import transaction

from .models import Tombstone
from .originals import original_of
from .shadow import LOCAL, LOCAL_KEYS_START, SNAPSHOT, shadowed_models


def local_rows(model):
    return model._base_manager.using(LOCAL)


def tombstones(model):
    return Tombstone.objects.filter(model=model._meta.label)


def status(model):
    """{"added": keys, "changed": keys, "deleted": keys} of one model's local changes."""
    keys = list(local_rows(model).order_by("pk").values_list("pk", flat=True))
    return {
        "added": [key for key in keys if key >= LOCAL_KEYS_START],
        "changed": [key for key in keys if key < LOCAL_KEYS_START],
        "deleted": sorted(tombstones(model).values_list("object_pk", flat=True)),
    }


def count_local_changes():
    """Every local row and tombstone of every shadowed model, counted in one query."""
    labels = [model._meta.label for model in shadowed_models()]
    keys = [local_rows(model).order_by().values_list("pk") for model in shadowed_models()]
    tombstones = Tombstone.objects.filter(model__in=labels).values_list("object_pk")
    return tombstones.union(*keys, all=True).count()


def values(row):
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


def differences(before, after):
    """The names of the fields whose values differ between two values() dicts."""
    return [name for name in before if before[name] != after.get(name)]


def reset(model, keys=None):
    """Discard local changes of a model (all, or of some keys); return (rows, tombstones)."""
    rows, hidden = local_rows(model), tombstones(model)
    kept = original_of(model).objects.all()
    if keys is not None:
        rows, hidden = rows.filter(pk__in=keys), hidden.filter(object_pk__in=keys)
        kept = kept.filter(pk__in=keys)
    with transaction.atomic(using=LOCAL):
        kept.delete()
        return rows.delete()[0], hidden.delete()[0]


def claimed_in_snapshot():
    """{(label, key, "changed" or "deleted"): values} of the snapshot rows changed locally."""
    claimed = {}
    for model in shadowed_models():
        changes = status(model)
        keys = changes["changed"] + changes["deleted"]
        found = model._base_manager.using(SNAPSHOT).in_bulk(keys)
        for kind in ("changed", "deleted"):
            for key in changes[kind]:
                row = found.get(key)
                claimed[model._meta.label, key, kind] = values(row) if row else None
    return claimed


def conflicts(before, after):
    """Rows changed locally that production changed too: [(label, key, kind, what it did)]."""
    found = []
    for (label, key, kind), old in sorted(before.items()):
        new = after.get((label, key, kind))
        if new == old:
            continue
        if new is None:
            what = "production deleted it"
        elif old is None:
            what = "production added a row with this key"
        else:
            what = f"production changed {', '.join(differences(old, new))}"
        found.append((label, key, kind, what))
    return found
