"""The bucket map as this process last read it: read once per request, not per lookup.

Every change to the map bumps MapVersion in the same transaction
(``BucketQuerySet.update``). A request's first lookup reads the version, one row on
"default", and reads the map again only if it changed; the rest of the request uses
that map. Outside a request (the shell, a command) the version is checked again once
the map is MAX_AGE seconds old, and a process that changes the map forgets its own.

A stale map is never trusted with a write: every write confirms its bucket against
"default" inside its transaction (``confirmed_write``) and rolls back if it moved. A
read from a map one version old is still right: `reshard` switches a bucket only after
its copy is verified, and no write reaches a bucket while it is marked, so the old
shard holds the same rows until they are deleted, just after the switch. A read that
comes after that delete finds the bucket empty for that one request, never a wrong row.
"""

import time
from contextvars import ContextVar

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.db.models import OuterRef, Subquery

from common.db_panel import note

from .models import Bucket, MapVersion, OnlineMove
from .sharding import BucketMoving

# Outside a request, how many seconds a map is used before its version is checked again.
MAX_AGE = 1.0

VERSION = MapVersion.objects.values("number")[:1]
# A bucket's online move, if one is in flight (shop/online_moves.py): read with the map,
# in its statement, since every step of a move bumps the map's version.
MOVE = OnlineMove.objects.filter(bucket=OuterRef("number"))
_request = ContextVar("bucket_map_request", default=None)
_cache = (None, {}, float("-inf"))  # (version, {number: Bucket}, when last checked)


def forget():
    """Read the map afresh at the next lookup (this process has just changed it)."""
    global _cache
    _cache = (None, {}, float("-inf"))


def _checked():
    """The map, after one read of its version; the whole map only if the version changed."""
    global _cache
    version, buckets, _ = _cache
    if not buckets or MapVersion.objects.values_list("number", flat=True).first() != version:
        # The map and its version in one statement, so they cannot come from two moments.
        moves = Bucket.objects.annotate(
            online=Subquery(MOVE.values("state")), online_to=Subquery(MOVE.values("target"))
        )
        rows = list(moves.annotate(version=Subquery(VERSION)))
        version, buckets = (rows[0].version if rows else None), {b.number: b for b in rows}
    _cache = (version, buckets, time.monotonic())
    return buckets


def current():
    """{number: Bucket}: this request's map, or outside a request one at most MAX_AGE old."""
    request = _request.get()
    if request is not None:
        if "buckets" not in request:
            request["buckets"] = _checked()
            note_moves(request["buckets"])
        return request["buckets"]
    _, buckets, checked = _cache
    return buckets if time.monotonic() - checked < MAX_AGE else _checked()


def note_moves(buckets):
    """Each bucket moving online, and its state, under "default" in the request's panel."""
    for bucket in buckets.values():
        if bucket.online:
            text = f"bucket {bucket.number}: moving online from {bucket.shard} to "
            note("default", text + f"{bucket.online_to}, {bucket.online}")


def layout():
    """{bucket: shard}, from the same map as shard_for()."""
    return {number: bucket.shard for number, bucket in current().items()}


def shard_for(bucket, *, writing=False):
    """The shard of a bucket: the one lookup the router, save() and the queries share.

    For a write, a bucket being moved is refused before a ticket is taken; the write's
    own confirmation inside its transaction is what makes a racing move safe.
    """
    entry = current()[bucket]
    if writing and entry.moving_to:
        raise BucketMoving(entry.refusal())
    return entry.shard


class BucketMapMiddleware:
    """Give each request one bucket map, read at its first lookup.

    Sync and async (Django's sync_and_async_middleware pattern): around an async view,
    each query's thread gets a copy of this context, and with it the request's map.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        token = _request.set({})
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)

    async def __acall__(self, request):
        token = _request.set({})
        try:
            return await self.get_response(request)
        finally:
            _request.reset(token)
