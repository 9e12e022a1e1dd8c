"""`make demo` as a learner runs it and stops it: in a copy of a pattern (its own
*.sqlite3 files, left out of the copy, are never touched), on SQLite, then Ctrl-C, which a
terminal sends as SIGINT to every process of the foreground job."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from common.faults import closed_port
from common.postgres import ROOT
from common.project_copy import copy_of_the_project

# The environment running this suite (.venv, or .venv-3.13 for `make test VENV=...`).
VENV = Path(sys.prefix)
# The pattern's own settings and debugging, not this suite's.
ENVIRONMENT = {
    key: value
    for key, value in os.environ.items()
    if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG"}
}


def interrupted_demo(pattern, root):
    """Start `make demo PATTERN=pattern PORT=<free>` in a copy, wait until its server
    answers, press Ctrl-C; {pattern, port, printed}."""
    copy_of_the_project(ROOT / pattern, root)
    shutil.copy(ROOT / "Makefile", root)
    port = closed_port()
    command = ["make", "demo", f"PATTERN={pattern}", f"PORT={port}", f"VENV={VENV}"]
    demo = subprocess.Popen(
        [*command, "-o", f"{VENV}/.installed"],  # never reinstall the shared environment
        cwd=root,
        env=ENVIRONMENT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job
        # A terminal's job has SIGINT's default action; a background job inherits it ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        answered(f"http://127.0.0.1:{port}/", demo)
        os.killpg(demo.pid, signal.SIGINT)
        printed, _ = demo.communicate(timeout=30)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGTERM)
            demo.communicate(timeout=30)
    return {"pattern": pattern, "port": port, "printed": printed}


def answered(url, demo, within=60):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        assert demo.poll() is None, demo.communicate()[0]
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {within} s")


# functional_split: the server alone; replication: the server and its follower.
@pytest.fixture(scope="module", params=["functional_split", "replication"])
def demo(request, tmp_path_factory):
    return interrupted_demo(request.param, tmp_path_factory.mktemp(request.param))


def test_ctrl_c_ends_the_demo_without_an_error_line(demo):
    """Ctrl-C is how a learner stops the demo: the recipe ends with status 0, so make
    prints no "make: *** [demo] Interrupt" or "Error 130" line after the server's last."""
    assert "make: ***" not in demo["printed"]


def test_the_demo_says_the_address_of_its_own_port(demo):
    assert f"make demo: http://127.0.0.1:{demo['port']}/" in demo["printed"]


def test_the_demo_names_its_companion_by_process_id(demo):
    """replication's follower runs beside the server: the demo prints its process id, so
    a learner stops it alone with `kill PID` (a `pkill -f` stops every clone's)."""
    followers = re.findall(r"replicate --follow is process (\d+)", demo["printed"])
    assert len(followers) == (1 if demo["pattern"] == "replication" else 0)
