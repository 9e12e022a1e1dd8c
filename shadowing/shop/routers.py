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
    """Reads and writes of the shadowed models; no opinion on any other model, so a
    router listed after this one still places them (Django's multi-db docs)."""

    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        return read_from(mode_of(model), instance._state.db if instance is not None else None)

    def db_for_write(self, model, **hints):
        """A shadowed model: never the snapshot, whatever a router after this one says;
        a row read from it is saved locally (copy-on-write)."""
        return LOCAL if mode_of(model) is not None else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Nothing in the snapshot, whatever a router after this one says: its tables are
        production's. Elsewhere, no opinion."""
        return False if db == SNAPSHOT else None
