"""The contrast maths the deck's browser check relies on, against known figures."""

import pytest

from .contrast import WHITE, background, parse, ratio

BLACK = (0.0, 0.0, 0.0)


def test_black_on_white_is_21_to_1():
    """The ends of the scale (axe-core's color-contrast check reports 21.00 for them)."""
    assert ratio("rgb(0, 0, 0)", WHITE) == pytest.approx(21)


def test_the_same_colour_twice_is_1_to_1():
    assert ratio("rgb(117, 113, 94)", (117.0, 113.0, 94.0)) == pytest.approx(1)


def test_monokai_comments_are_about_3_to_1():
    """#75715e on #272822: the comments the deck must not keep."""
    assert ratio("rgb(117, 113, 94)", background(["rgb(39, 40, 34)"])) == pytest.approx(
        3.0, abs=0.1
    )


def test_grey_777_on_white_falls_just_short_of_4_5():
    """WebAIM's known figure: #777777 on white is 4.48:1, a failure."""
    assert ratio("rgb(119, 119, 119)", WHITE) == pytest.approx(4.48, abs=0.01)


def test_a_transparent_background_shows_what_is_behind_it():
    """Explicit or implicit transparency takes the parent's colour (as axe-core's check)."""
    assert background(["rgba(0, 0, 0, 0)", "rgb(39, 40, 34)", "rgb(255, 255, 255)"]) == (39, 40, 34)


def test_with_no_background_at_all_the_canvas_is_white():
    assert background(["rgba(0, 0, 0, 0)", "rgba(0, 0, 0, 0)"]) == WHITE


def test_a_half_transparent_background_is_blended_with_what_is_behind_it():
    assert background(["rgba(0, 0, 0, 0.5)", "rgb(255, 255, 255)"]) == (127.5, 127.5, 127.5)


def test_a_transparent_text_colour_loses_contrast():
    """Black at 50% on white is grey (axe-core blends rgba text the same way)."""
    assert ratio("rgba(0, 0, 0, 0.5)", WHITE) == pytest.approx(
        ratio("rgb(128, 128, 128)", WHITE), abs=0.05
    )


def test_a_faded_element_loses_contrast_as_a_transparent_colour_does():
    """Opacity on the element or a parent fades its text (axe-core: "Opacity is handled")."""
    assert ratio("rgb(0, 0, 0)", WHITE, opacity=0.5) == ratio("rgba(0, 0, 0, 0.5)", WHITE)


def test_a_colour_the_check_cannot_read_is_named():
    with pytest.raises(ValueError, match="oklch"):
        parse("oklch(0.5 0.1 20)")
