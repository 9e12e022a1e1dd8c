from .pinning import read_database, wrote
from .replicas import PRIMARY, REPLICAS

REPLICATED_APPS = {"products", "reviews", "shop"}


def is_replicated(model):
    """The shop's own data is read from replicas; auth, sessions and the admin log never."""
    return model._meta.app_label in REPLICATED_APPS


class PrimaryReplicaRouter:
    """Write to the primary; read the shop's data from a usable replica."""

    def db_for_read(self, model, **hints):
        """A replica (or the primary, when pinned or no replica is usable) for shop data."""
        return read_database() if is_replicated(model) else PRIMARY

    def db_for_write(self, model, **hints):
        """Every write goes to the primary, and pins this client's reads there for a while."""
        if is_replicated(model):
            wrote()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        """The primary and its replicas hold the same rows, so objects may relate freely."""
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, *REPLICAS}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Migrate the primary only: the replicas get every table by replication."""
        return db == PRIMARY
