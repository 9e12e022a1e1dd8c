"""`make screenshots` still runs: every picture of the READMEs is taken again, into a
temporary folder, from a fresh demo of each pattern."""

import subprocess
import sys

from PIL import Image

from common.chromium import VIEWPORT
from served.demo import ROOT
from served.screenshots import SHOTS


def test_make_screenshots_writes_every_picture_at_1280_by_720(browser, tmp_path):
    """The command as `make screenshots` runs it, from the top folder (the browser
    fixture only skips this where chromium is missing)."""
    command = [sys.executable, "-m", "served.screenshots", "--out", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    names = sorted(name for shots in SHOTS.values() for name, _ in shots)
    assert sorted(path.name for path in tmp_path.iterdir()) == names
    for name in names:
        with Image.open(tmp_path / name) as image:
            assert image.size == (VIEWPORT["width"], VIEWPORT["height"])
            assert image.mode == "P"  # a palette: small enough to commit
