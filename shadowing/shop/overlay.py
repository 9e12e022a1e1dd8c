"""The overlay: the snapshot's rows with local changes on top, queried like a QuerySet.

The two databases are separate (two SQLite files, two PostgreSQL databases), so no SQL
can join them. A page [start:stop] is read in three steps, each query bounded by the
page, never by the number of local changes:

1. "default": the query as written, its first `stop` rows. A local row always wins.
2. "snapshot": the same query, in the same order, a chunk at a time, without the
   rows the local side claims (shop/reading.py): never a list of every change.
3. Both sides are sorted by the same ordering, with the primary key last so that no two
   rows tie, and merged: the rows and the order one database holding them would give.

Page n by offset reads n pages on each side, as OFFSET does on one database, and asks
about every snapshot key it passes, in chunks of at most LONGEST_CHUNK.
count() adds the snapshot's count (its indexes answer it) to the local one, and takes
away the matching snapshot rows that are claimed, counted among their versions kept on
"default" (shop/originals.py): no list of keys crosses, and each database is asked once.
Writes and the product list's GROUP BY use sides(): the snapshot minus every claimed key.

Without its snapshot (the file moved away, the database unreachable), the reads find the
local rows only, and the pages say so; a read or a write that needs the snapshot's rows
raises SnapshotMissing instead of answering without them.
"""

import heapq
from functools import cmp_to_key
from itertools import islice

from .copy_on_write import CopyOnWrite
from .reading import Claims, comparison, missing, snapshot_missing
from .shadow import LOCAL, SNAPSHOT


class Overlay(Claims, CopyOnWrite):
    """A model's merged rows, answering filter, exclude, order_by, slices, count, get,
    exists, and writing copy-on-write. Sorted always, by the model's ordering at least."""

    ordered = True  # always sorted (Paginator asks)
    _prefetch_related_lookups = ()  # ModelChoiceField asks

    def __init__(self, model, local=None, snapshot=None, window=(0, None), calls=()):
        self.model = model
        self.local = model._base_manager.using(LOCAL) if local is None else local
        self.snapshot = model._base_manager.using(SNAPSHOT) if snapshot is None else snapshot
        self.window = window  # (start, stop) of a slice, stop None for "to the end"
        self.calls = calls  # [(method, args, kwargs)]: count() repeats them on the originals
        self.without_snapshot = None  # set by a read: whether it found the snapshot missing
        self._rows = None

    # Building queries: the same call on both sides.
    def _both(self, method, *args, **kwargs):
        if self.window != (0, None):
            raise TypeError(f"Cannot use {method}() once a slice has been taken.")
        local = getattr(self.local, method)(*args, **kwargs)
        snapshot = getattr(self.snapshot, method)(*args, **kwargs)
        calls = (*self.calls, (method, args, kwargs))
        return Overlay(self.model, local, snapshot, calls=calls)

    def filter(self, *args, **kwargs):
        return self._both("filter", *args, **kwargs)

    def exclude(self, *args, **kwargs):
        return self._both("exclude", *args, **kwargs)

    def order_by(self, *fields):
        return self._both("order_by", *fields)

    def all(self):
        return Overlay(self.model, self.local, self.snapshot, self.window, self.calls)

    def __getitem__(self, key):
        if isinstance(key, int):
            rows = list(self[key : key + 1])
            if not rows:
                raise IndexError("Overlay index out of range")
            return rows[0]
        if (key.start or 0) < 0 or (key.stop or 0) < 0 or key.step:
            raise ValueError("Negative indexing and steps are not supported.")
        start, stop = self.window
        new_stop = None if key.stop is None else start + key.stop
        if stop is not None:
            new_stop = stop if new_stop is None else min(stop, new_stop)
        window = (start + (key.start or 0), new_stop)
        return Overlay(self.model, self.local, self.snapshot, window, self.calls)

    # Reading (the claims and the chunks: shop/reading.py).
    def as_written(self):
        """The query on each database, as written: no snapshot rows without the snapshot
        (the pages show the local rows, under a banner). Whether the snapshot is there is
        asked once a read, and kept: asked again, a snapshot back in between would turn
        "no rows, cannot tell" into "no rows" (test_snapshot_comes_back.py)."""
        self.without_snapshot = snapshot_missing()
        return [self.local, self.snapshot.none() if self.without_snapshot else self.snapshot]

    def sides(self):
        """Every local row, and the snapshot rows not claimed: for writes and GROUP BY."""
        local, snapshot = self.as_written()
        if self.without_snapshot:
            return [local, snapshot]
        return [local, snapshot.exclude(pk__in=self.claimed_keys())]

    def sides_to_write(self):
        """sides(), for a write: one that would miss the snapshot's rows is refused."""
        sides = self.sides()
        if self.without_snapshot:
            label = self.model._meta.label
            raise missing(f"a change to {label} rows needs its rows: nothing was changed.")
        return sides

    def ordering(self):
        fields = list(self.local.query.order_by or self.model._meta.ordering)
        names = {field.lstrip("-") for field in fields}
        return fields if names & {"pk", self.model._meta.pk.name} else [*fields, "pk"]

    def _fetch(self):
        if self._rows is None:
            start, stop = self.window
            ordering = self.ordering()
            local, snapshot = [side.order_by(*ordering) for side in self.as_written()]
            snapshot = self.unclaimed(snapshot, stop)
            # Read last: a row copied locally after its chunk's claims were read (by
            # another process, on PostgreSQL, whose statements each see the latest
            # commits) is on both sides, and the local row wins, as always.
            local = list(local if stop is None else local[:stop])
            ours = {row.pk for row in local}
            snapshot = (row for row in snapshot if row.pk not in ours)
            merged = heapq.merge(local, snapshot, key=cmp_to_key(comparison(self.model, ordering)))
            self._rows = list(islice(merged, start, stop))
        return self._rows

    def __iter__(self):
        return iter(self._fetch())

    def __len__(self):
        return len(self._fetch())

    def iterator(self, chunk_size=None):
        """QuerySet's signature (dumpdata passes chunk_size): the merged rows are in memory."""
        return iter(self)

    def count(self):
        """The snapshot's count and the local one, less the matching snapshot rows that
        the local side claims, counted among their kept versions (shop/originals.py)."""
        local, snapshot = self.as_written()
        if self.without_snapshot:
            total = local.count()
        else:
            total = snapshot.count() + self.local_less_claimed(local, snapshot)
        start, stop = self.window
        return max(0, (total if stop is None else min(total, stop)) - start)

    def exists(self):
        """Whether a first row is there, read as a page is. Without the snapshot, only a
        yes is sure: ModelForm's uniqueness checks ask."""
        first = self[:1]
        if list(first):
            return True
        if first.without_snapshot:
            name = self.model._meta.object_name
            raise missing(f"whether a {name} matches the query cannot be told.")
        return False

    def get(self, *args, **kwargs):
        found = self.filter(*args, **kwargs)[:2]
        rows, name = list(found), self.model._meta.object_name
        if not rows and found.without_snapshot:
            raise missing(f"the {name} asked for may be there, and cannot be read or changed.")
        if not rows:
            raise self.model.DoesNotExist(f"{name} matching query does not exist.")
        if len(rows) > 1:
            raise self.model.MultipleObjectsReturned(f"get() returned more than one {name}.")
        return rows[0]

    def in_bulk(self, keys):
        return {row.pk: row for row in self.filter(pk__in=keys)} if keys else {}
