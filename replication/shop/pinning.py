"""Where a request reads: a replica, or the primary when it must see fresh data.

The state of one request lives in context variables, so every request (thread or
asyncio task) has its own. The middleware sets it, the router reads it; views never
decide where to read.
"""

import itertools
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

from common.db_panel import note

from .replicas import PRIMARY, REPLICAS, check_health, pick_replica, why_skipped

COOKIE = "replication_pin"
_turns = itertools.count()  # replicas take turns, request by request
_request_reads = ContextVar("request_reads", default=None)
_primary_only = ContextVar("primary_only", default=False)


class Reads:
    """One request's reads: all on the primary while pinned, else on one replica."""

    def __init__(self, pinned_until=0.0):
        self.pinned_until = pinned_until
        self.wrote = False
        self.database = None

    def choose(self):
        """Where this request's reads go, decided at its first read and kept for the rest."""
        if self.database is None:
            self.database = self.pinned() or self.replica() or PRIMARY
        return self.database

    def pinned(self):
        if self.wrote:
            note(PRIMARY, "serves the reads: this request wrote, so it reads its write here")
            return PRIMARY
        if self.pinned_until > time.time():
            until = time.strftime("%H:%M:%S", time.localtime(self.pinned_until))
            note(PRIMARY, f"serves the reads: pinned here after your write, until {until}")
            return PRIMARY
        return None

    def replica(self):
        max_lag = settings.REPLICA_MAX_LAG_SECONDS
        healths = [check_health(alias) for alias in REPLICAS]
        chosen = pick_replica(healths, max_lag, next(_turns))
        for health in healths:
            if health.alias == chosen:
                note(chosen, f"serves the reads; its copy is {health.lag:.1f} s old")
            elif skipped := why_skipped(health, max_lag):
                note(health.alias, f"skipped: {skipped}")
            else:
                note(health.alias, f"usable (copy {health.lag:.1f} s old), not its turn")
        if chosen is None:
            note(PRIMARY, "serves the reads: no replica is usable")
        return chosen


def read_database():
    """The database for a read of replicated data, in this request or outside one."""
    if _primary_only.get():
        return PRIMARY
    reads = _request_reads.get() or Reads()  # outside a request: decide afresh
    return reads.choose()


def wrote():
    """Pin the rest of this request, and this client for a while, to the primary."""
    reads = _request_reads.get()
    if reads is not None:
        reads.wrote = True
        if reads.database != PRIMARY:
            reads.database = None  # decide again, at the next read


@contextmanager
def use_primary():
    """Read from the primary inside this block, or this decorated function."""
    token = _primary_only.set(True)
    try:
        yield
    finally:
        _primary_only.reset(token)


class ReadYourWritesMiddleware:
    """After a client writes, send its reads to the primary for REPLICATION_PIN_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reads = Reads(pinned_until=self.pinned_until(request))
        token = _request_reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _request_reads.reset(token)
        if reads.wrote:
            seconds = settings.REPLICATION_PIN_SECONDS
            until = f"{time.time() + seconds:.3f}"
            response.set_cookie(COOKIE, until, max_age=seconds, httponly=True, samesite="Lax")
        return response

    @staticmethod
    def pinned_until(request):
        """The time the client's pin ends; a missing or forged cookie pins nothing extra."""
        try:
            until = float(request.COOKIES.get(COOKIE, 0))
        except ValueError:
            return 0.0
        return min(until, time.time() + settings.REPLICATION_PIN_SECONDS)
