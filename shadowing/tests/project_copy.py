"""A copy of this project, run with `manage.py` as a learner runs it."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns("*.sqlite3*", "__pycache__", ".pytest_cache")
EDITS = """
from products.models import Product
from reviews.models import Review
kettle = Product.objects.get(pk=1)
kettle.description = "Now in black."
kettle.save()
Review.objects.get(pk=2).delete()
Review.objects.create(product_id=2, author_id=1, rating=5, text="Added here.")
"""


def copy_of_the_project(tmp_path_factory):
    """This pattern and the shared shell, copied side by side as in the repository."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(HERE, root / HERE.name, ignore=SKIP)
    shutil.copytree(HERE.parent / "common", root / "common", ignore=SKIP)
    return root / HERE.name


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
    with closing(sqlite3.connect(path)) as db, db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump_of(project, fixture):
    """A newer production dump, made as the README's step makes it."""
    path = project / f"{fixture}.sqlite3"
    path.unlink(missing_ok=True)
    manage(project, "build_dump", f"shop/fixtures/{fixture}.snapshot.json", path.name)
    return path


def older_shop(path):
    """A dump whose products table lacks a column the model reads (description)."""
    with closing(sqlite3.connect(path)) as dump, dump:
        dump.execute("CREATE TABLE products_product (id integer PRIMARY KEY, name text)")
        dump.execute("CREATE TABLE reviews_review (id integer PRIMARY KEY)")


def start(project, *args):
    """`manage.py` started and left running, for a test that stops or kills it."""
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"}
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
