"""What Pgpool-II gets right as one endpoint for the primary and both standbys
(postgres/pgpool.sh): writes on the primary, reads on the server the session drew, a
standby too far behind skipped, a transaction's reads after its write on the primary.
On PostgreSQL, with tests_pgpool/settings.py: `make test-postgres` runs them."""

import pytest
from django.contrib.auth.models import Group
from django.db import connections, transaction

from common.pgpool import DELAY_THRESHOLD, delay_of, replay_paused, until

from .helpers import ALL, server


@pytest.mark.django_db(databases=ALL, transaction=True)
def test_a_session_reads_the_standby_it_drew():
    """Pgpool decides a session's read server once, at its start (its docs, "Load
    Balancing"); here by the session's application_name."""
    assert server("pgpool_replica1") == "replica1"


@pytest.mark.django_db(databases=ALL, transaction=True)
def test_a_write_lands_on_the_primary():
    """A session that reads replica1 still writes on the primary: the row is there, read
    directly, and the standby, a read-only server, could not have taken it."""
    group = Group.objects.using("pgpool_replica1").create(name="Written through Pgpool")
    assert group._state.db == "pgpool_replica1"
    assert Group.objects.using("default").filter(pk=group.pk).exists()


@pytest.mark.django_db(databases=ALL, transaction=True)
def test_a_read_after_a_write_in_a_transaction_reads_the_primary():
    """disable_load_balance_on_write = 'transaction' (Pgpool's default): after a write in
    an explicit transaction its reads go to the primary, which has the write."""
    with replay_paused("replica1"), transaction.atomic(using="pgpool_replica1"):
        group = Group.objects.using("pgpool_replica1").create(name="In one transaction")
        assert Group.objects.using("pgpool_replica1").filter(pk=group.pk).exists()
        assert server("pgpool_replica1") == "primary"


@pytest.mark.django_db(databases=ALL, transaction=True)
def test_a_standby_past_delay_threshold_gets_no_reads():
    """replica1 paused while the primary writes 2 MB of WAL (a logical message, no
    table): once Pgpool's check sees it over delay_threshold (1 MB), the session that
    would read replica1 reads the primary."""
    with replay_paused("replica1"):
        with connections["default"].cursor() as primary:
            primary.execute("SELECT pg_logical_emit_message(false, 'pad', repeat('x', 2 << 20))")
        until(lambda: delay_of("replica1") > DELAY_THRESHOLD, "replica1 seen behind")
        assert server("pgpool_replica1") == "primary"
