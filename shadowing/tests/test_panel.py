"""The database panel on this pattern's pages: which database ran each statement.
What the panel itself does (chips, diagram, secrets, redirects) is tested once, in
common/tests/; here, only the routing it shows."""

import pytest
from django.template.loader import render_to_string

from common.testing import panel_alias, panel_request, panel_sql

from .helpers import (
    ALIASES,
    create_author,
    create_product,
    create_review,
    snapshot_review,
)

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])
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


def test_a_snapshot_row_is_read_from_the_snapshot_after_asking_default_what_it_claims(client):
    """One query on "default" (local keys and tombstones), then the row from "snapshot"."""
    review = snapshot_review(1)
    response = client.get(f"/reviews/{review.pk}/")
    assert "shop_tombstone" in panel_sql(response, "default")
    assert 'FROM "reviews_review"' in panel_sql(response, "snapshot")


def test_the_login_page_leaves_the_snapshot_not_touched(client):
    """Auth and sessions live on "default" only: the login page never asks the snapshot."""
    response = client.get("/accounts/login/")
    assert panel_alias(response, "snapshot")["says"] == "not touched"


def test_a_new_review_is_written_on_default_never_on_the_snapshot(client):
    """The POST's INSERT, shown on the page it redirects to, ran on "default"; the
    snapshot, read-only, was not written."""
    client.force_login(create_author())
    data = {"product_id": create_product().pk, "text": "Seen in the panel."}
    response = client.post("/reviews/new/", data, follow=True)
    assert 'INSERT INTO "reviews_review"' in panel_sql(response, "default", this_page=False)
    assert panel_alias(response, "snapshot", this_page=False)["writes"] == 0


def test_banners_in_the_context_show_above_the_page(rf):
    html = render_to_string("common/base.html", {"banners": ["Shard two is missing."]}, rf.get("/"))
    assert '<p class="banner" role="status">Shard two is missing.</p>' in html
