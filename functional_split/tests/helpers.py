import socket
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from common.postgres import POOL_TIMEOUT, disconnect
from products.models import Product
from reviews.models import Review

ALIASES = list(connections)
# DEMO_DATABASE=postgres runs this suite on PostgreSQL, DEMO_POSTGRES_ALIASES=... the
# aliases it names only (see the settings' last block).
ON_POSTGRES = connections["default"].vendor == "postgresql"
# The tests of the SQLite files run when every alias is one.
sqlite_only = pytest.mark.skipif(
    any(connections[alias].vendor != "sqlite" for alias in ALIASES), reason="SQLite files only"
)


def create_product(name="Burr grinder"):
    return Product.objects.create(name=name, description=f"A {name.lower()}.")


def create_author(username="alice"):
    return get_user_model().objects.create_user(username)  # no password: no hashing


def create_review(product, author, rating=4, text="Does the job."):
    return Review.objects.create(
        product_id=product.pk, author_id=author.pk, rating=rating, text=text
    )


def rows_per_alias(model):
    """How many rows of the model each database physically holds."""
    return {
        alias: model._base_manager.using(alias).count()
        for alias in ALIASES
        if model._meta.db_table in connections[alias].introspection.table_names()
    }


def admin_review_form(**fields):
    """What the admin's add and change pages post for a review: pass product_id, author_id."""
    form = {
        "rating": "3",
        "text": "Changed my mind.",
        "created_0": "2026-05-01",
        "created_1": "10:00:00",
    }
    return form | fields


def read_outside(alias, query):
    """The rows a query finds in an alias's database through a connection of its own,
    outside Django: the SQLite file itself, or a new PostgreSQL session."""
    if connections[alias].vendor == "postgresql":
        with postgres_session(alias) as db:
            return db.execute(query).fetchall()
    with closing(sqlite3.connect(connections[alias].settings_dict["NAME"])) as db, db:
        return db.execute(query).fetchall()


@contextmanager
def database_missing(alias, tmp_path):
    """Take an alias's test database away, then give it back as it was.

    SQLite: a directory takes the file's place, so it cannot be opened, as the site's
    files ("?mode=rw") refuse to be missing; test databases are plain files, where
    SQLite would make a new empty one instead. PostgreSQL: the database is renamed, so
    connecting to it fails.
    """
    connection = connections[alias]
    disconnect(connection.alias)
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":  # per alias: engines may be mixed
        rename = 'ALTER DATABASE "{}" RENAME TO "{}"'
        with postgres_session(alias, "postgres") as db:
            db.execute(rename.format(name, f"{name}_away"))
        try:
            yield
        finally:
            disconnect(connection.alias)
            with postgres_session(alias, "postgres") as db:
                db.execute(rename.format(f"{name}_away", name))
        return
    with file_replaced(name, tmp_path, Path.mkdir):
        yield


@contextmanager
def database_garbled(alias, tmp_path):
    """Put bytes that are not a database where an alias's SQLite file is, then put the
    file back as it was."""
    disconnect(alias)
    name = connections[alias].settings_dict["NAME"]
    with file_replaced(name, tmp_path, lambda path: path.write_bytes(b"not a database" * 300)):
        yield


@contextmanager
def file_replaced(path, tmp_path, make_stand_in):
    """Move a SQLite file aside, let make_stand_in(path) put something in its place,
    then bring the file back."""
    kept = tmp_path / path.name
    path.rename(kept)
    make_stand_in(path)
    try:
        yield
    finally:
        for connection in connections.all():
            disconnect(connection.alias)
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink()
        kept.rename(path)


@contextmanager
def server_unreachable(alias):
    """Point an alias at a port where no PostgreSQL server listens, then back."""
    connection = connections[alias]
    disconnect(connection.alias)
    port = connection.settings_dict["PORT"]
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        connection.settings_dict["PORT"] = str(unused.getsockname()[1])
    try:
        yield
    finally:
        disconnect(connection.alias)
        connection.settings_dict["PORT"] = port


def missing_database_error(alias):
    """What the engine says when an alias's database is gone: neither opens it; on
    PostgreSQL the alias's pool tries until its timeout, and names only that."""
    if connections[alias].vendor == "postgresql":
        return POOL_TIMEOUT
    return "unable to open database file"


def postgres_session(alias, dbname=None):
    """A new autocommit session on an alias's server, as its user; psycopg is installed
    only for DEMO_DATABASE=postgres (requirements-postgres.txt), hence the late import."""
    import psycopg

    settings = connections[alias].settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        dbname=dbname or settings["NAME"],
        autocommit=True,
    )
