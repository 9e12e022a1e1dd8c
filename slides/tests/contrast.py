"""Contrast between a text's colour and what lies behind it, as WCAG 2.x defines it.

Colours come as the browser computes them: "rgb(r, g, b)" or "rgba(r, g, b, a)".
"""

import re

RGB = re.compile(r"rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)")
WHITE = (255.0, 255.0, 255.0)  # the page's canvas, behind every background


def parse(color):
    """(red, green, blue, alpha), each channel 0-255 and alpha 0-1."""
    match = RGB.fullmatch(color)
    if match is None:
        raise ValueError(f"cannot read the colour {color!r}")
    red, green, blue, alpha = match.groups()
    return float(red), float(green), float(blue), 1.0 if alpha is None else float(alpha)


def over(color, alpha, behind):
    """A colour at this opacity painted over an opaque one (alpha compositing)."""
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(color, behind, strict=True))


def background(layers):
    """The opaque colour the layers make, nearest first: each one is painted over those
    further away, down to the first opaque layer, or down to the white canvas."""
    painted, opaque = [], False
    for layer in map(parse, layers):
        if layer[3] > 0:
            painted.append(layer)
        if layer[3] == 1:
            opaque = True
            break
    result = painted.pop()[:3] if opaque else WHITE
    for *rgb, alpha in reversed(painted):
        result = over(rgb, alpha, result)
    return result


def luminance(rgb):
    """Relative luminance: each sRGB channel made linear, then weighted for the eye."""

    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = map(linear, rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ratio(text, behind, opacity=1.0):
    """The contrast ratio (1 to 21) of a text colour over an opaque background;
    a transparent text colour or a faded element is blended into it first."""
    *rgb, alpha = parse(text)
    seen = over(rgb, alpha * opacity, behind)
    lighter, darker = sorted((luminance(seen), luminance(behind)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
