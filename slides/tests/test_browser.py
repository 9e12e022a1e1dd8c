"""The built deck in headless chromium: offline, no errors, every slide whole and readable."""

import re

from print_pdf import DECK, SLIDES, VIEWPORT, print_pdf

from .conftest import where

SCREENSHOT = DECK.parent / "code-slide.png"
# A title and its underline: "=" opens a section of the talk, "-" a slide within it.
TITLE = re.compile(r"^(\S.*)\n([=-])\2+$", re.M)
INCLUDE = re.compile(r"^\.\. include:: (\S+)$", re.M)


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
    """A slide with no title or nothing under it is a stray heading or an empty section."""
    bare = [
        where(slide)
        for slide in visit.slides
        if not (slide["shown"] and slide["title"] and len(slide["text"]) > len(slide["title"]))
    ]
    assert not bare, "no title, or nothing under it: " + ", ".join(bare)


def test_every_slide_has_speaker_notes(visit):
    """What to say on each slide is written under it (`.. revealjs-notes::`)."""
    silent = [where(slide) for slide in visit.slides if not any(slide["notes"])]
    assert not silent, "no speaker notes: " + ", ".join(silent)


def test_code_slides_show_their_code_highlighted(visit):
    """highlight.js has coloured every code block's tokens."""
    code = [(slide, block) for slide in visit.slides for block in slide["code"]]
    assert len(code) > 10
    plain = [
        f"{where(slide)}: {block['caption']}" for slide, block in code if not block["highlighted"]
    ]
    assert not plain, "not highlighted: " + ", ".join(plain)


def test_no_code_is_cut_off_or_scrolls(visit):
    """Every code block shows all its lines, whole, with no scroll bar."""
    code = [(slide, block) for slide in visit.slides for block in slide["code"]]
    cut = [f"{where(slide)}: {block['caption']}" for slide, block in code if block["cut"]]
    assert not cut, "cut off or scrolls: " + ", ".join(cut)


def test_a_screenshot_of_a_code_slide_is_written(visit):
    """For a person to look at: the ReviewsRouter, as the audience sees it."""
    slide = visit.page.locator("section:not(.stack)", has_text="class ReviewsRouter:")
    visit.show(slide.element_handle())
    visit.page.screenshot(path=SCREENSHOT)
    width, height = png_size(SCREENSHOT.read_bytes())
    assert (width, height) == (VIEWPORT["width"], VIEWPORT["height"])


def test_the_pdf_has_one_page_per_slide(browser, visit):
    """A slide with fragments too: one page shows them all (reveal would print one each)."""
    pdf = print_pdf(browser).read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages == len(visit.slides), f"{pages} pages for {len(visit.slides)} slides"


def png_size(data):
    assert data.startswith(b"\x89PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
