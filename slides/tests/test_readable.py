"""Readable from the back of the room: every slide measured at 1280x720, as shown.

Each failure names the slide (its number on screen and its title) and the text at fault.
"""

from .conftest import where
from .contrast import background, over, parse, ratio

CODE_PX = 22  # code, in pixels on a 1280x720 slide
DIAGRAM_PX = 20  # the labels of a diagram or chart
LINE = 72  # characters in a line of code
CONTRAST = 4.5  # WCAG 2.x AA for text


def code_blocks(visit):
    for slide in visit.slides:
        for block in slide["code"]:
            yield slide, block


def test_every_code_block_is_at_least_22_px(visit):
    """Every token of every code block at the size the audience sees: its computed size
    times the scale reveal draws the slide at (Reveal.getScale())."""
    small = [
        f"{where(slide)}: {block['caption'] or block['lines'][0]!r} at {block['px']:.1f} px"
        for slide, block in code_blocks(visit)
        if block["px"] < CODE_PX
    ]
    assert not small, "\n".join(small)


def test_no_code_line_is_over_72_characters(visit):
    """A longer line would need smaller type to fit the slide."""
    long = [
        f"{where(slide)}: {len(line.rstrip())} characters: {line.strip()!r}"
        for slide, block in code_blocks(visit)
        for line in block["lines"]
        if len(line.rstrip()) > LINE
    ]
    assert not long, "\n".join(long)


def test_every_slide_fits_on_its_1280_by_720_page(visit):
    """No element reaches past any edge of the slide: nothing cut off, nothing hidden."""
    outside = [
        f"{where(slide)}: {element['element']} leaves it by {element['by']} px"
        for slide in visit.slides
        for element in slide["outside"]
    ]
    assert not outside, "\n".join(outside)


def rgb(color):
    return f"rgb{tuple(round(channel) for channel in color)}"


def page_text_contrast(text):
    """A text of the page against the backgrounds behind it (none over an image)."""
    if text["image"]:
        return None
    return ratio(text["color"], background(text["layers"]), text["opacity"])


def diagram_text_contrast(text, page_behind):
    """A diagram's text against the shape it sits in, or the slide behind the diagram."""
    behind = page_behind
    if text["under"]:
        behind = over(parse(text["under"]["color"])[:3], text["under"]["opacity"], page_behind)
    return ratio(text["color"], behind, text["opacity"])


def low_contrast(slide):
    """(what, contrast, text) for each text of the slide under 4.5:1 (None: unmeasured)."""
    for text in slide["texts"]:
        contrast = page_text_contrast(text)
        what = f"<{text['tag']}> {text['color']} on {rgb(background(text['layers']))}"
        if contrast is None:
            yield f"<{text['tag']}> over an image ({text['image']}), unmeasured", None, text["text"]
        elif contrast < CONTRAST:
            yield what, contrast, text["text"]
    for diagram in slide["diagrams"]:
        behind = background(diagram["backgrounds"]["layers"])
        for text in diagram["texts"]:
            contrast = diagram_text_contrast(text, behind)
            if contrast < CONTRAST:
                yield f"diagram text {text['color']}", contrast, text["text"]


def test_every_text_has_a_contrast_of_at_least_4_5_to_1(visit):
    """Every text, code tokens, diagram labels and the slide number too, against its own
    background (WCAG 2.x). A kind of text is named once, with the first slide it is on."""
    found = {}
    for slide in visit.slides:
        for what, contrast, text in low_contrast(slide):
            slides, texts = found.setdefault((what, contrast), ({}, {}))
            slides[slide["number"]], texts[text] = where(slide), None
    messages = []
    for (what, contrast), (slides, texts) in found.items():
        first, *others = slides
        messages.append(
            f"{what}{f' at {contrast:.2f}:1' if contrast else ''}: {list(texts)[:4]!r}"
            f" on {slides[first]}{f', and slides {others}' if others else ''}"
        )
    assert not messages, "\n".join(messages)


def test_every_diagram_label_is_at_least_20_px(visit):
    """Diagrams and charts are drawn to fit their box: their labels, as shown, stay large."""
    small = [
        f"{where(slide)}: {text['text']!r} at {text['px']:.1f} px"
        for slide in visit.slides
        for diagram in slide["diagrams"]
        for text in diagram["texts"]
        if text["px"] < DIAGRAM_PX
    ]
    assert not small, "\n".join(small)
