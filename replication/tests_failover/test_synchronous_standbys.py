"""The price of synchronous replication: a commit waits for its synchronous standby, so
with one named and that one gone, writes wait; with FIRST 1 of two, the other answers."""

import threading
import time

import pytest
from django.db import connections
from tests.helpers import ON_POSTGRES

from common.faults import failover_script
from products.models import Product

from .servers import session_on

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="real servers: DEMO_DATABASE=postgres"),
    pytest.mark.faults,
    pytest.mark.django_db(databases=["default"], transaction=True),
]


@pytest.fixture
def replica1_cut_off():
    """replica1 cut off the primary after the test's synchronous_standby_names is set;
    both undone after the test."""
    yield lambda: failover_script("cut")
    failover_script("sync", "off")
    failover_script("uncut")


def commit_seconds(most=1.0):
    """How long one insert's commit takes on the primary, its wait cancelled from the client
    after `most` seconds: the server's statement_timeout does not end it (seen here: the
    commit waited on, past the 5 s of BOUNDS in common/postgres.py)."""
    name = connections["default"].settings_dict["NAME"]
    with session_on("primary", name) as primary:
        canceller = threading.Timer(most, primary.cancel_safe)
        canceller.start()
        started = time.monotonic()
        try:
            primary.execute("INSERT INTO products_product (name, description) VALUES ('Mug', '')")
        finally:
            canceller.cancel()
        return time.monotonic() - started


def test_with_its_one_synchronous_standby_gone_a_commit_waits(replica1_cut_off):
    """Until the client cancels the wait; the row is kept on the primary all the same
    (committed there before the wait: only a WARNING says so), on no standby."""
    failover_script("sync", "replica1")
    replica1_cut_off()
    assert commit_seconds(1.0) >= 1
    assert Product.objects.using("default").filter(name="Mug").exists()


def test_with_first_1_of_two_standbys_one_gone_a_commit_does_not_wait(replica1_cut_off):
    failover_script("sync", "FIRST 1 (replica1, replica2)")
    replica1_cut_off()
    assert commit_seconds(1.0) < 0.5
