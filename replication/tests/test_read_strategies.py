"""How a writer's reads follow its write, under each REPLICATION_READ_YOUR_WRITES: the
naive router reads its own write stale; the pin and the position never do, and the
position lets the writer back on a replica as soon as one has replayed the write."""

import pytest

from reviews.models import Review

from .helpers import ALIASES, create_author, panel_notes, replicate

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]
REPLICAS = {"replica1", "replica2"}


@pytest.fixture
def writer(client):
    client.force_login(create_author("alice"))
    return client


def strategy(settings, name):
    settings.REPLICATION_READ_YOUR_WRITES = name


def write_review(client, product, text="Just written."):
    """Post a review, as the form does; the page the POST redirects to."""
    data = {"product_id": product.pk, "rating": "5", "text": text}
    return client.post("/reviews/new/", data).url


def shown(page):
    return [review.text for review in page.context["page"].object_list]


def test_none_the_writer_reads_its_own_write_stale(writer, product, settings):
    strategy(settings, "none")
    page = writer.get(write_review(writer, product))
    assert page.context["product"]._state.db in REPLICAS
    assert shown(page) == []  # the review is on the primary only


def test_none_gives_the_client_neither_a_pin_nor_a_position(writer, product, settings):
    strategy(settings, "none")
    writer.post("/reviews/new/", {"product_id": product.pk, "rating": "5", "text": "x"})
    assert not {settings.REPLICATION_PIN_COOKIE, settings.REPLICATION_POSITION_COOKIE} & set(
        writer.cookies
    )


@pytest.mark.parametrize("name", ["time", "position"])
def test_time_and_position_the_writer_reads_its_write(writer, product, settings, name):
    strategy(settings, name)
    page = writer.get(write_review(writer, product))
    assert page.context["product"]._state.db == "default"
    assert shown(page) == ["Just written."]


def test_position_the_primary_serves_until_a_replica_has_replayed_the_write(
    writer, product, settings
):
    strategy(settings, "position")
    page = writer.get(write_review(writer, product))
    assert "has not replayed your write yet" in panel_notes(page, "default")[0]


def test_position_a_replica_serves_once_it_has_replayed_the_write(writer, product, settings):
    """The pin would keep this writer on the primary for REPLICATION_PIN_SECONDS."""
    strategy(settings, "position")
    url = write_review(writer, product)
    replicate()
    page = writer.get(url)
    assert page.context["product"]._state.db in REPLICAS
    assert shown(page) == ["Just written."]


def test_time_the_pin_keeps_the_writer_on_the_primary_after_replication(writer, product, settings):
    strategy(settings, "time")
    url = write_review(writer, product)
    replicate()
    assert writer.get(url).context["product"]._state.db == "default"


def test_position_a_client_without_a_token_reads_replicas(client, product, settings):
    strategy(settings, "position")
    assert client.get(f"/products/{product.pk}/").context["product"]._state.db in REPLICAS


def test_position_another_clients_token_is_not_this_clients(writer, client, product, settings):
    """The token is the writer's: another visitor reads a replica, stale, as before."""
    strategy(settings, "position")
    writer.get(write_review(writer, product))
    other = client.__class__()
    page = other.get(f"/products/{product.pk}/")
    assert (page.context["product"]._state.db in REPLICAS, shown(page)) == (True, [])


def test_position_an_api_client_sends_its_token_in_a_header(writer, product, settings):
    strategy(settings, "position")
    data = {"product_id": product.pk, "rating": "5", "text": "By the API."}
    token = writer.post("/reviews/new/", data).headers[settings.REPLICATION_POSITION_HEADER]
    review = Review.objects.using("default").get()
    api = writer.__class__()  # no cookies
    header = {settings.REPLICATION_POSITION_HEADER: token}
    assert api.get(f"/reviews/{review.pk}.json", headers=header).status_code == 200
    assert api.get(f"/reviews/{review.pk}.json").status_code == 404  # a stale replica


def test_the_time_strategy_ignores_a_position(writer, product, settings):
    strategy(settings, "position")
    url = write_review(writer, product)
    strategy(settings, "time")
    assert settings.REPLICATION_PIN_COOKIE not in writer.cookies
    assert writer.get(url).context["product"]._state.db in REPLICAS


def test_the_position_strategy_ignores_a_pin(writer, product, settings):
    url = write_review(writer, product)  # under time: a pin cookie
    strategy(settings, "position")
    assert settings.REPLICATION_POSITION_COOKIE not in writer.cookies
    assert writer.get(url).context["product"]._state.db in REPLICAS
