"""A copy of a pattern's project, run with `manage.py` as a learner runs it: the tests of
each pattern's commands and the served demos work in one, never on the learner's own
``*.sqlite3`` files, which the copy leaves out."""

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing

SKIP = shutil.ignore_patterns("*.sqlite3*", "__pycache__", ".pytest_cache")


def copy_of_the_project(project, root):
    """The project's folder and the shared shell, copied side by side into root as in the
    repository; the copy's path."""
    shutil.copytree(project, root / project.name, ignore=SKIP)
    shutil.copytree(project.parent / "common", root / "common", ignore=SKIP)
    return root / project.name


def manage(project, *args, input=None, **env):
    """manage.py run to its end; input, if given, is what is typed at its prompts."""
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=environment | env,
        capture_output=True,
        input=input,
        text=True,
        timeout=120,
    )


def count(path, table):
    """The rows of a table, read from the SQLite file itself."""
    with closing(sqlite3.connect(path)) as db, db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
