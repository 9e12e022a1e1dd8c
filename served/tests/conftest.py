"""One headless chromium for the run. Without chromium these checks skip and say how
to install it, except under CI (CI=true), where they fail instead."""

import pytest
from playwright.sync_api import sync_playwright

from common.chromium import CHROMIUM, launch, require


@pytest.fixture(scope="session")
def browser():
    require(f"The served demos' browser check ({CHROMIUM})", CHROMIUM.exists(), "chromium")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
