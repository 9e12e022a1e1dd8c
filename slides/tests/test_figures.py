"""The "What it costs" slide quotes bench/results.rst, which ``make bench`` writes: a run
that changes a figure fails here until the slide says the same."""

import re

import pytest

from print_pdf import SLIDES

RESULTS = SLIDES.parent / "bench" / "results.rst"
SLIDE = SLIDES / "parts" / "production.rst"

# Each row of the slide: the figure it quotes, and how that figure's rows quoted begin.
QUOTES = {
    "Queries per page, 10,000 reviews vs 10": ("1", "queries on"),
    "A lookup through the router": ("2", "lookup by"),
    "Sharding: latest reviews, page 1": ("3", "latest reviews, page 1 vs"),
    "Sharding: 3 to 4 shards, rows moved": ("4", "reshard 3 → 4: share of rows moved"),
    "Shadowing: a page of the overlay": ("7", "page of 20"),
    "PostgreSQL product page, pooled": ("10", "product page on PostgreSQL"),
}


def results():
    """The rows of the results' table, each a {column: text}; its rules give the columns."""
    lines = RESULTS.read_text().splitlines()
    rules = [n for n, line in enumerate(lines) if line.startswith("===")][:3]
    starts = [match.start() for match in re.finditer(r"=+", lines[rules[0]])]

    def cells(line):
        return [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]

    header = cells(lines[rules[0] + 1])
    return [dict(zip(header, cells(line), strict=True)) for line in lines[rules[1] + 1 : rules[2]]]


def slide_rows():
    """{the slide's row: its last cell}, from the list-table of "What it costs"."""
    rows = re.findall(r"\* - (.+)\n\s+- .+\n\s+- (.+)", SLIDE.read_text())
    return dict(rows)


def quoted(figure, begins):
    """What the slide should say: the ratio, or the range of the figure's ratios; for the
    rows moved, the share."""
    rows = [row for row in results() if row["Fig"] == figure]
    rows = [row for row in rows if row["What is measured"].startswith(begins)]
    assert rows, f"bench/results.rst has no figure {figure} row beginning {begins!r}"
    if figure == "4":
        return rows[0]["Measured"].split()[0]
    ratios = sorted({row["Ratio"] for row in rows}, key=lambda ratio: float(ratio[:-1]))
    return ratios[0] if len(ratios) == 1 else f"{ratios[0][:-1]}-{ratios[-1]}"


@pytest.mark.parametrize("row", QUOTES)
def test_the_slide_quotes_the_last_run(row):
    """The figure on the slide is the one in bench/results.rst."""
    assert slide_rows().get(row) == quoted(*QUOTES[row])
