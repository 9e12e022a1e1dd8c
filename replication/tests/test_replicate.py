"""`manage.py replicate` copies the primary into the replicas; until it runs, they lag."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from common.faults import read_outside
from common.sqlite import database_file
from reviews.models import Review
from shop.models import Heartbeat

from .helpers import (
    ALIASES,
    ON_POSTGRES,
    create_author,
    create_product,
    create_review,
    replicate,
    sqlite_only,
    standby_session,
)

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


def rows(alias):
    return Review.objects.using(alias).count()


def test_a_write_lands_on_the_primary_only():
    create_review(create_product(), create_author())
    assert {alias: rows(alias) for alias in ALIASES} == {"default": 1, "replica1": 0, "replica2": 0}


def test_after_replicate_every_replica_holds_it():
    review = create_review(create_product(), create_author())
    replicate()
    for alias in ["replica1", "replica2"]:
        assert Review.objects.using(alias).get(pk=review.pk).text == review.text


def test_replica_option_copies_into_that_replica_only():
    create_review(create_product(), create_author())
    replicate("--replica", "replica2")
    assert (rows("replica1"), rows("replica2")) == (0, 1)


@sqlite_only
def test_replicate_prints_one_line_a_replica():
    output = StringIO()
    call_command("replicate", stdout=output)
    lines = output.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["replica1", "replica2"]
    assert all(" pages, heartbeat " in line for line in lines)


@sqlite_only
def test_a_replica_overwritten_with_garbage_is_replaced_by_a_fresh_copy():
    """The copy is swapped in whatever the file holds: nothing is read from it first."""
    create_review(create_product(), create_author())
    database_file("replica1").write_bytes(b"not a database\n")
    errors = StringIO()
    call_command("replicate", stdout=StringIO(), stderr=errors)
    assert errors.getvalue() == ""
    assert read_outside("replica1", "SELECT COUNT(*) FROM reviews_review") == [(1,)]


@sqlite_only
def test_a_replica_that_cannot_be_replaced_is_named_and_the_others_still_copied():
    """A folder in its place: replicate names it and why, copies the rest, then fails,
    and leaves no copy half-built beside it."""
    create_review(create_product(), create_author())
    path = database_file("replica1")
    connections["replica1"].close()
    path.unlink()
    path.mkdir()
    errors = StringIO()
    try:
        with pytest.raises(CommandError, match="Not copied: replica1"):
            call_command("replicate", stdout=StringIO(), stderr=errors)
    finally:
        path.rmdir()
        replicate()  # the runner empties every test database at the end
    assert errors.getvalue() == (
        "replica1: skipped: cannot replace test_replica1.sqlite3 (Is a directory)\n"
    )
    assert list(path.parent.glob(f"{path.name}.*.new")) == []
    assert read_outside("replica2", "SELECT COUNT(*) FROM reviews_review") == [(1,)]


@sqlite_only
def test_a_lock_that_cannot_be_opened_is_named():
    """Every run takes the lock beside the primary: one it cannot open ends the command
    with its name and why, before any copy, never with a traceback."""
    path = database_file("default").with_name("test_default.sqlite3.replicate-lock")
    path.unlink()
    path.mkdir()
    try:
        with pytest.raises(CommandError, match=rf"Cannot open {path} \(Is a directory\)\."):
            call_command("replicate", stdout=StringIO())
    finally:
        path.rmdir()


def test_each_copy_carries_the_heartbeat_written_just_before_it():
    replicate()
    beat = Heartbeat.objects.using("default").get().beat
    assert Heartbeat.objects.using("replica1").get().beat == beat
    assert Heartbeat.objects.using("replica2").get().beat == beat


@pytest.mark.skipif(not ON_POSTGRES, reason="a real standby")
def test_on_postgres_replicate_says_streaming_needs_no_copy_and_beats_the_heartbeat():
    output = StringIO()
    call_command("replicate", stdout=output)
    first, second, *resumed = output.getvalue().splitlines()
    assert first.startswith("PostgreSQL: each standby streams every change from the primary")
    beat = Heartbeat.objects.using("default").get().beat
    assert second == f"heartbeat {beat:%H:%M:%S} written on the primary"
    assert resumed == ["replica1: streaming, replay resumed", "replica2: streaming, replay resumed"]


@pytest.mark.skipif(not ON_POSTGRES, reason="a real standby")
def test_on_postgres_replica_option_resumes_that_standby_only():
    """`replicate --replica replica2` resumes replica2's paused replay; replica1 holds."""
    call_command("replicate", "--replica", "replica2", stdout=StringIO())
    states = {alias: replay_state(alias) for alias in ["replica1", "replica2"]}
    assert states == {"replica1": "paused", "replica2": "not paused"}


def replay_state(alias):
    with standby_session(alias) as standby:
        return standby.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--replica", "replica9"], "invalid choice: 'replica9'"),
        (["--replica", "default"], "invalid choice: 'default'"),
        (["--interval", "0"], "--interval: '0' is not a number of seconds from 0.1 up"),
        (["--interval", "soon"], "invalid seconds value: 'soon'"),
        (["--interval", "nan"], "--interval: 'nan' is not a number of seconds from 0.1 up"),
        (["--interval", "inf"], "--interval: 'inf' is not a number of seconds from 0.1 up"),
        (["--interval", "1e-300"], "--interval: '1e-300' is not a number of seconds from 0.1 up"),
    ],
)
def test_bad_arguments_are_named(args, message):
    """A bad argument is named before any copy: never a traceback (nan, inf) or a busy loop."""
    with pytest.raises(CommandError, match=message):
        call_command("replicate", *args, stdout=StringIO())
