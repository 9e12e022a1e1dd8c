"""make screenshots: each pattern's demo, served on temporary databases and driven in
headless chromium through its README's key step, pictured at 1280x720 into
docs/screenshots/ (or --out), each PNG reduced to a palette to keep it small, with the
SQL its panel shows beside it (NAME.sql): served/tests/test_screenshots.py compares it
with a fresh run's, so a picture older than the code fails.

    python -m served.screenshots [--out FOLDER] [--only PATTERN ...]
"""

import argparse
import io
import re
from pathlib import Path

import django
from PIL import Image
from playwright.sync_api import sync_playwright

from common.chromium import CHROMIUM, launch

from .browser import ALIAS, PANEL, SQL, log_in, visitor, write_review
from .demo import PATTERNS, ROOT, served

OUT = ROOT / "docs" / "screenshots"


def after_a_write(browser, demo):
    """functional_split, step 3: the POST's INSERT on reviews, in the page it led to."""
    admin = visitor(browser)
    log_in(admin, demo.url)
    write_review(admin, demo.url, "Burr grinder", "Even grounds, quiet motor.")
    admin.expand(admin.alias("reviews", has_text="INSERT"))
    return admin


def pinned_after_a_write(browser, demo):
    """replication, step 3: after the write, this browser reads the primary."""
    admin = visitor(browser)
    log_in(admin, demo.url)
    write_review(admin, demo.url, "Burr grinder", "Even grounds, quiet motor.")
    admin.expand(admin.alias("default", has_text="pinned"))
    return admin


def stale_read(browser, demo):
    """replication, step 4: another visitor, served by a replica without the new review."""
    demo.manage("replicate")  # fresh copies, so that a replica serves, one write behind
    admin = visitor(browser)
    log_in(admin, demo.url)
    write_review(admin, demo.url, "Burr grinder", "Written a moment ago.")
    other = visitor(browser)
    other.open(demo.url)
    other.page.get_by_role("link", name="Burr grinder", exact=True).first.click()
    other.expand(other.alias(has_text="serves the reads"))
    return other


def missing_shard(browser, demo):
    """sharding, step 9: a fan-out page while shard3's file is gone."""
    (demo.folder / "shard3.sqlite3").rename(demo.folder.parent / "shard3.sqlite3")
    reader = visitor(browser)
    reader.open(f"{demo.url}/")
    reader.expand(reader.alias("shard3"))
    return reader


def overlay(browser, demo):
    """shadowing, step 5: a local review beside the snapshot's, on one page."""
    admin = visitor(browser)
    log_in(admin, demo.url)
    write_review(admin, demo.url, "Burr grinder", "Quiet and even.")
    admin.expand(admin.alias("default", has_text="INSERT"))
    return admin


SHOTS = {
    "functional_split": [("functional_split-after-a-write.png", after_a_write)],
    "replication": [
        ("replication-pinned-after-a-write.png", pinned_after_a_write),
        ("replication-stale-read.png", stale_read),
    ],
    "sharding": [("sharding-missing-shard.png", missing_shard)],
    "shadowing": [("shadowing-overlay.png", overlay)],
}


def save(page, path):
    """The viewport as a PNG of at most 256 colours: a page of text loses nothing."""
    image = Image.open(io.BytesIO(page.screenshot()))
    image.convert("RGB").quantize(colors=256).save(path, optimize=True)


# What changes from one run to the next in the statements shown: times, savepoint names,
# each statement's duration.
VOLATILE = [
    (re.compile(r"'\d{4}-\d\d-\d\d[ T][\d:.+-]*'"), "'<time>'"),
    (re.compile(r'"s\d+_x\d+"'), '"<savepoint>"'),
    (re.compile(r" [\d.]+ ms$", re.MULTILINE), ""),
]


def shown_sql(page):
    """The statements of the panel's open chips, one a line, what changes masked, under a
    line naming the Django release that wrote them: another release may word them apart."""
    text = "\n".join(page.locator(f"{PANEL} {ALIAS}[open] {SQL}").all_inner_texts())
    for pattern, mask in VOLATILE:
        text = pattern.sub(mask, text)
    return f"-- as Django {'.'.join(map(str, django.VERSION[:2]))} sends them\n{text}\n"


def take(browser, pattern, out):
    """Every picture of one pattern, each step on the same demo, in README order."""
    written = []
    with served(pattern) as demo:
        for name, step in SHOTS[pattern]:
            shown = step(browser, demo)
            save(shown.page, out / name)
            (out / name).with_suffix(".sql").write_text(shown_sql(shown.page))
            shown.page.context.close()
            written.append(out / name)
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    parser.add_argument("--only", nargs="+", choices=PATTERNS, default=PATTERNS)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        parser.exit(1, f"{CHROMIUM} is missing: install it with sudo apt-get install chromium\n")
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for pattern in args.only:
                for path in take(browser, pattern, args.out):
                    print(f"{pattern}: {path} ({path.stat().st_size // 1024} KB)")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
