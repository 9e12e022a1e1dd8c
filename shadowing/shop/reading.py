"""How the overlay reads the snapshot: whether it is there, and in chunks, without the
rows the local side claims.

A page's snapshot rows are read in the page's order, a chunk at a time, the first chunk
the page and a half. "default" says which keys *of that chunk* it claims (a local row or
a tombstone: ``pk IN chunk``), and those rows are dropped: a row edited so that it no
longer matches is found on neither side. Only if claimed rows left the page short is the
next chunk read, twice as long: a run of n claimed keys at the top costs log2(n / page)
rounds (one more per LONGEST_CHUNK past it), never one per change.
"""

from django.db import OperationalError, connections

from .counting import claims_counted, count_each, counted
from .models import Tombstone
from .originals import claims_below, original_of
from .shadow import LOCAL, SNAPSHOT, SnapshotMissing
from .snapshot import snapshot_file, snapshot_label

# The most snapshot rows read at once: their keys, asked about twice in one statement
# (claimed_among), stay well within the 32,766 parameters SQLite takes.
LONGEST_CHUNK = 5_000


def snapshot_missing():
    """Whether the snapshot cannot be opened. No query: an open connection says it is
    there; a SQLite file that is not there is never opened, as opening a writable one
    (the tests') would create it empty; a PostgreSQL database is connected to, as the
    page's first query would."""
    connection = connections[SNAPSHOT]
    if connection.connection is not None:
        return False
    if connection.vendor == "sqlite" and not snapshot_file().exists():
        return True
    try:
        connection.ensure_connection()
    except OperationalError:
        return True
    return False


def missing(what):
    return SnapshotMissing(f"{SNAPSHOT} ({snapshot_label()}) is not available: {what}")


class Claims:
    """The overlay's reads of what the local side claims (Overlay's `model` is the model)."""

    def claimed_keys(self):
        """Every key the local side claims: its own rows and its tombstones (one query)."""
        return self.claimed(self.model._base_manager.using(LOCAL), Tombstone.objects)

    def claimed_among(self, keys):
        """The keys, of these, that the local side claims: its rows and its tombstones.
        One statement, as long as `keys`, written out: built by the ORM, it took ten times
        as long, most of it in Python (a page asks it once)."""
        if not keys:
            return set()
        connection = connections[LOCAL]
        quote = connection.ops.quote_name
        marks = ", ".join(["%s"] * len(keys))
        table, pk = quote(self.model._meta.db_table), quote(self.model._meta.pk.column)
        sql = (
            f"SELECT object_pk FROM {quote(Tombstone._meta.db_table)}"
            f" WHERE model = %s AND object_pk IN ({marks})"
            f" UNION ALL SELECT {pk} FROM {table} WHERE {pk} IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.model._meta.label, *keys, *keys])
            return {pk for (pk,) in cursor.fetchall()}

    def claimed(self, rows, tombstones):
        tombstones = tombstones.filter(model=self.model._meta.label).values_list("object_pk")
        # Tombstones first: a union led by a model with Meta.ordering fails on Django 6.1.
        return [pk for (pk,) in tombstones.union(rows.order_by().values_list("pk"))]

    def local_less_claimed(self, local, snapshot):
        """The local rows, less the matching snapshot rows the local side claims, counted
        among their kept versions: one statement to "default". If some claims have no
        version kept (rows put straight into "default"), the snapshot is sent their keys."""
        kept = original_of(self.model).objects.all()
        # The same fields, so the same filter: the model's own columns only, as the
        # shadowed models reference other rows by plain ids, not relations.
        matching = kept
        for method, args, kwargs in self.calls:
            matching = getattr(matching, method)(*args, **kwargs)
        counts = count_each(counted(local), counted(matching), *claims_counted(self.model))
        ours, found, tombstoned, copied, versions = counts
        if tombstoned + copied != versions:
            claims = claims_below(self.model)
            found = snapshot.filter(pk__in=[pk for (pk,) in claims]).count()
        return ours - found

    def unclaimed(self, snapshot, needed):
        """The first `needed` snapshot rows (all if None) that the local side does not
        claim, read in chunks: the first the page and a half, each next one twice as long,
        up to LONGEST_CHUNK."""
        rows, offset, size = [], 0, min(max(3 * (needed or 50) // 2, 10), LONGEST_CHUNK)
        while needed is None or len(rows) < needed:
            chunk = list(snapshot[offset : offset + size])
            claimed = self.claimed_among([row.pk for row in chunk])
            rows += [row for row in chunk if row.pk not in claimed]
            if len(chunk) < size:
                break
            offset, size = offset + size, min(2 * size, LONGEST_CHUNK)
        return rows[:needed]


def comparison(model, ordering):
    """Compare two rows as the databases' ORDER BY does, each field up or down: NULL is
    the smallest value on SQLite, the largest on PostgreSQL (nulls_order_largest)."""
    fields = [
        (model._meta.pk if name.lstrip("-") == "pk" else model._meta.get_field(name.lstrip("-")))
        for name in ordering
    ]
    directions = [-1 if name.startswith("-") else 1 for name in ordering]
    null = (2 if connections[LOCAL].features.nulls_order_largest else 0, 0)

    def compare(a, b):
        for field, direction in zip(fields, directions, strict=True):
            x, y = (getattr(row, field.attname) for row in (a, b))
            x, y = (null if v is None else (1, v) for v in (x, y))
            if x != y:
                return direction if x > y else -direction
        return 0

    return compare
