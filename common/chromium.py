"""Debian's chromium, driven by Playwright: the slides' checks and PDF, and the served
demos' browser test and screenshots. Playwright never downloads a browser of its own."""

import os
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# The deck's page (revealjs_script_conf in slides/conf.py) and the demos' screenshots.
VIEWPORT = {"width": 1280, "height": 720}


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM)


def require(tool, found, package):
    """Skip a check whose tool is missing, saying how to install it; under CI (CI=true)
    fail instead, so that a check is never lost without a word."""
    import pytest  # only the test suites call this

    if found:
        return
    if os.environ.get("CI", "").lower() in {"true", "1"}:
        pytest.fail(f"{tool} cannot be skipped under CI: `apt-get install {package}`.")
    pytest.skip(f"{tool} was skipped: enable it with `sudo apt-get install {package}`.")
