"""Figure 9: what a page costs as the shop grows, from the smallest size to the largest.

A pattern builds each size in turn, fast (the time to build is not measured), then
every page is fetched through the test client, as a visitor would, and timed. A flat
line means the page reads what it shows, not what the shop holds.
"""

import html
import re
import statistics
import time
from urllib.parse import urljoin

from .timing import duration, loop, row, seconds

SIZES = [10_000, 100_000, 1_000_000]
# A default run stops before a size that would take longer than this to build.
BUDGET_SECONDS = 180
DEEP = 50  # the deep page: 50 pages of 20 from the newest, as in figure 3
OLDER = re.compile(r'href="([^"]+)"[^>]*>Older</a>')


def client():
    from django.test import Client

    return Client(SERVER_NAME="localhost")


def fetch(browser, url):
    response = browser.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def deep_page(url, depth=DEEP):
    """The page `depth` pages older than `url`, reached by its "Older" links as a
    visitor reaches it: page numbers and cursors alike (or the oldest page there is)."""
    browser = client()
    for _ in range(depth - 1):
        found = OLDER.search(fetch(browser, url).content.decode())
        if not found:
            break
        url = urljoin(url, html.unescape(found[1]))
    return url


def page_cost(url, repeat, rounds=5):
    """The median seconds of one GET of `url`, timed `rounds` at a time."""
    browser = client()
    fetch(browser, url)  # warm: the first request also loads templates
    timings = [seconds(loop(lambda: fetch(browser, url), rounds)) for _ in range(repeat)]
    return statistics.median(timings) / rounds


def grow(sizes, build, pages, repeat, budget=None):
    """{page: {size: seconds}} and a note, `build(size)` bringing the data to each size.

    With a `budget`, a size whose build would take longer (its rows times the last
    size's seconds per row) is left out, and the note says so.
    """
    costs, built, notes, per_row = {}, 0, [], 0.0
    for size in sizes:
        if budget and per_row * (size - built) > budget:
            minutes = per_row * (size - built) / 60
            notes.append(f"stopped before {size:,}: about {minutes:.0f} min to build")
            break
        start = time.perf_counter()
        build(size)
        took = time.perf_counter() - start
        per_row, built = took / (size - built), size
        for page, url in pages().items():
            costs.setdefault(page, {})[size] = page_cost(url, repeat)
        notes.append(f"{size:,} built in {took:.0f} s")
    return costs, "; ".join(notes)


def scale_rows(pattern, costs, note, limit=1.5):
    """A row per page: its cost at the largest size against the smallest (the note once)."""
    rows = []
    for page, series in costs.items():
        small, large = min(series), max(series)
        ratio = series[large] / series[small]
        texts = [f"{page}: {large:,} vs {small:,} reviews", duration(series[small])]
        texts += [duration(series[large])]
        found = row("9", pattern, *texts, ratio, f"≤ {limit:g}x", limit, ratio <= limit)
        rows.append(found | {"note": "" if rows else note, "series": series})
    return rows
