"""An interrupted `reshard` leaves no loose ends: stopped anywhere, even by kill -9, the
next run finishes the half-done bucket first, and `shard_stats` shows a move under way."""

import os
import signal

import pytest
from django.core.management import CommandError

from reviews.models import Review
from shop import resharding
from shop.models import Bucket

from .helpers import EVERY_DATABASE
from .test_reshard import call_command_output, expected_after, fail_on_call, where_rows_are

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


def interrupted(monkeypatch, step, stop):
    """Run reshard with `step` replaced by `stop` on its first call; the CommandError raised."""
    monkeypatch.setattr(resharding, step, stop)
    with pytest.raises(CommandError) as raised:
        call_command_output("reshard")
    monkeypatch.undo()
    return raised.value


def test_ctrl_c_stops_with_one_line_and_exit_status_130(reviews, monkeypatch):
    """The README invites Ctrl-C: a shell's exit status 130 and one line, no traceback."""
    error = interrupted(monkeypatch, "copy", fail_on_call(resharding.copy, 1))
    assert error.returncode == 130
    assert str(error) == (
        "Interrupted: nothing is lost. Run reshard again to finish the bucket it was moving."
    )


@pytest.fixture
def sigterm_fails_the_test():
    """Outside reshard, SIGTERM would end pytest itself: fail the test instead."""

    def unhandled(signum, frame):
        raise AssertionError("SIGTERM reached the default handler: reshard would be killed")

    previous = signal.signal(signal.SIGTERM, unhandled)
    yield
    signal.signal(signal.SIGTERM, previous)


def test_sigterm_stops_reshard_as_ctrl_c_does(reviews, monkeypatch, sigterm_fails_the_test):
    """`kill` (SIGTERM) ends reshard cleanly, with Ctrl-C's message and status."""

    def killed(*args):
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("SIGTERM did not stop reshard")

    error = interrupted(monkeypatch, "copy", killed)
    assert error.returncode == 130


def test_the_next_run_first_deletes_the_rows_left_after_a_switch(reviews, monkeypatch):
    """Killed between switch and delete, then stopped again at its first copy: the old
    rows are gone all the same, never on two shards at once for another move."""
    resharding.copy(15, "shard1", "shard4")
    resharding.switch(15, "shard1", "shard4")
    interrupted(monkeypatch, "copy", fail_on_call(resharding.copy, 1))
    assert not Review._base_manager.using("shard1").filter(bucket=15).exists()


def marked(bucket, source, target):
    resharding.mark(bucket, target)


def copied(bucket, source, target):
    resharding.mark(bucket, target)
    resharding.copy(bucket, source, target)


def switched(bucket, source, target):
    copied(bucket, source, target)
    resharding.switch(bucket, source, target)


def deleted(bucket, source, target):
    switched(bucket, source, target)
    resharding.delete_source(bucket, source)


def marked_then_replanned(bucket, source, target):
    """Killed after the copy, then settings changed: the bucket no longer moves there."""
    copied(3, "shard1", target)


@pytest.mark.parametrize("state", [marked, copied, switched, deleted, marked_then_replanned])
def test_killed_at_each_step_boundary_the_next_run_repairs_it(reviews, state):
    """kill -9 leaves the database as the last finished step did: the next run ends with
    every row once, on its shard, and no bucket refusing writes (spqr's move recovery: a
    started key range move is finished by the next coordinator and its lock released)."""
    state(15, "shard1", "shard4")
    expected = expected_after(reviews)  # the rows decide the plan: planned from this state
    call_command_output("reshard")
    assert where_rows_are() == expected
    assert not Bucket.objects.exclude(moving_to="").exists()


def test_shard_stats_shows_a_move_in_progress(reviews):
    """A bucket left marked refuses every write: the status output says so, and what to do."""
    resharding.mark(15, "shard4")
    output = call_command_output("shard_stats")
    assert (
        "bucket 15: being moved from shard1 to shard4, its writes refused: "
        "run reshard to finish the move" in output
    )
