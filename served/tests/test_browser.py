"""Every pattern's main pages in headless chromium at 1280x720, served by the pattern's
own runserver on temporary databases: the panel in the first viewport, no JavaScript
error, and an alias that opens to show its SQL."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from common.chromium import VIEWPORT
from served.browser import ALIAS, PANEL, SQL, log_in, visitor
from served.demo import PATTERNS, served

BUILD = Path(__file__).resolve().parent.parent / "_build"
PAGES = ["/", "/products/1/", "/accounts/login/"]
MORE_PAGES = {"sharding": ["/reviews/"]}  # its fan-out page, the latest reviews
LOGGED_IN_PAGES = ["/reviews/new/", "/admin/"]
# Where the panel is when the page opens: the first viewport is all a visitor sees.
PANEL_BOX = f"""() => {{
    const panel = document.querySelector("{PANEL}");
    if (!panel) return null;
    const box = panel.getBoundingClientRect();
    const page = [...document.body.children].filter(e => e !== panel && e.tagName !== "SCRIPT");
    const pageRight = Math.max(0, ...page.map(e => e.getBoundingClientRect().right));
    return {{top: box.top, bottom: box.bottom, height: box.height, left: box.left, pageRight}};
}}"""


@dataclass
class Visit:
    demo: object
    visitor: object
    panels: dict = field(default_factory=dict)  # page: the panel's box, or None


@pytest.fixture(scope="module", params=PATTERNS)
def visit(request, browser):
    """One pattern's demo, its main pages opened in turn, anonymous then as admin."""
    with served(request.param) as demo:
        visit = Visit(demo, visitor(browser))
        for page in PAGES + MORE_PAGES.get(demo.pattern, []):
            see(visit, page)
        log_in(visit.visitor, demo.url)
        for page in LOGGED_IN_PAGES:
            see(visit, page)
        yield visit
        visit.visitor.page.context.close()


def see(visit, page):
    visit.visitor.open(visit.demo.url + page)
    visit.panels[page] = visit.visitor.page.evaluate(PANEL_BOX)


def test_every_main_page_has_the_panel(visit):
    """Every page, the admin's and the login page's too, shows the databases it used."""
    assert [page for page, box in visit.panels.items() if not box] == []


def test_the_panel_is_inside_the_first_viewport(visit):
    """A panel below the page's end is never seen: it must show without scrolling."""
    outside = [
        page
        for page, box in visit.panels.items()
        if not box or box["top"] < 0 or box["bottom"] > VIEWPORT["height"] or not box["height"]
    ]
    assert outside == []


def test_the_panel_covers_none_of_the_page(visit):
    """Beside the page on a wide screen, the admin's and the login page's too: the page's
    own blocks end where the panel begins."""
    covered = [
        page for page, box in visit.panels.items() if box and box["pageRight"] > box["left"] + 1
    ]
    assert covered == []


def test_no_javascript_error_or_failed_request(visit):
    """The panel's script and the pages run clean, and every stylesheet and script loads."""
    assert visit.visitor.errors == []


def test_opening_an_alias_shows_its_sql(visit):
    """The product list reads some database: its chip opens on the statements."""
    visit.visitor.open(visit.demo.url + "/")
    chip = (
        visit.visitor.page.locator(f"{PANEL} {ALIAS}")
        .filter(has=visit.visitor.page.locator(SQL))
        .first
    )
    statements = visit.visitor.expand(chip)
    assert statements
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in statements)
    assert chip.locator(SQL).first.is_visible()


def test_a_screenshot_of_the_product_list_is_written(visit):
    """For a person to look at: served/_build/PATTERN.png, the first viewport."""
    visit.visitor.open(visit.demo.url + "/")
    BUILD.mkdir(exist_ok=True)
    path = BUILD / f"{visit.demo.pattern}.png"
    visit.visitor.page.screenshot(path=path)
    assert png_size(path.read_bytes()) == (VIEWPORT["width"], VIEWPORT["height"])


def png_size(data):
    assert data.startswith(b"\x89PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
