"""A read that fails on a replica mid-request (the replica went down after its health was
read) is run again, once, on another usable replica or the primary: a good page, not a
503. Uses default (the primary), replica1 and replica2."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from common.faults import database_missing, server_stopped
from common.testing import panel_alias
from shop.pinning import ReadYourWritesMiddleware
from shop.replicas import DOWN
from shop.retry import may_run_again

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
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


def down(alias, tmp_path):
    """A replica gone: its standby's server stopped, or its SQLite file unopenable."""
    return server_stopped(alias) if ON_POSTGRES else database_missing(alias, tmp_path)


@pytest.fixture
def page(client, settings, tmp_path):
    """A product page that replica2 served (replica1 lags), whose server then went down
    while its health, read a moment ago, is still kept: the next request reads there."""
    settings.REPLICA_HEALTH_SECONDS = 60
    product = create_product()
    create_review(product, create_author(), text="Replicated.")
    replicate()
    make_replica_lag("replica1", 45)
    url = f"/products/{product.pk}/"
    assert client.get(url).context["product"]._state.db == "replica2"
    with down("replica2", tmp_path):
        yield url


def test_a_read_that_fails_on_a_replica_is_answered_from_another_database(client, page):
    response = client.get(page)
    assert response.status_code == 200
    assert response.context["product"]._state.db == "default"  # replica1 lags: the primary
    assert [review.text for review in response.context["page"].object_list] == ["Replicated."]


def test_the_replica_it_failed_on_is_remembered_as_down(client, page):
    client.get(page)
    assert "replica2" in DOWN.down


def test_the_panel_notes_the_failure_and_the_second_run(client, page):
    notes = panel_notes(client.get(page), "replica2")
    again = notes.index("the read is run again on another replica or the primary")
    assert notes[again - 1].startswith("failed: ")


def test_a_read_is_run_again_once_only(client, page, tmp_path):
    """The second run fails on the primary too: the 503 page names it, no third run."""
    with database_missing("default", tmp_path):
        response = client.get(page)
    assert response.status_code == 503
    assert panel_alias(response, "default")["state"] == "failed"


def test_a_get_that_wrote_nothing_may_run_again():
    assert may_run_again(RequestFactory().get("/"), HttpResponse())


def test_a_post_may_not_run_again():
    assert not may_run_again(RequestFactory().post("/"), HttpResponse())


@pytest.mark.parametrize("strategy", ["none", "time", "position"])
def test_a_get_that_wrote_may_not_run_again(settings, strategy):
    """Running it again would write twice, whatever follows the write (under none, no
    cookie says there was one)."""
    settings.REPLICATION_READ_YOUR_WRITES = strategy

    def view(request):
        create_author()  # on the primary
        return HttpResponse()

    response = ReadYourWritesMiddleware(view)(RequestFactory().get("/"))
    assert not may_run_again(RequestFactory().get("/"), response)
