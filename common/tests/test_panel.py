"""The database panel, tested once for every pattern: its chips, its statements, where it
sits in the page, and what it leaves alone."""

import pytest
from django.contrib.auth.models import Group
from django.db import connections
from django.http import HttpResponse
from django.test import override_settings

from common.db_panel import DatabasePanelMiddleware, note
from common.testing import panel_alias

from .panel_html import Panel

pytestmark = pytest.mark.django_db(databases=["default", "other"])


def test_one_chip_and_one_box_per_alias_in_the_settings_order(client):
    """Every alias has a chip and a box, in the order of DATABASES, touched or not."""
    panel = Panel(client.get("/").text)
    assert [chip["alias"] for chip in panel.chips] == list(connections)
    assert list(panel.boxes) == list(connections)


def test_the_panel_comes_first_in_the_page(client):
    """The panel is the body's first element, so it is in the first screen of every page
    (its stylesheet puts it beside the page on a wide screen, above it on a phone)."""
    html = client.get("/").text
    assert html.index('<aside id="db-panel"') < html.index('<header class="site-header"')


def test_the_panel_is_in_the_admin_pages(admin_client):
    """The admin's pages have the panel too, with what they read on default."""
    response = admin_client.get("/admin/auth/group/")
    assert [chip["alias"] for chip in Panel(response.text).chips] == list(connections)
    assert panel_alias(response, "default")["reads"] >= 1


def test_reads_and_writes_are_counted_apart(client):
    """A POST that writes a group counts one write on other; the page after it, reads."""
    posted = client.post("/add/", {"name": "Baristas"})
    other = panel_alias(posted, "other")
    assert (other["reads"], other["writes"], other["state"]) == (0, 1, "write")
    assert other["says"] == "1 write"
    assert panel_alias(client.get("/"), "other")["says"] == "1 read"


def test_an_alias_the_page_did_not_use_says_not_touched(client):
    """The list reads other only: default's chip says "not touched", its box is unlit."""
    panel = Panel(client.get("/").text)
    assert panel.chips[0]["summary"] == "default · not touched"
    assert panel.boxes["default"] == "untouched"


def test_each_statement_is_under_the_alias_that_ran_it(client):
    """The list's SELECT is shown under other, and nothing under default."""
    chips = {chip["alias"]: chip for chip in Panel(client.get("/").text).chips}
    [sql] = chips["other"]["sql"]
    assert sql.startswith('SELECT "auth_group"."name"')
    assert chips["default"]["sql"] == []


def test_a_redirected_post_shows_on_the_page_it_leads_to(client):
    """The POST's INSERT shows on the next page, in a group labelled with its request."""
    response = client.post("/add/", {"name": "Roasters"}, follow=True)
    redirected, page = response.db_panel
    assert (redirected["request"], redirected["status"]) == ("POST /add/", 302)
    [insert] = panel_alias(response, "other", this_page=False)["statements"]
    assert insert["sql"].startswith('INSERT INTO "auth_group"')
    assert "Before it: POST /add/ → 302" in Panel(response.text).texts
    assert page["request"] == "GET /"


def test_the_header_names_the_request_with_its_query_string(client):
    """A page of a list (?page=2) or a search is told apart from its first page."""
    response = client.get("/", {"page": "2", "q": "café"})
    assert response.db_panel[-1]["request"] == "GET /?page=2&q=caf%C3%A9"


def test_review_text_and_sql_stay_text(client):
    """A <script> in a row stays text in the page and in the panel's SQL (escaped)."""
    script = "<script>alert(1)</script>"
    response = client.post("/add/", {"name": script}, follow=True)
    assert script not in response.text
    panel = Panel(response.text)
    assert script in panel.outside  # the page's list shows it as text
    assert any(script in sql for chip in panel.chips for sql in chip["sql"])


def test_notes_are_shown_under_their_alias_and_beside_its_box(client):
    """A note with a state marks the alias's chip and box, and says why."""
    panel = Panel(client.get("/noted/").text)
    other = panel.chips[1]
    assert other["notes"] == ["skipped: its copy is 31.5 s old"]
    assert (other["state"], panel.boxes["other"]) == ("skipped", "skipped")
    assert panel.chips[0]["notes"] == []
    assert "skipped: its copy is 31.5 s old" in panel.texts  # beside the box


def test_the_failed_alias_is_marked_on_the_503_page(client):
    """The 503 page's panel marks the alias that failed as failed, never "not touched"."""
    response = client.get("/failing/")
    assert response.status_code == 503
    other = panel_alias(response, "other")
    assert other["state"] == "failed"
    assert Panel(response.text).boxes["other"] == "failed"
    assert "not touched" not in other["says"]


@override_settings(DEMO_PANEL=False)
def test_the_panel_is_off_when_demo_panel_is(client):
    """DEMO_PANEL off (DEBUG off's default): no panel, no cookie, nothing recorded."""
    response = client.get("/")
    assert 'id="db-panel"' not in response.text
    assert not hasattr(response, "db_panel")
    assert "db_panel_redirect" not in client.post("/add/", {"name": "Quiet"}).cookies


def test_the_content_length_counts_the_panel(client):
    """CommonMiddleware set Content-Length before the panel went in: it is set again."""
    response = client.get("/")
    assert int(response["Content-Length"]) == len(response.content)


def test_non_html_responses_are_left_alone(admin_client):
    """The admin's JavaScript catalog is not HTML: no panel in it."""
    response = admin_client.get("/admin/jsi18n/")
    assert b"db-panel" not in response.content


def test_a_note_outside_a_request_is_ignored():
    """A command or a test may call note(): with no request to show it, nothing happens."""
    note("other", "Nobody is listening.")


def test_a_plain_page_sets_no_cookie(client):
    """Only a redirect that ran statements leaves a cookie."""
    Group.objects.using("other").create(name="Tasters")
    assert "db_panel_redirect" not in client.get("/").cookies


def test_a_compressed_page_is_left_alone(rf):
    """A page a middleware inside this one compressed is not HTML it can add to (the
    debug toolbar's test_middleware_no_injection_when_encoded)."""

    def gzipped(request):
        response = HttpResponse("<html><body></body></html>")
        response["Content-Encoding"] = "gzip"
        return response

    response = DatabasePanelMiddleware(gzipped)(rf.get("/"))
    assert response.content == b"<html><body></body></html>"


@override_settings(DEFAULT_CHARSET="iso-8859-1")
def test_a_page_in_another_charset_gets_the_panel_in_it(client):
    """The panel is encoded in the page's own charset (the debug toolbar's
    test_non_utf8_charset): a Latin-1 page stays readable, panel and all."""
    Group.objects.using("other").create(name="Cafés")
    response = client.get("/")
    html = response.content.decode("iso-8859-1")
    assert "Cafés" in html and 'id="db-panel"' in html
    assert "other · 1 read" in Panel(html).chips[1]["summary"]
