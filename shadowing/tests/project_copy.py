"""A copy of this project, run with `manage.py` as a learner runs it: what shadowing's
tests add to common/project_copy.py."""

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from common.project_copy import copy_of_the_project, manage

HERE = Path(__file__).resolve().parent.parent
EDITS = """
from products.models import Product
from reviews.models import Review
kettle = Product.objects.get(pk=1)
kettle.description = "Now in black."
kettle.save()
Review.objects.get(pk=2).delete()
Review.objects.create(product_id=2, author_id=1, rating=5, text="Added here.")
"""


def this_project(tmp_path_factory):
    """This pattern and the shared shell, copied side by side as in the repository;
    without a masking key, which the copy makes as a fresh checkout does."""
    project = copy_of_the_project(HERE, tmp_path_factory.mktemp("repo"))
    (project / "snapshot-mask.key").unlink(missing_ok=True)
    return project


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
