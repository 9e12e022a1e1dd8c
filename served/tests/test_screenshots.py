"""`make screenshots` still runs: every picture of the READMEs is taken again, into a
temporary folder, from a fresh demo of each pattern; and a committed picture still shows
what the page shows now (the SQL beside it)."""

import subprocess
import sys

import pytest
from PIL import Image

from common.chromium import VIEWPORT
from served.demo import ROOT
from served.screenshots import OUT, SHOTS

NAMES = sorted(name for shots in SHOTS.values() for name, _ in shots)


@pytest.fixture(scope="module")
def taken(browser, tmp_path_factory):
    """The command as `make screenshots` runs it, from the top folder, into a temporary
    folder (the browser fixture only skips this where chromium is missing)."""
    out = tmp_path_factory.mktemp("screenshots")
    command = [sys.executable, "-m", "served.screenshots", "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


def test_make_screenshots_writes_every_picture_at_1280_by_720(taken):
    assert sorted(path.name for path in taken.glob("*.png")) == NAMES
    for name in NAMES:
        with Image.open(taken / name) as image:
            assert image.size == (VIEWPORT["width"], VIEWPORT["height"])
            assert image.mode == "P"  # a palette: small enough to commit


def test_a_committed_picture_shows_the_sql_the_code_sends_now(taken):
    """The SQL stored beside a picture (NAME.sql) is what a fresh run's panel shows:
    else the picture is older than the code (make screenshots, then commit both)."""
    committed = {path.name: path.read_text() for path in OUT.glob("*.sql")}
    fresh = {name: (taken / name).read_text() for name in committed}
    made_by, runs = releases(committed), releases(fresh)
    if made_by != runs:  # Django 6 words a check constraint's SQL apart from 5.2, for one
        pytest.skip(f"the pictures' SQL is {made_by}, this run's {runs}")
    assert [name for name, text in committed.items() if text != fresh[name]] == []


def releases(files):
    """The Django releases that wrote these files' SQL: their first lines."""
    return {text.split("\n", 1)[0] for text in files.values()}
