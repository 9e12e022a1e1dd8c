"""The built deck in headless chromium: offline, no errors, every slide whole and readable."""

import re
from dataclasses import dataclass, field

import pytest

from print_pdf import DECK, SLIDES, VIEWPORT, print_pdf

SCREENSHOT = DECK.parent / "code-slide.png"
# A title and its underline: "=" opens a section of the talk, "-" a slide within it.
TITLE = re.compile(r"^(\S.*)\n([=-])\2+$", re.M)
INCLUDE = re.compile(r"^\.\. include:: (\S+)$", re.M)
# Everything a test below needs to know about one slide, read while it is on screen.
SLIDE_FACTS = """slide => ({
    title: (slide.querySelector("h1, h2, h3") || {textContent: ""}).textContent.trim(),
    shown: slide.classList.contains("present") && slide.getClientRects().length > 0,
    text: slide.innerText.trim(),
    height: slide.offsetHeight,
    overflowsSideways: slide.scrollWidth > slide.clientWidth,
    notes: [...slide.querySelectorAll(":scope > aside.notes")].map(n => n.textContent.trim()),
    code: [...slide.querySelectorAll("pre code")].map(code => ({
        highlighted: code.classList.contains("hljs") && !!code.querySelector("[class^=hljs-]"),
        cut: code.scrollHeight > code.clientHeight || code.scrollWidth > code.clientWidth,
    })),
})"""


@dataclass
class Visit:
    page: object
    slides: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def show(self, slide):
        """Go to a slide (an element handle) and wait until reveal shows it."""
        self.page.evaluate("s => Reveal.slide(...Object.values(Reveal.getIndices(s)))", slide)
        self.page.wait_for_function("s => Reveal.getCurrentSlide() === s", arg=slide)


@pytest.fixture(scope="module")
def visit(browser):
    """Open the deck, show every slide in turn; note its facts, requests and errors."""
    visit = Visit(page=browser.new_page(viewport=VIEWPORT))
    page, errors = visit.page, visit.errors
    page.route(re.compile(r"^(?!file:)"), lambda route: route.abort())  # stop, and record:
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    page.on("pageerror", lambda error: errors.append(f"JavaScript: {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.goto(DECK.as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    for number in range(page.evaluate("Reveal.getTotalSlides()")):
        slide = page.evaluate_handle(f"Reveal.getSlides()[{number}]")
        visit.show(slide)
        visit.slides.append(page.evaluate(SLIDE_FACTS, slide))
    yield visit
    page.close()


def test_the_deck_loads_without_leaving_the_machine(visit):
    assert visit.requests[0] == DECK.as_uri()
    assert [url for url in visit.requests if not url.startswith("file://")] == []


def test_the_deck_runs_with_no_error_in_the_console(visit):
    """No JavaScript error, no failed request, nothing logged as an error."""
    assert visit.errors == []


def test_every_title_in_the_sources_is_a_slide(visit):
    """A title at a level reveal.js does not know would merge two slides into one."""
    index = (SLIDES / "index.rst").read_text()
    sources = [index, *((SLIDES / part).read_text() for part in INCLUDE.findall(index))]
    titles = [title for source in sources for title in TITLE.findall(source)]
    assert [slide["title"] for slide in visit.slides] == [t.replace("``", "") for t, _ in titles]


def test_every_slide_is_shown_with_a_title_and_content(visit):
    empty = [n for n, slide in enumerate(visit.slides) if not (slide["shown"] and slide["title"])]
    assert empty == []
    assert all(len(slide["text"]) > len(slide["title"]) for slide in visit.slides)


def test_every_slide_fits_on_its_720_by_1280_page(visit):
    too_big = [
        slide["title"]
        for slide in visit.slides
        if slide["height"] > VIEWPORT["height"] or slide["overflowsSideways"]
    ]
    assert too_big == []


def test_every_slide_has_speaker_notes(visit):
    assert [slide["title"] for slide in visit.slides if not any(slide["notes"])] == []


def test_code_slides_show_their_code_highlighted(visit):
    code = [(slide["title"], block) for slide in visit.slides for block in slide["code"]]
    assert len(code) > 10
    assert [title for title, block in code if not block["highlighted"]] == []


def test_no_code_is_cut_off_or_scrolls(visit):
    code = [(slide["title"], block) for slide in visit.slides for block in slide["code"]]
    assert [title for title, block in code if block["cut"]] == []


def test_a_screenshot_of_a_code_slide_is_written(visit):
    """For a person to look at: the ReviewsRouter, as the audience sees it."""
    slide = visit.page.locator("section:not(.stack)", has_text="class ReviewsRouter:")
    visit.show(slide.element_handle())
    visit.page.screenshot(path=SCREENSHOT)
    width, height = png_size(SCREENSHOT.read_bytes())
    assert (width, height) == (VIEWPORT["width"], VIEWPORT["height"])


def test_the_pdf_has_one_page_per_slide(browser, visit):
    pdf = print_pdf(browser).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(visit.slides)


def png_size(data):
    assert data.startswith(b"\x89PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
