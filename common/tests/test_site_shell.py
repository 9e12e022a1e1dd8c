"""What every page of the site carries besides its content: the icon, the stylesheet and
the header, on the 503 page too. The test site's "default" and "other" databases."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db(databases=["default", "other"])


class Links(HTMLParser):
    """The page's <link> elements, as {rel: href}."""

    def __init__(self, html):
        super().__init__()
        self.links = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "link":
            attrs = dict(attrs)
            self.links[attrs["rel"]] = attrs["href"]


def test_a_page_brings_its_icon_so_the_browser_asks_for_no_favicon_ico(client):
    """A browser asks for /favicon.ico, a 404 on every page, unless the page names an
    icon: a data: URI is drawn with no request at all."""
    icon = Links(client.get("/").text).links["icon"]
    assert icon.startswith("data:image/svg+xml,<svg ")


def test_the_admins_pages_bring_the_icon_too(client):
    """The admin's templates are its own, not the site's: common/templates/admin/ adds it."""
    icon = Links(client.get("/admin/login/").text).links["icon"]
    assert icon.startswith("data:image/svg+xml,<svg ")


def test_the_503_page_is_a_page_of_the_site(client):
    """The 503 page has the site's header, stylesheet and icon (the base template), but
    nothing of the base template that reads a database: it may be the one that failed."""
    response = client.get("/failing/")
    assert response.status_code == 503
    assert "common/base.html" in [template.name for template in response.templates]
    assert set(Links(response.text).links) == {"stylesheet", "icon"}
