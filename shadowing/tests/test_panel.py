"""The database panel shows each alias a request touched and the SQL it ran there."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from common.db_panel import DatabasePanelMiddleware, note

from .helpers import (
    ALIASES,
    create_author,
    create_product,
    create_review,
    panel_counts,
    panel_section,
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
def test_every_alias_appears_in_the_panel_of_every_page(admin_client, url):
    assert set(ALIASES) == {"default", "snapshot"}
    review = create_review(create_product(), create_author())
    response = admin_client.get(url.format(product=review.product_id, review=review.pk))
    for alias in ALIASES:
        assert f'data-alias="{alias}"' in response.text


def test_panel_shows_with_debug_off(client):
    assert settings.DEBUG is False  # Django's test runner turns DEBUG off
    response = client.get("/")
    assert 'class="db-panel"' in response.text


def test_a_snapshot_row_is_read_from_the_snapshot_after_asking_default_what_it_claims(client):
    """One query on "default" (local keys and tombstones), then the row from "snapshot"."""
    review = snapshot_review(1)
    response = client.get(f"/reviews/{review.pk}/")
    assert "shop_tombstone" in panel_section(response, "default")
    assert "FROM &quot;reviews_review&quot;" in panel_section(response, "snapshot")


def test_panel_says_untouched_aliases_were_not_touched(client):
    response = client.get("/accounts/login/")
    assert panel_counts(response)["snapshot"] == 0
    assert "not touched" in response.text


def test_panel_appears_on_admin_pages(admin_client):
    response = admin_client.get("/admin/reviews/review/")
    assert 'class="db-panel"' in response.text
    assert panel_counts(response)["snapshot"] >= 1


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
    data = {"product_id": create_product().pk, "text": "Seen in the panel."}
    response = client.post("/reviews/new/", data, follow=True)
    inserted = panel_section(response, "default", this_page=False)
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
        note("snapshot", "Taken this morning.")
        return HttpResponse("<html><body></body></html>")

    response = DatabasePanelMiddleware(view)(rf.get("/"))
    notes = response.text.split('data-alias="snapshot"', 1)[1]
    assert '<span class="db-note">Taken this morning.</span>' in notes
    assert "Taken this morning." not in response.text.split('data-alias="snapshot"', 1)[0]


def test_a_note_outside_a_request_is_ignored():
    note("snapshot", "Nobody is listening.")  # a management command, a test: no panel, no error


def test_banners_in_the_context_show_above_the_page(rf):
    html = render_to_string("common/base.html", {"banners": ["Shard two is missing."]}, rf.get("/"))
    assert '<p class="banner" role="status">Shard two is missing.</p>' in html
