"""A position token is a no-op unless it is this site's, well formed and recent: a forged
or malformed one never errs, and one of another history of the primary (rebuilt since)
sends the reads to the primary, never to a replica that may lack the write."""

import pytest
from django.core import signing
from django.db import connections

from common.faults import standby_script
from common.postgres import disconnect
from shop.positions import Position, as_token, primary_position
from shop.replicas import PRIMARY

from .helpers import ALIASES, ON_POSTGRES, create_product, panel_notes, replicate, sqlite_only

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]
REPLICAS = {"replica1", "replica2"}


@pytest.fixture(autouse=True)
def by_position(settings):
    settings.REPLICATION_READ_YOUR_WRITES = "position"


def page_with(client, product, settings, token, header=False):
    """The product page, read with the token in the cookie (or in the header)."""
    if header:
        return client.get(
            f"/products/{product.pk}/", headers={settings.REPLICATION_POSITION_HEADER: token}
        )
    client.cookies[settings.REPLICATION_POSITION_COOKIE] = token
    return client.get(f"/products/{product.pk}/")


def written():
    """The position of a write just made on the primary, from outside any request."""
    create_product("Scale")
    return primary_position()


FORGED = [
    "",
    "garbage",
    "1:2:3",
    signing.dumps({"at": 1}),
    signing.TimestampSigner(salt="elsewhere").sign("1:2"),
]


@pytest.mark.parametrize("header", [False, True])
@pytest.mark.parametrize("token", FORGED)
def test_a_forged_or_malformed_token_is_a_no_op(client, product, settings, token, header):
    page = page_with(client, product, settings, token, header)
    assert page.status_code == 200
    assert page.context["product"]._state.db in REPLICAS


def test_a_token_whose_position_was_changed_is_a_no_op(client, product, settings):
    token = as_token(written())
    history, at, stamp, signature = token.split(":")
    forged = ":".join([history, str(int(at) + 10**6), stamp, signature])
    assert page_with(client, product, settings, forged).context["product"]._state.db in REPLICAS


def test_a_token_of_another_history_reads_the_primary(client, product, settings):
    """As a token from before the primary was built anew: its count says nothing here."""
    token = as_token(Position("a primary since rebuilt", written().at))
    replicate()
    page = page_with(client, product, settings, token)
    assert page.context["product"]._state.db == "default"
    assert any("another history" in line for alias in REPLICAS for line in panel_notes(page, alias))


@sqlite_only
def test_a_token_from_before_the_primary_was_rebuilt_reads_the_primary(client, product, settings):
    """setup_demo --reset makes a new primary, without the counter's row: the next
    position starts a new history, which the replicas copy."""
    before = written()
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute('DELETE FROM "shop_writecounter"')
    assert primary_position().history != before.history
    replicate()
    page = page_with(client, product, settings, as_token(before))
    assert page.context["product"]._state.db == "default"


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL primary restarts; a file does not")
def test_a_token_from_before_a_primary_restart_still_counts(client, product, settings):
    """A restart keeps the primary's history and its WAL positions grow on: once a replica
    has replayed the write, the replica serves."""
    token = as_token(written())
    disconnect(PRIMARY)
    for command in ("stop", "start"):
        standby_script(command, "primary")
    replicate()
    assert page_with(client, product, settings, token).context["product"]._state.db in REPLICAS


def test_a_token_the_replicas_have_replayed_reads_a_replica(client, product, settings):
    token = as_token(written())
    assert page_with(client, product, settings, token).context["product"]._state.db == "default"
    replicate()
    assert page_with(client, product, settings, token).context["product"]._state.db in REPLICAS
