"""What every pattern's benchmark process shares: its own database files, and its report.

A pattern's benchmark runs in a process of its own, from inside the pattern's folder,
so that its ``shop.settings`` is the one Django loads. Before Django starts, every
alias is pointed at a file in a temporary folder; the mode of a ``file:`` URI
(``mode=ro``, ``mode=rw``), the OPTIONS and the routers stay as the pattern wrote them.
"""

import json
import os
import sys
import tempfile
import threading
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from urllib.parse import unquote, urlsplit


def moved(name, folder):
    """The same database NAME, with its file in `folder`: a path, or a file: URI and its query."""
    name = str(name)
    if not name.startswith("file:"):
        return Path(folder) / Path(name).name
    parts = urlsplit(name)
    path = Path(folder) / Path(unquote(parts.path)).name
    return f"{path.as_uri()}?{parts.query}" if parts.query else path.as_uri()


def start_django(folder, extra_aliases=()):
    """Point the pattern's aliases at `folder`, add baseline aliases, then django.setup().

    An extra alias is a plain SQLite file with the pattern's SQLITE_OPTIONS: the "one
    database" a figure compares the pattern with. It is no part of the pattern.
    """
    os.environ.pop("DEMO_DATABASE", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shop.settings"
    settings = import_module("shop.settings")
    for database in settings.DATABASES.values():
        database["NAME"] = moved(database["NAME"], folder)
    for alias in extra_aliases:
        settings.DATABASES[alias] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(folder) / f"{alias}.sqlite3",
            "OPTIONS": settings.SQLITE_OPTIONS,
        }
    import django

    django.setup()


@contextmanager
def temporary_folder():
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        yield Path(folder)


@contextmanager
def in_background(work):
    """work(stop) in a thread for the block: it runs until the event `stop` is set, at the
    block's end, which waits for it to return."""
    stop = threading.Event()
    thread = threading.Thread(target=work, args=(stop,))
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def report(rows):
    """Hand the rows to the runner: one JSON line on stdout, after any progress lines."""
    sys.stdout.write("BENCH-ROWS " + json.dumps(rows) + "\n")
