"""Where a read goes: a replica, or the primary when it must see fresh data.

The state of one request lives in context variables, so every request (thread or
asyncio task) has its own. The middleware sets it, the router reads it; views never
decide where to read. The primary's connection calls ``wrote()`` at every write
(shop/writes.py).
"""

import itertools
import time
from contextlib import ContextDecorator
from contextvars import ContextVar
from functools import wraps

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.db import connections

from common.db_panel import note
from common.down import clock

from .causal import (
    caught_up,
    context_position,
    forget_writes,
    give_position,
    request_position,
    wrote_outside_a_request,
)
from .replicas import PRIMARY, REPLICAS, check_health, pick_replica, why_skipped

# Methods that cannot change data (Django's CSRF check trusts the same ones). Any other
# request may save what it reads, so it reads the primary from its first query.
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
_turns = itertools.count()  # replicas take turns, request by request
_request_reads = ContextVar("request_reads", default=None)
_primary_only = ContextVar("primary_only", default=False)
_pinned_until = ContextVar("pinned_until", default=0.0)  # outside a request


def strategy():
    """How reads follow writes: "time", "position" (shop/causal.py) or "none"."""
    return settings.REPLICATION_READ_YOUR_WRITES


class Reads:
    """One request's reads: all on the primary while pinned, else on one replica (by
    position: one that has replayed the client's last write)."""

    def __init__(self, pinned_until=0.0, method="GET", position=None):
        self.pinned_until = pinned_until
        self.method = method
        self.position = position
        self.wrote = False
        self.database = None

    def choose(self):
        """Where this request's reads go, decided at its first read and kept for the rest."""
        if self.database is None:
            self.database = self.pinned() or self.replica() or PRIMARY
        return self.database

    def pinned(self):
        if strategy() == "none":  # the naive router, kept to show the stale read
            note(PRIMARY, "REPLICATION_READ_YOUR_WRITES is none: no read follows a write here")
            return None
        if self.wrote:
            note(PRIMARY, "serves the reads: this request wrote, so it reads its write here")
            return PRIMARY
        if self.method not in SAFE_METHODS:
            note(PRIMARY, f"serves the reads: a {self.method} may save what it reads")
            return PRIMARY
        if strategy() == "time" and self.pinned_until > time.time():
            until = clock(self.pinned_until)
            note(PRIMARY, f"serves the reads: pinned here after your write, until {until}")
            return PRIMARY
        return None

    def replica(self):
        max_lag = settings.REPLICA_MAX_LAG_SECONDS
        healths = [check_health(alias) for alias in REPLICAS]
        chosen = pick_replica(healths, max_lag, next(_turns))
        behind = (
            chosen if chosen and self.position and not caught_up(chosen, self.position) else None
        )
        for health in healths:
            if health.alias == behind:
                continue  # caught_up() said why
            if health.alias == chosen:
                note(chosen, f"serves the reads; its copy is {health.lag:.1f} s old")
            elif skipped := why_skipped(health, max_lag):
                note(health.alias, f"skipped: {skipped}", state="skipped")
            else:
                note(health.alias, f"usable (copy {health.lag:.1f} s old), not its turn")
        if behind:
            note(PRIMARY, f"serves the reads: {behind} has not replayed your write yet")
            return None
        if chosen is None:
            note(PRIMARY, "serves the reads: no replica is usable")
        return chosen


def read_database():
    """The database for a read of replicated data, in this request or outside one."""
    # An open transaction on the primary reads its own uncommitted rows, and a
    # select-then-update in it must never decide on a copy.
    if _primary_only.get() or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    reads = _request_reads.get()
    if reads is None:  # outside a request: pinned by this thread's writes, or decide afresh
        reads = Reads(pinned_until=_pinned_until.get(), position=context_position())
    return reads.choose()


def wrote():
    """Pin the rest of this request, and this client for a while, to the primary.

    Outside a request (the shell, a command, a task), pin this thread or task for
    REPLICATION_PIN_SECONDS, as the cookie pins a browser (by position: until a replica
    has replayed the write).
    """
    reads = _request_reads.get()
    if reads is None:
        _pinned_until.set(time.time() + settings.REPLICATION_PIN_SECONDS)
        wrote_outside_a_request()
        return
    reads.wrote = True
    if reads.database != PRIMARY:
        reads.database = None  # decide again, at the next read


def unpin():
    """Forget this thread's (or task's) writes outside a request: it reads replicas again."""
    _pinned_until.set(0.0)
    forget_writes()


class use_primary(ContextDecorator):  # noqa: N801 (named and used as a function)
    """Read from the primary inside this block (``with``, ``async with``), or this
    decorated function, sync or async.

    A ``@contextmanager`` decorating an ``async def`` leaves its block as soon as the
    call returns the coroutine, before one line of it has run: the coroutine is wrapped
    in an ``async def`` here, so the block lasts until it ends.
    """

    def __enter__(self):
        self.token = _primary_only.set(True)

    def __exit__(self, *exc_info):
        _primary_only.reset(self.token)

    async def __aenter__(self):
        self.__enter__()

    async def __aexit__(self, *exc_info):
        self.__exit__(*exc_info)

    def _recreate_cm(self):
        return use_primary()  # a token of its own for each call: calls may overlap

    def __call__(self, function):
        if not iscoroutinefunction(function):
            return super().__call__(function)

        @wraps(function)
        async def primary_reads(*args, **kwargs):
            with self._recreate_cm():
                return await function(*args, **kwargs)

        return primary_reads


class ReadYourWritesMiddleware:
    """After a client writes, send its reads to the primary for REPLICATION_PIN_SECONDS.

    Sync and async (Django's sync_and_async_middleware pattern): an ASGI server keeps
    it on the event loop when the middleware around it is async-capable too.
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
        reads = Reads(self.pinned_until(request), request.method)
        reads.position = request_position(request)
        token = _request_reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _request_reads.reset(token)
        return self.pin_client(request, reads, response)

    async def __acall__(self, request):
        """The same around an async view: each query's thread gets a copy of this
        context, and with it this request's Reads."""
        reads = Reads(self.pinned_until(request), request.method)
        reads.position = request_position(request)
        token = _request_reads.set(reads)
        try:
            response = await self.get_response(request)
        finally:
            _request_reads.reset(token)
        if reads.wrote and strategy() == "position":  # the position is read on the primary
            return await sync_to_async(self.pin_client)(request, reads, response)
        return self.pin_client(request, reads, response)

    @staticmethod
    def pin_client(request, reads, response):
        """After a write, the cookie that pins this client's next requests (by position:
        the cookie and header that carry its write's position). The response says whether
        the request wrote, for shop/retry.py, whatever the strategy."""
        response.wrote = reads.wrote
        if reads.wrote and strategy() == "position":
            give_position(request, response)
        elif reads.wrote and strategy() == "time":
            seconds = settings.REPLICATION_PIN_SECONDS
            response.set_cookie(
                settings.REPLICATION_PIN_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=seconds,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def pinned_until(request):
        """The time the client's pin ends; a missing or forged cookie pins nothing extra."""
        try:
            until = float(request.COOKIES.get(settings.REPLICATION_PIN_COOKIE, 0))
        except ValueError:
            return 0.0
        return min(until, time.time() + settings.REPLICATION_PIN_SECONDS)
