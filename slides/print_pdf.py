"""Print the built deck to a PDF with Debian's chromium: one page per slide.

``make slides-pdf`` runs it after ``make slides`` (``python -m slides.print_pdf``, from the
top folder, where common/ is); the deck's tests use it too.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from common.chromium import CHROMIUM, VIEWPORT, launch

SLIDES = Path(__file__).resolve().parent
DECK = SLIDES / "_build" / "index.html"
PDF = SLIDES / "_build" / "slides.pdf"
# Reveal lays out one .pdf-page per slide once it is ready; print only then. Reveal reads
# settings from the address too: a slide's fragments all on its one page, not a page each.
PRINT_VIEW = "?print-pdf&pdfSeparateFragments=false"
PRINT_LAYOUT_DONE = (
    "() => window.Reveal && Reveal.isReady()"
    " && document.querySelectorAll('.pdf-page').length === Reveal.getTotalSlides()"
)


def print_pdf(browser, pdf=PDF):
    """Open the deck in reveal's print layout and print it, at reveal's own page size."""
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(DECK.as_uri() + PRINT_VIEW)
        page.wait_for_function(PRINT_LAYOUT_DONE)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.pdf(path=pdf, print_background=True, prefer_css_page_size=True)
    finally:
        page.close()
    return pdf


def main():
    if not DECK.exists():
        sys.exit(f"{DECK} does not exist yet: run make slides first.")
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: install it with sudo apt-get install chromium")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            pdf = print_pdf(browser)
        finally:
            browser.close()
    print(f"The slides as a PDF: {pdf}")


if __name__ == "__main__":
    main()
