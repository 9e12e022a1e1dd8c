"""Exercise 3: the review form's page reads the primary, so it offers brand-new products."""

import pytest
from tests.helpers import ALIASES, create_author, create_product

from common.testing import panel_alias
from shop.replicas import REPLICAS

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@pytest.fixture
def author_client(client):
    client.force_login(create_author())
    return client


def replica_reads(response):
    """How many reads the panel counts on the replicas for this page."""
    return sum(panel_alias(response, alias)["reads"] for alias in REPLICAS)


def test_the_form_offers_a_product_not_replicated_yet(author_client, product):
    """A product only the primary holds is offered, and selected, on the form's page."""
    newer = create_product("Digital scale")
    response = author_client.get(f"/reviews/new/?product={newer.pk}")
    assert f'<option value="{newer.pk}" selected>' in response.text


def test_the_form_page_reads_the_primary(author_client, product):
    """The panel counts no read on a replica for the form's page."""
    assert replica_reads(author_client.get("/reviews/new/")) == 0


def test_a_product_page_still_reads_a_replica(author_client, product):
    """Only the form reads the primary: the product's page is still served by a replica."""
    response = author_client.get(f"/products/{product.pk}/")
    assert replica_reads(response) > 0
