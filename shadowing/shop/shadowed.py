"""The base of every shadowed model: its manager asks SHADOW_MODES how to read and write."""

from django.db import models, transaction

from .local_keys import give_local_keys
from .originals import keep_original
from .overlay import Overlay
from .reading import snapshot_missing
from .shadow import LOCAL, LOCAL_KEYS_START, mode_of, origin, refuse_writes, take_turn


class ShadowQuerySet(models.QuerySet):
    """A plain QuerySet, for the "snapshot" and "local" modes; snapshot mode refuses writes."""

    def sides(self):
        return [self]

    def update(self, **values):
        refuse_writes(self.model)
        return super().update(**values)

    def delete(self):
        refuse_writes(self.model)
        return super().delete()

    def bulk_create(self, rows, *args, **kwargs):
        refuse_writes(self.model)
        with transaction.atomic(using=LOCAL):
            return super().bulk_create(give_local_keys(self.model, rows), *args, **kwargs)

    def bulk_update(self, rows, fields, batch_size=None):
        refuse_writes(self.model)
        return super().bulk_update(rows, fields, batch_size)


class ShadowManager(models.Manager.from_queryset(ShadowQuerySet)):
    def get_queryset(self):
        """In overlay mode, the merged view; otherwise a QuerySet the router sends by mode."""
        if mode_of(self.model) == "overlay":
            return Overlay(self.model)
        return super().get_queryset()

    def using(self, alias):
        """dumpdata asks for objects.using(its --database): in overlay mode, on "default",
        the merged rows the site shows. The overlay reads both databases, so no other alias
        names them; _base_manager.using(alias) reads one database's own rows."""
        if mode_of(self.model) != "overlay":
            return super().using(alias)
        if alias != LOCAL:
            raise ValueError(
                f"{self.model._meta.label} is an overlay of both databases, read through "
                f'"{LOCAL}": use _base_manager.using({alias!r}) for the rows {alias!r} holds.'
            )
        return self.get_queryset()


class Shadowed(models.Model):
    """A model read and written as its SHADOW_MODES entry says; new rows get local keys."""

    objects = ShadowManager()

    class Meta:
        abstract = True

    def save(self, **kwargs):
        """New rows take a key from the local range (shop/local_keys.py); every save goes to
        "default" (the router)."""
        refuse_writes(type(self))
        with transaction.atomic(using=LOCAL):
            if self.pk is not None:  # the first save of a snapshot row inserts its copy
                take_turn(type(self))
                # Without the snapshot, nothing to keep: count() sends the claimed keys.
                overlay = mode_of(type(self)) == "overlay" and not snapshot_missing()
                if self.pk < LOCAL_KEYS_START and overlay:
                    keep_original(type(self), self.pk)
                return super().save(**kwargs)
            give_local_keys(type(self), [self])
            super().save(**kwargs | {"force_insert": True})

    def delete(self, using=None, keep_parents=False):
        """In overlay mode, the local copy goes and a tombstone hides the snapshot's row."""
        refuse_writes(type(self))
        if mode_of(type(self)) == "overlay":
            return Overlay(type(self)).filter(pk=self.pk).delete()
        return super().delete(using, keep_parents)

    @property
    def origin(self):
        """ "snapshot", "local" or "changed locally": the tag the pages show."""
        return origin(self._state.db, self.pk)
