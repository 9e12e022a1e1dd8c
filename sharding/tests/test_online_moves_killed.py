"""`reshard --online` killed with SIGKILL at each state in turn, while other processes
write to the moving bucket: the next run finishes the move toward the shard its state
names, and every acknowledged review is on the shard the map gives it, exactly once."""

import multiprocessing
import os
import signal
import time
import traceback

import pytest
from django.db import connections

from reviews.models import Review
from shop import online_moves, resharding
from shop.models import Bucket, OnlineMove
from shop.sharding import BucketMoving

from .helpers import EVERY_DATABASE, SHARDS, create_author, product_on
from .test_online_moves import BUCKET, SOURCE, no_capture_left  # noqa: F401
from .test_reshard import call_command_output

TARGET = "shard2"  # not the shard a new plan would choose: shard4, the empty one
pytestmark = [
    pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True),
    pytest.mark.skipif(
        connections[SOURCE].vendor != connections[TARGET].vendor,
        reason="an online move needs both shards on one engine",
    ),
]
WRITERS = 2
DONE = "done"
fork = multiprocessing.get_context("fork")


def write(product_id, author_id, stop, acknowledged):
    """In a child process: write reviews of the product until told to stop; report the ids
    of those whose save() returned, and nothing of those refused."""
    try:
        while not stop.is_set():
            review = Review(product_id=product_id, author_id=author_id, text="during")
            try:
                review.save()
            except BucketMoving:
                time.sleep(0.005)
                continue
            acknowledged.put(review.pk)
    except Exception:
        acknowledged.put(traceback.format_exc())
    finally:
        connections.close_all()
        acknowledged.put(DONE)


def paused(reached):
    """Tell the parent the move got here, then wait for SIGKILL."""
    reached.set()
    time.sleep(60)


def move_until(state, reached):
    """In a child process: move the bucket online, stopping dead when it gets to `state`."""
    advance, capture, wait = online_moves.advance, online_moves.capture, resharding.wait_for_writes

    def advance_then_pause(move, entered):
        advance(move, entered)
        if entered == state == OnlineMove.CATCHING_UP:
            paused(reached)

    def capture_then_pause(move):
        """Paused once the capture has started, or (switched) before it is stopped."""
        changes = capture(move)
        start, stop = changes.start, changes.stop
        changes.start = lambda: (start(), paused(reached) if state == OnlineMove.COPYING else 0)
        changes.stop = lambda: (paused(reached) if state == OnlineMove.SWITCHED else 0, stop())
        return changes

    def pause_under_the_fence(source, say=None):
        paused(reached) if state == OnlineMove.FENCED else wait(source)

    online_moves.advance, online_moves.capture = advance_then_pause, capture_then_pause
    resharding.wait_for_writes = pause_under_the_fence
    online_moves.move_online(BUCKET, SOURCE, TARGET)


def where(ids):
    """{id: [shards physically holding it]}."""
    found = {pk: [] for pk in ids}
    for shard in SHARDS:
        for pk in Review._base_manager.using(shard).filter(pk__in=ids).values_list("pk", flat=True):
            found[pk].append(shard)
    return found


@pytest.fixture
def nearly_even_map():
    """Buckets 0-15 on shard1, 16-30 on shard2, 31-45 on shard3, 46-59 on shard4: after
    the resumed move a new plan has one bucket to move, not fifteen (the test's time)."""
    for shard, first, last in [("shard2", 16, 30), ("shard3", 31, 45), ("shard4", 46, 59)]:
        Bucket.objects.filter(number__range=(first, last)).update(shard=shard)


@pytest.mark.usefixtures("nearly_even_map")
@pytest.mark.parametrize("state", [s for s, _ in OnlineMove.STATES])
def test_killed_at_each_state_nothing_is_lost(state):
    """SIGKILL leaves the state row as the last step wrote it; the next run resumes from
    there toward its target, while two processes write on."""
    while (found := product_on(SOURCE))[1] != BUCKET:
        pass
    product, author = found[0], create_author()
    connections.close_all()
    stop, acknowledged, reached = fork.Event(), fork.Queue(), fork.Event()
    writers = [
        fork.Process(target=write, args=(product.pk, author.pk, stop, acknowledged))
        for _ in range(WRITERS)
    ]
    mover = fork.Process(target=move_until, args=(state, reached))
    for process in writers:
        process.start()
    ids, done = [acknowledged.get(timeout=30)], 0  # the writers are writing
    mover.start()
    assert reached.wait(timeout=60), f"the move never got to {state}"
    time.sleep(0.2)  # the writers go on meanwhile
    os.kill(mover.pid, signal.SIGKILL)
    mover.join(timeout=10)
    output = call_command_output("reshard", "--online")
    time.sleep(0.1)  # and after the move, to the shard it went to
    stop.set()
    while done < WRITERS:
        ids.append(acknowledged.get(timeout=30))
        done += ids[-1] == DONE
    ids = [pk for pk in ids if pk != DONE]
    for process in writers:
        process.join(timeout=30)
    assert [pk for pk in ids if isinstance(pk, str)] == []
    assert f"bucket {BUCKET}: {SOURCE} → {TARGET}, resumed {state}" in output
    owner = Bucket.objects.get(number=BUCKET).shard
    assert where(ids) == {pk: [owner] for pk in ids}
    others = [s for s in SHARDS if s != owner]
    assert [s for s in others if resharding.rows(s, BUCKET).exists()] == []
    assert not OnlineMove.objects.exists()
