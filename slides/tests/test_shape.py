"""The talk's shape: its length, its opening and closing, an agenda, figures as text."""

import runpy

import pytest

from print_pdf import SLIDES

from .conftest import where

# A 40-minute slot at about a minute a slide.
SLIDE_COUNT = range(32, 40 + 1)
# conf.py's settings that the title slide and the last slide show.
CONF = runpy.run_path(str(SLIDES / "conf.py"))
# The talk this one follows: its title and where it was given.
ORIGINAL_TALK = ("Multi-database Patterns in Django", "DjangoCon US 2010")


def test_the_talk_has_32_to_40_slides(visit):
    """Counted as reveal counts them (Reveal.getTotalSlides()), the number on screen."""
    titles = [where(slide) for slide in visit.slides]
    assert len(visit.slides) in SLIDE_COUNT, f"{len(titles)} slides, not 32 to 40:\n" + "\n".join(
        titles
    )


def test_an_agenda_slide_comes_within_the_first_five(visit):
    """A slide titled "Agenda" tells the room where the talk is going, before it goes."""
    agenda = [slide["number"] for slide in visit.slides if slide["title"] == "Agenda"]
    opening = [where(slide) for slide in visit.slides[:5]]
    assert agenda and agenda[0] <= 5, "no slide titled 'Agenda' among:\n" + "\n".join(opening)


@pytest.mark.parametrize("which", [0, -1], ids=["title slide", "last slide"])
def test_the_first_and_last_slides_name_the_speaker_the_2010_talk_and_the_repository(visit, which):
    """The speaker and the repository as conf.py sets them (`speaker`, `repository`), and
    the credit to the 2010 talk this one follows (its title and DjangoCon US 2010), on
    screen as the talk starts and ends."""
    unset = [f"{name} = ..." for name in ("speaker", "repository") if not CONF.get(name)]
    assert not unset, f"conf.py sets no {' and no '.join(unset)}"
    slide = visit.slides[which]
    wanted = {
        "the speaker": CONF["speaker"],
        "the original talk's title": ORIGINAL_TALK[0],
        "where it was given": ORIGINAL_TALK[1],
        "the repository": CONF["repository"],
    }
    missing = [f"{name}: {text!r}" for name, text in wanted.items() if text not in slide["text"]]
    assert not missing, f"{where(slide)} does not show " + ", ".join(missing)


def what_it_costs(visit):
    slides = [slide for slide in visit.slides if slide["title"] == "What it costs"]
    assert slides, "no slide is titled 'What it costs'"
    return slides[0]


def test_what_it_costs_shows_its_figures_as_text_not_a_picture(visit):
    """A table, or a chart as an SVG in the slide or in an <object> (as Graphviz's are):
    text the checks measure. A picture's labels shrink with it unseen (the PNG's: 8 px)."""
    slide = what_it_costs(visit)
    pictures = slide["images"]
    assert not pictures, f"{where(slide)} shows pictures (<img>, even of an SVG): {pictures}"
    assert slide["tables"] or slide["diagrams"], f"{where(slide)} has no table and no chart"


def test_what_it_costs_is_in_large_type(visit):
    """Every figure and label of it at 20 px or more, as shown (the issue's bar for a chart)."""
    slide = what_it_costs(visit)
    texts = [text for text in slide["texts"] if text["onSlide"]]
    texts += [text for diagram in slide["diagrams"] for text in diagram["texts"]]
    small = [f"{text['text']!r} at {text['px']:.1f} px" for text in texts if text["px"] < 20]
    assert not small, f"{where(slide)}: " + ", ".join(small)
