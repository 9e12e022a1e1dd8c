"""The database panel shows each alias a request touched and the SQL it ran there."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from common.db_panel import DatabasePanelMiddleware, note

from .helpers import (
    ALIASES,
    EVERY_DATABASE,
    create_author,
    create_product,
    create_review,
    panel_counts,
    panel_section,
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
def test_every_alias_appears_in_the_panel_of_every_page(admin_client, url):
    assert set(ALIASES) == {"default", "tickets", "shard1", "shard2", "shard3", "shard4"}
    review = create_review(create_product(), create_author())
    response = admin_client.get(url.format(product=review.product_id, review=review.pk))
    for alias in ALIASES:
        assert f'data-alias="{alias}"' in response.text


def test_panel_shows_with_debug_off(client):
    assert settings.DEBUG is False  # Django's test runner turns DEBUG off
    response = client.get("/")
    assert 'class="db-panel"' in response.text


def test_panel_counts_each_alias_separately(client):
    review = create_review(create_product(), create_author())
    response = client.get(f"/reviews/{review.pk}/")
    # The map row of its bucket, its product and its author on "default"; the review on
    # its shard, and no other shard asked.
    assert panel_counts(response) == {
        "default": 3,
        "tickets": 0,
        **dict.fromkeys(["shard1", "shard2", "shard3", "shard4"], 0),
        review._state.db: 1,
    }


def test_panel_shows_sql_under_the_alias_that_ran_it(client):
    review = create_review(create_product(), create_author())
    response = client.get(f"/reviews/{review.pk}/")
    assert "FROM &quot;reviews_review&quot;" in panel_section(response, review._state.db)
    assert "reviews_review" not in panel_section(response, "default")


def test_panel_says_untouched_aliases_were_not_touched(client):
    response = client.get("/")
    assert panel_counts(response)["shard4"] == 0  # no buckets yet: nothing to ask
    assert "not touched" in panel_section(response, "shard4")


def test_panel_appears_on_admin_pages(admin_client):
    response = admin_client.get("/admin/reviews/review/")
    assert 'class="db-panel"' in response.text
    assert panel_counts(response)["shard1"] >= 1


def test_panel_keeps_content_length_right(client):
    response = client.get("/")
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(response.content)


def test_panel_leaves_non_html_alone(admin_client):
    response = admin_client.get("/admin/jsi18n/")
    assert response["Content-Type"].startswith("text/javascript")
    assert b"db-panel" not in response.content


def test_panel_shows_the_insert_of_a_post_on_the_page_it_redirects_to(client):
    """A POST answers with a redirect; its queries appear on the next page."""
    client.force_login(create_author())
    product = create_product()
    data = {"product_id": product.pk, "text": "Seen in the panel."}
    response = client.post("/reviews/new/", data, follow=True)
    inserted = panel_section(response, shard_of_product(product.pk), this_page=False)
    assert "INSERT INTO &quot;reviews_review&quot;" in inserted
    assert "Seen in the panel." in inserted
    assert "POST /reviews/new/</code> → 302" in response.text


def test_redirected_queries_are_shown_once(client):
    client.force_login(create_author())
    data = {"product_id": create_product().pk, "text": "Once."}
    client.post("/reviews/new/", data, follow=True)
    assert "redirected request" not in client.get("/").text


def test_a_redirect_that_ran_no_sql_is_not_carried_over(client):
    response = client.get("/reviews/new/", follow=True)  # to the login page
    assert "redirected request" not in response.text


def test_plain_pages_set_no_panel_cookie(client):
    assert "db_panel_redirect" not in client.get("/").cookies


def test_a_note_appears_under_its_alias_in_the_panel(rf):
    """Patterns explain their routing with note(alias, text), e.g. why a replica was skipped."""

    def view(request):
        note("shard2", "Chosen for this page.")
        return HttpResponse("<html><body></body></html>")

    response = DatabasePanelMiddleware(view)(rf.get("/"))
    notes = response.text.split('data-alias="shard2"', 1)[1]
    assert '<span class="db-note">Chosen for this page.</span>' in notes
    assert "Chosen for this page." not in response.text.split('data-alias="shard2"', 1)[0]


def test_a_note_outside_a_request_is_ignored():
    note("shard2", "Nobody is listening.")  # a management command, a test: no panel, no error


def test_banners_in_the_context_show_above_the_page(rf):
    html = render_to_string("common/base.html", {"banners": ["Shard two is missing."]}, rf.get("/"))
    assert '<p class="banner" role="status">Shard two is missing.</p>' in html
