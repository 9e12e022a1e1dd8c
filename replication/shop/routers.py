from .pinning import read_database
from .replicas import PRIMARY, REPLICAS

REPLICATED_APPS = {"products", "reviews", "shop"}


def is_replicated(model):
    """The shop's own data is read from replicas; auth, sessions and the admin log never."""
    return model._meta.app_label in REPLICATED_APPS


def writes_primary(model, instance=None, **hints):
    """The shop's data, and any write that follows an object read from a replica: with
    every router answering None, Django writes to that object's database, the replica."""
    on_replica = instance is not None and instance._state.db in REPLICAS
    return is_replicated(model) or on_replica


class PrimaryReplicaRouter:
    """Write the shop's data to the primary; read it from a usable replica.

    Other apps are not its own: it answers None, and a later router or Django's own rule
    (functional_split's README) decides. Writes pin from the primary's connection (writes.py).
    """

    def db_for_read(self, model, **hints):
        """A replica (or the primary, when pinned or no replica is usable) for shop data."""
        return read_database() if is_replicated(model) else None

    def db_for_write(self, model, **hints):
        """Every write of shop data goes to the primary, and so does any write that
        follows an object read from a replica, which Django would send there."""
        return PRIMARY if writes_primary(model, **hints) else None

    def allow_relation(self, obj1, obj2, **hints):
        """The primary and its replicas hold the same rows, so objects may relate freely."""
        return True if {obj1._state.db, obj2._state.db} <= {PRIMARY, *REPLICAS} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Never a replica, whatever the app: it gets its tables by replication, and a
        later router must not fork it. The shop's apps on the primary."""
        if db in REPLICAS:
            return False
        return True if app_label in REPLICATED_APPS else None
