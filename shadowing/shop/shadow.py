"""The rules of shadowing, as pure functions: modes, key ranges, where a row came from."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections

from common.db_errors import Unavailable

LOCAL, SNAPSHOT = "default", "snapshot"
MODES = ("snapshot", "local", "overlay")
# New local rows are numbered from here. Production would need a trillion rows to reach
# it, so a key below it is production's (a row read from the snapshot, or its local
# copy) and a key above it was made here: the two can never collide.
LOCAL_KEYS_START = 10**12


# Neither error is an OperationalError, which code retries as a server that may come
# back: a retry would never succeed, nor end.
class ReadOnlySnapshot(PermissionDenied):
    """A write to a model in "snapshot" mode: its data is production's, read-only here.
    Forbidden whoever asks: a page answers 403 (shop/templates/403.html)."""


class SnapshotMissing(Unavailable):
    """The snapshot cannot be opened: the rows it holds can be neither read nor changed.
    Raised by the overlay, not by a connection, so no OperationalError; common's
    DatabaseErrorMiddleware answers it with the 503 page naming its alias."""

    alias = SNAPSHOT


def mode_of(model):
    """The model's SHADOW_MODES entry ("snapshot", "local", "overlay"); None if not shadowed."""
    return settings.SHADOW_MODES.get(model._meta.label)


def shadowed_models():
    """The models SHADOW_MODES names, in its order."""
    return [apps.get_model(label) for label in settings.SHADOW_MODES]


def refuse_writes(model):
    """Stop a write before it reaches any database if the model is in "snapshot" mode."""
    if mode_of(model) == "snapshot":
        raise ReadOnlySnapshot(
            f"{model._meta.label} is in snapshot mode: its rows are production's and "
            'read-only here. Set it to "overlay" or "local" in SHADOW_MODES to change them.'
        )


def take_turn(model):
    """Inside transaction.atomic(using=LOCAL): writers that copy the model's snapshot rows
    take turns, so that no two copy one row (or both create one get_or_create finds).

    SQLite's IMMEDIATE transactions hold its one write lock already. PostgreSQL locks
    rows, and a row not copied yet has no local row to lock: so a writer locks the table
    against the other writers until it commits (readers still read). New rows need no
    turn: their keys come from a sequence (shop/local_keys.py).
    """
    connection = connections[LOCAL]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def origin(db, pk):
    """How a row is tagged on the pages: "snapshot", "local" or "changed locally"."""
    if db == SNAPSHOT:
        return "snapshot"
    return "local" if pk >= LOCAL_KEYS_START else "changed locally"
