"""The database panel on this pattern's pages: which database ran each statement.
What the panel itself does (chips, diagram, secrets, redirects) is tested once, in
common/tests/; here, only the routing it shows."""

import pytest

from common.testing import panel_alias, panel_counts, panel_request, panel_sql

from .helpers import (
    ALIASES,
    EVERY_DATABASE,
    NOT_TOUCHED,
    create_author,
    create_product,
    create_review,
    shard_of_product,
)

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)
EVERY_PAGE = [
    "/",
    "/products/{product}/",
    "/reviews/",
    "/reviews/{review}/",
    "/reviews/new/",
    "/accounts/login/",
    "/admin/",
    "/admin/reviews/review/",
    "/admin/reviews/review/{review}/change/",
    "/admin/products/product/",
    "/no/such/page/",
]


@pytest.mark.parametrize("url", EVERY_PAGE)
def test_every_page_shows_the_panel_with_every_alias(admin_client, url):
    """Every page, the admin's and the 404 included, has the panel, an entry per alias."""
    review = create_review(create_product(), create_author())
    response = admin_client.get(url.format(product=review.product_id, review=review.pk))
    assert 'id="db-panel"' in response.text
    assert [db["alias"] for db in panel_request(response)["databases"]] == ALIASES


def test_a_review_page_asks_its_shard_and_no_other(client):
    """The map row of its bucket, its product and its author on "default"; the review on
    its shard, and no other shard asked."""
    review = create_review(create_product(), create_author())
    response = client.get(f"/reviews/{review.pk}/")
    assert panel_counts(response) == NOT_TOUCHED | {
        "default": 3,
        "tickets": 0,
        **dict.fromkeys(["shard1", "shard2", "shard3", "shard4"], 0),
        review._state.db: 1,
    }
    assert 'FROM "reviews_review"' in panel_sql(response, review._state.db)
    assert "reviews_review" not in panel_sql(response, "default")


def test_a_shard_with_no_buckets_is_not_touched(client):
    """No bucket is on shard4 yet: the product list has nothing to ask it."""
    response = client.get("/")
    assert panel_alias(response, "shard4")["says"] == "not touched"


def test_a_new_review_is_written_on_the_shard_of_its_product(client):
    """The POST's INSERT, shown on the page it redirects to, ran on its product's shard;
    its id came from a ticket on "tickets"."""
    client.force_login(create_author())
    product = create_product()
    data = {"product_id": product.pk, "text": "Seen in the panel."}
    response = client.post("/reviews/new/", data, follow=True)
    shard = shard_of_product(product.pk)
    assert 'INSERT INTO "reviews_review"' in panel_sql(response, shard, this_page=False)
    others = [s for s in ("shard1", "shard2", "shard3", "shard4") if s != shard]
    assert [panel_alias(response, s, this_page=False)["writes"] for s in others] == [0, 0, 0]
