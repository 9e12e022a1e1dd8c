"""`replicate --follow` lives through an outage of the primary (a restart, a file that
cannot be opened): it says so, waits an interval, and beats again once the primary
answers. It advises setup_demo only for a primary without tables, never for one it cannot
reach. Uses default (the primary), replica1 and replica2."""

from contextlib import ExitStack
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from common.faults import (
    database_missing,
    on_postgres,
    postgres_session,
    read_outside,
    server_unreachable,
)
from shop.management.commands.replicate import Command
from shop.replicas import PRIMARY

from .helpers import ALIASES, ON_POSTGRES

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


def primary_away(tmp_path):
    """The primary, unreachable: its server's port closed, or its SQLite file unopenable."""
    return (
        server_unreachable(PRIMARY) if on_postgres(PRIMARY) else database_missing(PRIMARY, tmp_path)
    )


def beat_on_primary():
    return read_outside(PRIMARY, "SELECT beat FROM shop_heartbeat")[0][0]


def follow(monkeypatch, *during_pauses):
    """Run `replicate --follow`; its pauses run `during_pauses` in turn, and the next one
    stops it as Ctrl-C does. Its output, (stdout, stderr)."""

    def stop():
        raise KeyboardInterrupt

    steps = iter([*during_pauses, stop])
    monkeypatch.setattr(Command, "pause", lambda command, seconds: next(steps)())
    out, err = StringIO(), StringIO()
    call_command("replicate", "--follow", "--interval", "0.1", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def outage(monkeypatch, tmp_path):
    """`replicate --follow` through one round with the primary away; the heartbeat it
    wrote before, and its output."""
    before = []
    with ExitStack() as away:

        def start():
            before.append(beat_on_primary())
            away.enter_context(primary_away(tmp_path))

        output = follow(monkeypatch, start, away.close)
    return before[0], output


def test_follow_beats_again_once_the_primary_is_back(outage):
    before, _ = outage
    assert beat_on_primary() > before


def test_follow_says_the_primary_cannot_be_reached_and_tries_again(outage):
    _, (out, err) = outage
    [line] = err.splitlines()
    assert line.startswith("primary: cannot be reached (")
    assert line.endswith("): trying again in 0.1 s")
    assert "primary: answering again, down since " in out


def test_follow_never_advises_setup_demo_for_an_unreachable_primary(outage):
    _, (out, err) = outage
    assert "setup_demo" not in out + err


def test_replicate_names_an_unreachable_primary_without_setup_advice(tmp_path):
    with primary_away(tmp_path), pytest.raises(CommandError) as error:
        call_command("replicate", stdout=StringIO(), stderr=StringIO())
    assert str(error.value).startswith("The primary cannot be reached (")
    assert "setup_demo" not in str(error.value)


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL server's restart")
def test_follow_reconnects_after_the_primary_restarts(monkeypatch):
    """A restart ends every session: the connection the command held is dead, and the
    next round connects afresh instead of failing on it until it is stopped."""

    def restart():
        with postgres_session(PRIMARY) as outside:
            outside.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )

    before = beat_on_primary()
    follow(monkeypatch, restart)
    assert beat_on_primary() > before
