"""The overlay's writes: always on the local side, copying snapshot rows as they change."""

from django.db import transaction

from .local_keys import give_local_keys
from .models import Tombstone
from .originals import keep_originals
from .shadow import LOCAL, LOCAL_KEYS_START, take_turn


class CopyOnWrite:
    """Overlay's writes (it gives `model`, get() and sides_to_write())."""

    def create(self, **fields):
        row = self.model(**fields)
        row.save(force_insert=True)
        return row

    def get_or_create(self, defaults=None, **lookup):
        """One row, however many ask at once: creators take turns, so the second looks
        once the first has committed (Django's relies on a unique constraint instead, and
        the lookup may have none)."""
        with transaction.atomic(using=LOCAL):
            take_turn(self.model)
            try:
                return self.get(**lookup), False
            except self.model.DoesNotExist:
                return self.create(**lookup | (defaults or {})), True

    def bulk_create(self, rows):
        """New rows get keys from the local range (shop/local_keys.py), in one transaction."""
        with transaction.atomic(using=LOCAL):
            rows = give_local_keys(self.model, rows)
            return self.model._base_manager.using(LOCAL).bulk_create(rows)

    def update(self, **values):
        """Copy-on-write: matching snapshot rows are copied to the local side, changed."""
        with transaction.atomic(using=LOCAL):
            take_turn(self.model)  # no other writer copies them too
            local, snapshot = self.sides_to_write()
            copies = list(snapshot)
            keep_originals(self.model, copies)  # before they change
            for row in copies:
                for name, value in values.items():
                    setattr(row, name, value)
            updated = local.update(**values)
            self.model._base_manager.using(LOCAL).bulk_create(copies)
        return updated + len(copies)

    def delete(self):
        """Local rows are deleted; a tombstone hides each one the snapshot also holds."""
        label = self.model._meta.label
        with transaction.atomic(using=LOCAL):
            take_turn(self.model)
            local, snapshot = self.sides_to_write()
            originals = list(snapshot)
            keep_originals(self.model, originals)
            keys = {*local.values_list("pk", flat=True), *(row.pk for row in originals)}
            hidden = [Tombstone(model=label, object_pk=k) for k in keys if k < LOCAL_KEYS_START]
            local.delete()
            Tombstone.objects.bulk_create(hidden, ignore_conflicts=True)
        return len(keys), {label: len(keys)}
