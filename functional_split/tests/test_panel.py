"""The database panel on this pattern's pages: which database ran each statement.
What the panel itself does (chips, diagram, secrets, redirects) is tested once, in
common/tests/; here, only the routing it shows."""

import pytest

from common.testing import panel_alias, panel_counts, panel_request, panel_sql

from .helpers import ALIASES, create_author, create_product, create_review

pytestmark = pytest.mark.django_db(databases=["default", "reviews"])
EVERY_PAGE = [
    "/",
    "/products/{product}/",
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


def test_a_review_page_reads_each_alias_apart(client):
    """The review on "reviews"; its product and its author on "default"."""
    review = create_review(create_product(), create_author())
    response = client.get(f"/reviews/{review.pk}/")
    assert panel_counts(response) == {"default": 2, "reviews": 1}
    assert 'FROM "reviews_review"' in panel_sql(response, "reviews")
    assert "reviews_review" not in panel_sql(response, "default")


def test_a_missing_review_leaves_default_not_touched(client):
    """A review that is not there is looked for on "reviews" only."""
    response = client.get("/reviews/999/")
    assert panel_alias(response, "default")["says"] == "not touched"
    assert panel_alias(response, "reviews")["says"] == "1 read"


def test_a_new_review_is_written_on_reviews(client):
    """The POST's INSERT, shown on the page it redirects to, ran on "reviews"."""
    client.force_login(create_author())
    data = {"product_id": create_product().pk, "text": "Seen in the panel."}
    response = client.post("/reviews/new/", data, follow=True)
    inserted = panel_alias(response, "reviews", this_page=False)
    assert inserted["writes"] == 1
    assert 'INSERT INTO "reviews_review"' in panel_sql(response, "reviews", this_page=False)
    assert panel_alias(response, "default", this_page=False)["writes"] == 0
