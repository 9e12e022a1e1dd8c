"""The database panel on this pattern's pages: which database ran each statement.
What the panel itself does (chips, diagram, secrets, redirects) is tested once, in
common/tests/; here, only the routing it shows."""

import pytest

from common.testing import panel_alias, panel_counts, panel_request, panel_sql

from .helpers import (
    ALIASES,
    create_author,
    create_product,
    create_review,
    make_replica_lag,
    replicate,
)

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@pytest.fixture
def review():
    review = create_review(create_product(), create_author())
    replicate()
    return review


def served_by(response):
    return response.context["review"]._state.db


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
def test_every_page_shows_the_panel_with_every_alias(admin_client, review, url):
    """Every page, the admin's and the 404 included, has the panel, an entry per alias."""
    response = admin_client.get(url.format(product=review.product_id, review=review.pk))
    assert 'id="db-panel"' in response.text
    assert [db["alias"] for db in panel_request(response)["databases"]] == ALIASES


def test_a_review_page_reads_one_replica_and_the_author_on_the_primary(client, review):
    """Both heartbeats; the review and its product on one replica; the author on the
    primary, where auth lives."""
    response = client.get(f"/reviews/{review.pk}/")
    served = served_by(response)
    other = ({"replica1", "replica2"} - {served}).pop()
    assert panel_counts(response) == {served: 3, other: 1, "default": 1}
    assert 'FROM "reviews_review"' in panel_sql(response, served)
    assert "reviews_review" not in panel_sql(response, "default")


def test_a_page_of_the_shop_leaves_the_primary_not_touched(client):
    """A missing review is looked for on a replica: the primary is not asked."""
    response = client.get("/reviews/999/")
    assert panel_alias(response, "default")["says"] == "not touched"


def test_a_new_review_is_written_on_the_primary_only(client, review):
    """The POST's INSERT, shown on the page it redirects to, ran on the primary; the
    replicas are read-only and were not written."""
    client.force_login(create_author("bob"))
    data = {"product_id": review.product_id, "text": "Seen in the panel."}
    response = client.post("/reviews/new/", data, follow=True)
    assert 'INSERT INTO "reviews_review"' in panel_sql(response, "default", this_page=False)
    for replica in ("replica1", "replica2"):
        assert panel_alias(response, replica, this_page=False)["writes"] == 0


def test_a_skipped_replica_is_marked_in_the_diagram(client, review):
    """A replica the router skipped is "skipped" in the panel, with its reason."""
    make_replica_lag("replica2", 60)
    make_replica_lag("replica1", 60)
    response = client.get("/")
    skipped = panel_alias(response, "replica1")
    assert skipped["state"] == "skipped"
    assert skipped["notes"][0].startswith("skipped: ")
