"""Read your writes by position: a replica serves a client once it has replayed the
client's last write; until then, the primary does.

After a request that wrote, the client gets its write's position (shop/positions.py),
signed, in a cookie and in a header, and sends it back: the cookie from a browser, the
header from an API client that keeps no cookies. Outside a request (the shell, a
command, a task) a write marks the thread or task, and its next read takes the position;
a task queued after a write is handed the position and reads under ``reads_after()``.

A token lives REPLICA_MAX_LAG_SECONDS: a replica whose heartbeat is younger than that
holds every write committed before then, and an older one is skipped anyway.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

from common.db_panel import note

from .positions import as_token, from_token, primary_position, replayed_position

POLL_SECONDS = 0.01
PENDING = object()  # this context wrote, and its position is not taken yet
_written = ContextVar("written", default=None)  # outside a request: PENDING or a Position


def by_position():
    return settings.REPLICATION_READ_YOUR_WRITES == "position"


def request_position(request):
    """The position a request carries, in its cookie or its header; None when there is
    none, or it is forged, malformed or too old (never an error), or not by position."""
    if not by_position():
        return None
    token = request.COOKIES.get(settings.REPLICATION_POSITION_COOKIE) or request.headers.get(
        settings.REPLICATION_POSITION_HEADER
    )
    return from_token(token, max_age=settings.REPLICA_MAX_LAG_SECONDS)


def give_position(request, response):
    """After a request that wrote (its transactions committed): its position, to the client."""
    token = as_token(primary_position())
    response.set_cookie(
        settings.REPLICATION_POSITION_COOKIE,
        token,
        max_age=settings.REPLICA_MAX_LAG_SECONDS,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    response.headers[settings.REPLICATION_POSITION_HEADER] = token


def caught_up(alias, position):
    """Whether a replica has replayed up to the position, waiting for it at most
    REPLICATION_POSITION_WAIT_SECONDS: one statement a try, the panel says how it went."""
    wait = settings.REPLICATION_POSITION_WAIT_SECONDS
    deadline = time.monotonic() + wait
    while not position.reached_by(replayed := replayed_position(alias)):
        if time.monotonic() >= deadline:
            note(alias, behind(replayed, position), state="skipped")
            return False
        time.sleep(POLL_SECONDS)
    note(alias, f"has replayed your write, at {position}")
    return True


def behind(replayed, position):
    """Why a replica may not serve this client's reads yet."""
    if replayed is None:
        return f"skipped: it holds no position yet; your write is at {position}"
    if replayed.history != position.history:
        return "skipped: your write is of another history of the primary (rebuilt since)"
    return f"skipped: replayed up to {replayed}, your write is at {position}"


def wrote_outside_a_request():
    """A write in the shell, a command or a task: its next read takes its position."""
    _written.set(PENDING)


def context_position():
    """This thread's or task's last write's position, taken now if it is pending; None
    when it wrote nothing (or not by position, and no reads_after() block)."""
    written = _written.get()
    if written is PENDING:
        written = primary_position() if by_position() else None
        _written.set(written)
    return written


def forget_writes():
    """This thread or task reads replicas again, whatever it wrote."""
    _written.set(None)


def written_position():
    """The position to hand a task queued after a write: call it once the write is
    committed (``transaction.on_commit(..., using="default")``), never inside it."""
    return primary_position()


@contextmanager
def reads_after(position):
    """Inside this block, read a replica only once it has replayed ``position`` (a task
    handed the position of the write that queued it), else the primary."""
    token = _written.set(position)
    try:
        yield
    finally:
        _written.reset(token)
