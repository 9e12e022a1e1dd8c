"""The panel's diagram: a box per alias, drawn from the settings, lit by what was done."""

import pytest
from django.template.loader import render_to_string

from common.db_diagram import NOTE_CHARACTERS, diagram, state_of, words

from .panel_html import Panel

pytestmark = pytest.mark.django_db(databases=["default", "other"])


def alias(name, reads=0, writes=0, notes=(), state=None):
    """An alias as a request summary has it."""
    state = state_of(reads, writes, state)
    return {"alias": name, "reads": reads, "writes": writes, "notes": list(notes), "state": state}


def test_the_boxes_are_labelled_with_the_roles_the_settings_give(client):
    """DEMO_PANEL_ROLES labels each box: the pattern's facts, not a picture."""
    drawn = diagram(client.get("/").db_panel)
    assert [(row["alias"], row["role"]) for row in drawn["rows"]] == [
        ("default", "auth, sessions"),
        ("other", "groups"),
    ]


def test_a_box_is_lit_by_what_the_request_did():
    """Reads, writes, both or nothing: four states, from the statements."""
    states = [state_of(2, 0), state_of(0, 1), state_of(3, 1), state_of(0, 0)]
    assert states == ["read", "write", "read-write", "untouched"]


def test_a_noted_state_wins_over_the_statements():
    """A replica skipped after its heartbeat was read is "skipped", not "read"."""
    assert state_of(1, 0, "skipped") == "skipped"


def test_the_chip_says_reads_and_writes_apart():
    """'2 reads, 1 write', 'not touched', and the noted state, never 'not touched' for it."""
    assert words(2, 1, "read-write") == "2 reads, 1 write"
    assert words(0, 0, "untouched") == "not touched"
    assert words(0, 0, "failed") == "failed"
    assert words(1, 0, "skipped") == "1 read · skipped"


def test_after_a_redirect_the_diagram_shows_the_post_and_the_page_together():
    """The POST's write and the next page's read light one box as read-write."""
    post = {"request": "POST /add/", "databases": [alias("default"), alias("other", writes=1)]}
    page = {"request": "GET /", "databases": [alias("default"), alias("other", reads=1)]}
    drawn = diagram([post, page])
    assert [row["state"] for row in drawn["rows"]] == ["untouched", "read-write"]
    assert drawn["label"].startswith("POST /add/, then GET /: ")


def test_a_long_note_is_cut_beside_the_box_and_whole_in_its_label():
    """Beside the box, what fits; for screen readers and the tooltip, all of it."""
    note = "skipped: its copy is 31.5 s old, over the 30 s the settings allow"
    page = {"request": "GET /", "databases": [alias("other", notes=[note], state="skipped")]}
    drawn = diagram([page])
    [row] = drawn["rows"]
    assert row["short_note"].endswith("…") and len(row["short_note"]) == NOTE_CHARACTERS
    assert note in drawn["label"]


def test_the_svg_has_one_box_per_alias_with_its_state(client):
    """The page's inline SVG: a g.db-box per alias, data-state as the chips say."""
    panel = Panel(client.post("/add/", {"name": "Brewers"}, follow=True).text)
    assert panel.boxes == {"default": "untouched", "other": "read-write"}
    assert panel.svg_label.startswith("POST /add/, then GET /: default (auth, sessions)")


def test_a_note_cut_in_its_box_is_shown_whole_under_the_diagram():
    """Replication's notes ("pinned here after your write", "its copy is 9.6 s old") are
    the pattern's lesson: cut to fit a box, they are written out whole under the picture,
    not only in a tooltip or a closed chip."""
    note = "skipped: its copy is 31.5 s old, over the 30 s the settings allow"
    page = {"request": "GET /", "databases": [alias("other", notes=[note], state="skipped")]}
    context = {"diagram": diagram([page]), "requests": [page]}
    html = render_to_string("common/db_panel.html", context)
    assert Panel(html).under == [f"other: {note}"]
