"""What Pgpool-II gets wrong for a Django site, each made certain rather than left to
timing: the balancing unit is the session; a read in the statement after an autocommit
write may miss it; disable_load_balance_on_write = 'always' pins every Django session to
the primary, unless the time zone comes in the connection's options; a server-side
cursor fails."""

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, transaction

from common.pgpool import pgpool_setting, replay_paused

from .helpers import ALL, server


@pytest.mark.django_db(databases=ALL, transaction=True)
def test_the_balancing_unit_is_the_session():
    """Twenty reads of one session, all on the server it drew at its start: Django's
    connection (or a pooled one, for its whole life) never spreads its reads."""
    assert len({server("pgpool") for _ in range(20)}) == 1


@pytest.mark.django_db(databases=ALL, transaction=True)
def test_a_read_after_an_autocommit_write_misses_it():
    """Each statement its own transaction: the read is balanced again, to a standby
    (paused here: a standby a moment behind does the same, at random) without the row,
    which the primary has. Read-your-writes is the app's job (README's "Read your writes")."""
    with replay_paused("replica1"):
        group = Group.objects.using("pgpool_replica1").create(name="Written, then read")
        assert not Group.objects.using("pgpool_replica1").filter(pk=group.pk).exists()
        assert Group.objects.using("default").filter(pk=group.pk).exists()


@pytest.mark.django_db(databases=ALL, transaction=True)
def test_always_pins_a_django_session_to_the_primary():
    """disable_load_balance_on_write = 'always': after a session's first write, all its
    reads go to the primary. Django's connect sends `SELECT set_config('TimeZone', ...)`
    (the server's TimeZone, Etc/UTC, is not the UTC Django wants), and set_config is
    volatile, which Pgpool counts as a write: the session never reads a standby."""
    with pgpool_setting("disable_load_balance_on_write", "always", "transaction"):
        assert server("django_connect_replica1") == "primary"


@pytest.mark.django_db(databases=ALL, transaction=True)
def test_the_time_zone_in_the_options_keeps_the_session_balanced():
    """With `-c TimeZone=UTC` in the startup packet (through_pgpool), the server already
    reports UTC and Django sends no set_config: the session reads the standby it drew."""
    with pgpool_setting("disable_load_balance_on_write", "always", "transaction"):
        assert server("pgpool_replica1") == "replica1"


@pytest.mark.django_db(databases=ALL, transaction=True)
def test_a_server_side_cursor_fails_through_pgpool():
    """QuerySet.iterator() declares a server-side cursor; Pgpool-II 4.3.5 answers
    psycopg's messages for it with an error, every time (seen here, not documented)."""
    Group.objects.create(name="Iterated")
    with pytest.raises(DatabaseError, match="unable to execute Describe"):
        list(Group.objects.using("pgpool_cursors").iterator())


@pytest.mark.django_db(databases=ALL, transaction=True)
def test_without_server_side_cursors_an_iterator_reads_every_row():
    """through_pgpool sets DISABLE_SERVER_SIDE_CURSORS, as DEMO_PGBOUNCER does."""
    with transaction.atomic(using="pgpool"):  # the primary, which has the row
        Group.objects.using("pgpool").create(name="Iterated")
        assert [g.name for g in Group.objects.using("pgpool").iterator()] == ["Iterated"]
