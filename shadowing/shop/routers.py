from .shadow import LOCAL, SNAPSHOT, mode_of


def read_from(mode, instance_db=None):
    """Snapshot mode reads the snapshot; overlay mode follows the instance it is asked about.

    Overlay queries name their databases themselves (shop/overlay.py), so the router
    is only asked by Django's own reads, such as ``refresh_from_db()``.
    """
    if mode == "snapshot" or (mode == "overlay" and instance_db == SNAPSHOT):
        return SNAPSHOT
    return None


class ShadowRouter:
    """Reads follow each model's shadow mode; every write of every model goes to "default"."""

    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        return read_from(mode_of(model), instance._state.db if instance is not None else None)

    def db_for_write(self, model, **hints):
        """Never the snapshot: a row read from it is saved locally (copy-on-write)."""
        return LOCAL

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """The snapshot is never migrated: its tables are production's."""
        return db != SNAPSHOT
