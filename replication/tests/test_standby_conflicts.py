"""A long read on a hot standby is cancelled when the standby must replay a VACUUM that
removed rows the read may still see ("conflict with recovery", after
max_standby_streaming_delay, 1 s in postgres/up.sh); a page whose read is cancelled is
run again on another database (shop/retry.py), never a 500. PostgreSQL only; uses default
(the primary), replica1 and replica2."""

import pytest
from django.db import OperationalError, connections

from common.faults import read_outside
from products.models import Product

from .helpers import (
    ALIASES,
    ON_POSTGRES,
    create_author,
    create_product,
    create_review,
    make_replica_lag,
    panel_notes,
    replicate,
)

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="a real hot standby: DEMO_DATABASE=postgres"),
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]
# A long read, begun while replica1's replay is paused, that resumes it: the standby
# replays the VACUUM only once the read holds its snapshot. 10 s if nothing cancels it.
LONG_READ = "SELECT pg_wal_replay_resume(), pg_sleep(10)"
CONFLICT = "canceling statement due to conflict with recovery"


@pytest.fixture
def vacuumed(replicas):
    """replica1 paused with a product the primary has since deleted and vacuumed away."""
    product = create_product("Going")
    create_review(create_product(), create_author(), text="Replicated.")
    replicate()
    product.delete()
    with connections["default"].cursor() as primary:
        primary.execute("VACUUM products_product")


def test_the_standby_waits_1_s_for_a_conflicting_read():
    [(delay,)] = read_outside("replica1", "SHOW max_standby_streaming_delay")
    assert delay == "1s"


def test_a_long_read_on_the_standby_is_cancelled_by_the_vacuum_it_conflicts_with(vacuumed):
    with pytest.raises(OperationalError, match=CONFLICT):
        with connections["replica1"].cursor() as standby:
            standby.execute(LONG_READ)


def test_a_page_whose_read_is_cancelled_is_answered_from_another_database(client, vacuumed):
    make_replica_lag("replica2", 45)  # replica1 serves; the second run goes to the primary

    def long_read(execute, sql, params, many, context):
        if "shop_heartbeat" not in sql and not reads:
            reads.append(sql)
            execute(LONG_READ, None, False, context)
        return execute(sql, params, many, context)

    reads = []
    with connections["replica1"].execute_wrapper(long_read):
        response = client.get(f"/products/{Product.objects.get(name='Burr grinder').pk}/")
    assert response.status_code == 200
    assert response.context["product"]._state.db == "default"
    assert any(CONFLICT in note for note in panel_notes(response, "replica1"))
