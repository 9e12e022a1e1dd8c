"""A pattern's demo, served for real: a copy of its folder (and common/) in a temporary
folder, prepared with ``setup_demo``, then its server on a free port of 127.0.0.1.

The learner's own ``*.sqlite3`` files are never read or touched: the copy leaves them
out, and ``setup_demo`` makes fresh ones beside the copy. Every process started here is
stopped on the way out, however the block ends.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

from common.project_copy import copy_of_the_project

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = ["functional_split", "replication", "sharding", "shadowing"]
KEY = "served-demo-only-key-for-temporary-databases"
# gunicorn's access log, among the server's lines: the worker's pid, request, status.
GUNICORN_LOG = ["--access-logfile", "-", "--access-logformat", "%(p)s %(r)s %(s)s"]


@dataclass
class Demo:
    pattern: str
    folder: Path  # the copy: its manage.py, its database files
    url: str  # http://127.0.0.1:PORT
    env: dict
    log: Path  # what the server wrote: its requests, its errors

    def manage(self, *args):
        """A command in the copy, beside the running server, as a second terminal runs it."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout


def environment(debug):
    """SQLite files in the copy, whatever the caller's shell says."""
    env = {key: value for key, value in os.environ.items() if key != "DEMO_DATABASE"}
    return env | {"DJANGO_DEBUG": "on" if debug else "off", "DJANGO_SECRET_KEY": KEY}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_command(port, workers):
    """runserver as `make demo` starts it, uvicorn (an ASGI server) for workers="asgi",
    or gunicorn with `workers` processes."""
    if not workers:
        return ["manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    if workers == "asgi":
        return ["-m", "uvicorn", "shop.asgi:application", "--host", "127.0.0.1", f"--port={port}"]
    command = ["-m", "gunicorn", "shop.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    return [*command, *GUNICORN_LOG, "--no-control-socket"]  # nothing under ~/.gunicorn/


def wait_until_served(url, server, log, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server at {url} exited: {log.read_text()}")
        try:
            with urlopen(url, timeout=5):
                return
        except HTTPError as answer:  # it answers: the tests say what is wrong with it
            answer.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered at {url} within {seconds} s")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def serving(folder, env, workers, log):
    """The shop in `folder` served on a free port (server_command says which server), its
    output in `log`: yields its URL once it answers, and stops it on the way out."""
    port = free_port()
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, *server_command(port, workers)],
            cwd=folder,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_served(url, server, log)
        yield url
    finally:
        stop(server)


@contextmanager
def served(pattern, workers=0, debug=True):
    """The pattern's demo on fresh databases, its server answering at Demo.url."""
    with tempfile.TemporaryDirectory(prefix=f"served-{pattern}-") as root:
        folder = copy_of_the_project(ROOT / pattern, Path(root))
        env = environment(debug)
        setup = [sys.executable, "manage.py", "setup_demo", "--admin"]
        subprocess.run(setup, cwd=folder, env=env, capture_output=True, check=True, timeout=300)
        log = Path(root) / "server.log"
        with serving(folder, env, workers, log) as url:
            yield Demo(pattern, folder, url, env, log)


def review_ids(path, text):
    """The ids of the reviews with this text, read from a SQLite file itself."""
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        query = "SELECT id FROM reviews_review WHERE text = ? ORDER BY id"
        return [pk for (pk,) in db.execute(query, [text])]
