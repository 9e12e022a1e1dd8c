"""The deck is built once per run; the browser checks share one headless chromium.

Without graphviz or chromium these checks skip and say how to enable them, except
under CI (CI=true), where a missing tool fails the run instead.
"""

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from common.chromium import CHROMIUM, launch, require
from print_pdf import DECK, SLIDES, VIEWPORT

HERE = Path(__file__).parent
SLIDE_FACTS = (HERE / "slide_facts.js").read_text()
DIAGRAM_FACTS = (HERE / "diagram_facts.js").read_text()


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


def where(slide):
    """A slide as a failure names it, so that the talk's author finds it at once."""
    return f"slide {slide['number']} ({slide['title']!r})"


@dataclass
class Visit:
    page: object
    slides: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def show(self, slide):
        """Go to a slide (an element handle) with all its fragments shown, as it ends up
        on screen, and wait until reveal shows it and its fragments have faded in."""
        self.page.evaluate(
            "s => Reveal.slide(Reveal.getIndices(s).h, Reveal.getIndices(s).v, 1e9)", slide
        )
        self.page.wait_for_function("s => Reveal.getCurrentSlide() === s", arg=slide)
        self.page.wait_for_function(
            "s => s.getAnimations({subtree: true}).every(a => a.playState !== 'running')",
            arg=slide,
        )

    def diagram(self, url):
        """The texts of the diagram drawn from this SVG, once its <object> has loaded it
        (the one on screen, if another slide shows the same diagram)."""
        for _ in range(100):
            frames = [frame for frame in self.page.frames if frame.url == url]
            frame = next((frame for frame in frames if frame.frame_element().is_visible()), None)
            if frame:
                frame.wait_for_load_state()
                return frame.evaluate(DIAGRAM_FACTS)
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{url} was never loaded")


@pytest.fixture(scope="session")
def visit(browser):
    """Open the deck at its own size (1280x720), show every slide in turn and note its
    facts (numbered from 1, as the deck shows), requests and errors: one walk for all."""
    visit = Visit(page=browser.new_page(viewport=VIEWPORT))
    page, errors = visit.page, visit.errors
    page.route(re.compile(r"^(?!file:)"), lambda route: route.abort())  # stop, and record:
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    page.on("pageerror", lambda error: errors.append(f"JavaScript: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.goto(DECK.as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    scale = page.evaluate("Reveal.getScale()")
    for number in range(page.evaluate("Reveal.getTotalSlides()")):
        slide = page.evaluate_handle(f"Reveal.getSlides()[{number}]")
        visit.show(slide)
        facts = page.evaluate(f"slide => ({SLIDE_FACTS})(slide, {DIAGRAM_FACTS})", slide)
        for diagram in facts["diagrams"]:
            if diagram["url"]:
                texts = visit.diagram(diagram["url"])
                diagram["texts"] = [{**text, "px": text["px"] * scale} for text in texts]
        visit.slides.append({"number": number + 1, **facts})
    yield visit
    page.close()
