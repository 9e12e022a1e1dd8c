"""Moving a bucket while it takes writes (``reshard --online``): the bucket refuses writes
only for the switch, not for the whole copy.

    copying      the capture is started (shop/capture_sqlite.py, shop/capture_postgres.py),
                 then the rows are copied: writes go on, on the source
    catching up  the changes made meanwhile are applied to the target until few are left;
                 every row is compared on both sides, a row that differs again after the
                 next catch-up
    fenced       writes refused (the bucket's `moving_to`, as a stop-the-bucket move), the
                 writes in flight waited out, the last changes applied, the rows that
                 differed or changed since compared again; then the map flipped
    switched     the capture dropped, the source's rows deleted, the state row deleted

The state is a row on "default" beside the map (shop.models.OnlineMove), written before
each step begins: a run killed anywhere is resumed by the next one toward the target the
row names, from the start of its state (every step may be repeated). ``abort()`` returns a
bucket to its source from any state before the switch.
"""

import time

from django.db import connections, transaction
from django.db.models import F

from . import resharding
from .bucket_map import forget
from .capture_postgres import CaptureStuck, Subscription
from .capture_sqlite import ChangeLog
from .models import MapVersion, OnlineMove

CAUGHT_UP = 50  # changes left after a catch-up: few enough to apply under the fence
CATCH_UP_SECONDS = 60  # the copy and the catch-up, before the move gives up (bounded)


class NotVerified(Exception):
    """The target's rows differ from the source's: nothing was switched."""


def capture(move):
    engines = {connections[move.source].vendor, connections[move.target].vendor}
    if engines == {"postgresql"}:
        return Subscription(move)
    if engines == {"sqlite"}:
        return ChangeLog(move)
    raise NotVerified(
        f"{move.source} and {move.target} are on two engines: move it without --online"
    )


def in_flight():
    return list(OnlineMove.objects.order_by("bucket"))


def advance(move, state):
    move.state = state
    move.save(update_fields=["state"])
    shown()


def shown():
    """Bump the map's version: every process reads the map again, and with it the moves'
    states, which the panel shows (shop/bucket_map.py)."""
    MapVersion.objects.update(number=F("number") + 1)
    forget()


def move_online(bucket, source, target):
    """Start (or resume) the bucket's move; what it did, for one line of output."""
    move = OnlineMove(bucket=bucket, source=source, target=target)
    capture(move)  # refused before any state is written if it cannot be captured
    move, _ = OnlineMove.objects.get_or_create(
        bucket=bucket, defaults={"source": source, "target": target}
    )
    shown()
    return resume(move)


def resume(move):
    """Run the move from its state to the end: {"copied", "caught_up", "fenced_s", "deleted"}."""
    done = {"copied": None, "caught_up": 0}
    changes, differing = capture(move), None
    if move.state == OnlineMove.COPYING:
        done["copied"] = changes.start()
        advance(move, OnlineMove.CATCHING_UP)
    if move.state == OnlineMove.CATCHING_UP:
        done["caught_up"], differing = catch_up(move, changes)
        advance(move, OnlineMove.FENCED)
    if done["copied"] is None:  # a subscription copies them itself: count them
        done["copied"] = resharding.rows(move.target, move.bucket).count()
    if move.state == OnlineMove.FENCED:
        done["fenced_s"] = fence_and_switch(move, changes, differing)
    changes.stop()
    done["deleted"] = resharding.delete_source(move.bucket, move.source)
    move.delete()
    shown()
    return done


def catch_up(move, changes):
    """Apply the changes until few are left, then compare every row; then again the rows
    that differed or changed since, until few differ: (changes applied, {ids to compare
    under the fence})."""
    applied, differing, touched = 0, None, set()
    deadline = time.monotonic() + CATCH_UP_SECONDS
    while time.monotonic() < deadline:
        changed = changes.catch_up()
        if changed is None:
            continue  # still copying
        applied, touched = applied + len(changed), touched | changed
        if len(changed) > CAUGHT_UP:
            continue  # many changes came meanwhile
        differing = different_rows(move, None if differing is None else differing | touched)
        touched = set()
        if len(differing) <= CAUGHT_UP:
            changed = changes.catch_up()  # the writes made while the rows were compared
            return applied + len(changed), differing | changed
    raise NotVerified(f"bucket {move.bucket}: not caught up within {CATCH_UP_SECONDS} s")


def fence_and_switch(move, changes, differing):
    """Refuse the bucket's writes, apply the last changes, verify, flip the map: the
    seconds the bucket refused writes. Nothing here grows with the bucket: what is
    compared under the fence is the rows that differed at the last comparison, and those
    the capture names as changed since (SQLite's log does; a subscription does not say).
    A run resumed here knows none of them: it compares every row under the fence."""
    started = time.perf_counter()
    resharding.mark(move.bucket, move.target)
    try:
        resharding.wait_for_writes(move.source)
        changed = changes.drain()
        check = None if differing is None else differing | changed
        if different_rows(move, check):
            raise NotVerified(f"bucket {move.bucket}: the copy on {move.target} differs")
    except BaseException as error:  # Ctrl-C too: a fence is lifted by whatever stops it
        resharding.unmark(move.bucket)
        advance(move, OnlineMove.CATCHING_UP)
        if isinstance(error, CaptureStuck):
            raise NotVerified(str(error)) from None
        raise
    with transaction.atomic(using="default"):
        resharding.switch(move.bucket, move.source, move.target)
        advance(move, OnlineMove.SWITCHED)
    return time.perf_counter() - started


def different_rows(move, ids=None):
    """The ids whose rows differ on the two shards (or are on one only): every row is
    compared, or those given."""
    source, target = (rows_by_id(shard, move.bucket, ids) for shard in (move.source, move.target))
    return {pk for pk in source.keys() | target.keys() if source.get(pk) != target.get(pk)}


def rows_by_id(shard, bucket, ids):
    """{id: row}, by the primary key when ids are given: SQLite would otherwise walk the
    bucket's index, every row of the bucket, to find a few."""
    if ids is None:
        found = resharding.rows(shard, bucket).order_by()
    else:
        found = resharding.rows_of(shard).filter(pk__in=sorted(ids)).order_by()
    return {row[0]: row for row in found.values_list(*resharding.COLUMNS).iterator(2000)}


def abort(move):
    """Return the bucket to its source: the capture dropped, the target's copy deleted,
    the fence lifted. Refused once the map is flipped: the target has taken writes."""
    if move.state == OnlineMove.SWITCHED:
        raise NotVerified(f"bucket {move.bucket} is switched to {move.target} already")
    capture(move).stop()
    deleted = resharding.rows(move.target, move.bucket).delete()[0]
    resharding.unmark(move.bucket)
    move.delete()
    shown()
    return deleted
