"""The deck is built once per run; the browser checks share one headless chromium.

Without graphviz or chromium these checks skip and say how to enable them, except
under CI (CI=true), where a missing tool fails the run instead.
"""

import shutil
import subprocess
import sys

import pytest
from playwright.sync_api import sync_playwright

from common.chromium import CHROMIUM, launch, require
from print_pdf import DECK, SLIDES


def build(source, output):
    """The build of `make slides`: warnings are errors, so a missing quote fails it."""
    command = [sys.executable, "-m", "sphinx", "-E", "-a", "-W", "--keep-going", "-q"]
    command += ["-b", "revealjs", str(source), str(output)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def built():
    """The deck, built into slides/_build/ as `make slides` does."""
    require("The deck's build (its diagrams need dot)", shutil.which("dot"), "graphviz")
    result = build(SLIDES, DECK.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="session")
def browser(built):
    require(f"The browser check ({CHROMIUM})", CHROMIUM.exists(), "chromium")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
