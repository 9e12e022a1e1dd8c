"""The database panel shows each alias a request touched and the SQL it ran there."""

import pytest
from django.conf import settings

from .helpers import (
    ALIASES,
    create_author,
    create_product,
    create_review,
    panel_counts,
    panel_section,
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
def test_every_alias_appears_in_the_panel_of_every_page(admin_client, review, url):
    assert set(ALIASES) == {"default", "replica1", "replica2"}
    response = admin_client.get(url.format(product=review.product_id, review=review.pk))
    for alias in ALIASES:
        assert f'data-alias="{alias}"' in response.text


def test_panel_shows_with_debug_off(client):
    assert settings.DEBUG is False  # Django's test runner turns DEBUG off
    response = client.get("/")
    assert 'class="db-panel"' in response.text


def test_panel_counts_each_alias_separately(client, review):
    response = client.get(f"/reviews/{review.pk}/")
    served = served_by(response)
    other = ({"replica1", "replica2"} - {served}).pop()
    # Both heartbeats; the review and its product on one replica; the author on the primary.
    assert panel_counts(response) == {served: 3, other: 1, "default": 1}


def test_panel_shows_sql_under_the_alias_that_ran_it(client, review):
    response = client.get(f"/reviews/{review.pk}/")
    assert "FROM &quot;reviews_review&quot;" in panel_section(response, served_by(response))
    assert "reviews_review" not in panel_section(response, "default")


def test_panel_says_untouched_aliases_were_not_touched(client):
    response = client.get("/reviews/999/")
    assert panel_counts(response)["default"] == 0
    assert "not touched" in response.text


def test_panel_appears_on_admin_pages(admin_client, review):
    response = admin_client.get("/admin/reviews/review/")
    assert 'class="db-panel"' in response.text
    assert panel_counts(response)["default"] >= 1


def test_panel_keeps_content_length_right(client):
    response = client.get("/")
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(response.content)


def test_panel_leaves_non_html_alone(admin_client):
    response = admin_client.get("/admin/jsi18n/")
    assert response["Content-Type"].startswith("text/javascript")
    assert b"db-panel" not in response.content


def test_panel_shows_the_insert_of_a_post_on_the_page_it_redirects_to(client, review):
    """A POST answers with a redirect; its queries appear on the next page."""
    client.force_login(create_author("bob"))
    data = {"product_id": review.product_id, "text": "Seen in the panel."}
    response = client.post("/reviews/new/", data, follow=True)
    inserted = panel_section(response, "default", this_page=False)
    assert "INSERT INTO &quot;reviews_review&quot;" in inserted
    assert "Seen in the panel." in inserted
    assert "POST /reviews/new/</code> → 302" in response.text


def test_redirected_queries_are_shown_once(client, review):
    client.force_login(create_author("bob"))
    data = {"product_id": review.product_id, "text": "Once."}
    client.post("/reviews/new/", data, follow=True)
    assert "redirected request" not in client.get("/").text


def test_a_redirect_that_ran_no_sql_is_not_carried_over(client):
    response = client.get("/reviews/new/", follow=True)  # to the login page
    assert "redirected request" not in response.text


def test_plain_pages_set_no_panel_cookie(client):
    assert "db_panel_redirect" not in client.get("/").cookies
