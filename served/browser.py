"""What the browser test and the screenshots share: the panel's markup, a page that
records every error, and the README's steps as a visitor takes them."""

from contextlib import contextmanager
from dataclasses import dataclass, field

from common.chromium import VIEWPORT

# The database panel's markup (common/templates/common/db_panel.html), in one place: the
# panel, one chip per alias (its data-alias names it), a statement inside an open chip.
PANEL = "#db-panel"
ALIAS = "details.db-alias"
SQL = "pre.db-sql"


@dataclass
class Visitor:
    """One browser context: its own cookies, so its own session and replication pin."""

    page: object
    errors: list = field(default_factory=list)

    def open(self, url):
        response = self.page.goto(url)
        assert response.ok, f"{url} answered {response.status}"

    def console(self, message):
        """An error in the console, but for the browser's own request for /favicon.ico,
        which the shop does not have: no page of it asks for one."""
        where = message.location.get("url", "")
        if message.type == "error" and not where.endswith("/favicon.ico"):
            self.errors.append(f"console: {message.text} ({where})")

    def alias(self, name=None, has_text=None):
        """The panel's first chip of that alias (of any, without a name) whose text has
        `has_text`: the redirected request's chips come before this page's."""
        chips = self.page.locator(f"{PANEL} {ALIAS}" + (f"[data-alias='{name}']" if name else ""))
        return (chips.filter(has_text=has_text) if has_text else chips).first

    def expand(self, chip):
        """Open a chip, bring it into view, and return its statements."""
        if chip.get_attribute("open") is None:
            chip.locator("summary").click()
        chip.scroll_into_view_if_needed()
        return chip.locator(SQL).all_inner_texts()


def visitor(browser):
    """A new visitor at 1280x720, whose JavaScript errors, failed requests and console
    errors are noted in `errors`."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    visitor = Visitor(page)
    page.on("pageerror", lambda error: visitor.errors.append(f"JavaScript: {error}"))
    page.on("requestfailed", lambda request: visitor.errors.append(f"failed: {request.url}"))
    page.on("console", lambda message: visitor.console(message))
    return visitor


def log_in(visitor, url):
    """The README's "Log in as admin / admin"."""
    visitor.open(f"{url}/accounts/login/")
    visitor.page.get_by_label("Username").fill("admin")
    visitor.page.get_by_label("Password").fill("admin")
    with visitor.page.expect_navigation():
        visitor.page.get_by_role("button", name="Log in").click()


def write_review(visitor, url, product, text, rating="5"):
    """From the product list: open the product, write a review of it, save; the visitor
    lands on the product page the form redirects to."""
    visitor.open(url)
    visitor.page.get_by_role("link", name=product, exact=True).first.click()
    visitor.page.get_by_role("link", name=f"Write a review of {product}").click()
    visitor.page.get_by_label("Rating").select_option(rating)
    visitor.page.get_by_label("Text").fill(text)
    with visitor.page.expect_navigation():
        visitor.page.get_by_role("button", name="Save the review").click()


@contextmanager
def admin_who_wrote(browser, url, text, product="Burr grinder"):
    """admin, logged in, just back from writing a review of `product` (README step 3)."""
    admin = visitor(browser)
    try:
        log_in(admin, url)
        write_review(admin, url, product, text)
        yield admin
    finally:
        admin.page.context.close()
