import hashlib
import sqlite3
from contextlib import closing, contextmanager

from django.contrib.auth import get_user_model
from django.db import connections

from common.postgres import POOL_TIMEOUT, disconnect
from products.models import Product
from reviews.models import Review
from shop.shadow import shadowed_models
from shop.snapshot import snapshot_file

ALIASES = list(connections)
# DEMO_DATABASE=postgres runs this suite on PostgreSQL (see the settings' last block).
ON_POSTGRES = connections["default"].vendor == "postgresql"


def create_product(name="Burr grinder"):
    return Product.objects.create(name=name, description=f"A {name.lower()}.")


def create_author(username="alice"):
    return get_user_model().objects.create_user(username)  # no password: no hashing


def create_review(product, author, rating=4, text="Does the job."):
    return Review.objects.create(
        product_id=product.pk, author_id=author.pk, rating=rating, text=text
    )


def snapshot_rows(*rows):
    """Put rows into the test snapshot, as production would have them (tests only)."""
    for row in rows:
        type(row)._base_manager.using("snapshot").bulk_create([row])
    return rows


def snapshot_product(pk=1, name="Pour-over kettle"):
    snapshot_rows(Product(pk=pk, name=name, description=f"A {name.lower()}."))
    return Product._base_manager.using("snapshot").get(pk=pk)


def snapshot_review(pk, product_id=1, author_id=1, rating=4, text="From production."):
    row = Review(pk=pk, product_id=product_id, author_id=author_id, rating=rating, text=text)
    snapshot_rows(row)
    return Review._base_manager.using("snapshot").get(pk=pk)


def rows_per_alias(model):
    """How many rows of the model each database physically holds."""
    return {alias: model._base_manager.using(alias).count() for alias in ALIASES}


def snapshot_checksum():
    """The test snapshot as it is now: its file's bytes, or its rows on PostgreSQL."""
    if ON_POSTGRES:
        return rows_checksum(connections["snapshot"].settings_dict["NAME"])
    return hashlib.sha256(snapshot_file().read_bytes()).hexdigest()


def rows_checksum(name):
    """Every row of the shadowed tables of a PostgreSQL snapshot database, as one checksum;
    None if the database is not there. Read in a session of its own, outside Django."""
    import psycopg

    sums = []
    try:
        with postgres_session("snapshot", name) as db:
            for model in shadowed_models():
                table = model._meta.db_table
                if db.execute("SELECT to_regclass(%s)", [table]).fetchone()[0] is None:
                    sums.append(None)
                    continue
                query = f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM \"{table}\" t"
                sums.append(db.execute(query).fetchone()[0])
    except psycopg.OperationalError:
        return None
    return hashlib.sha256(repr(sums).encode()).hexdigest()


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
    if ON_POSTGRES:
        with postgres_session(alias) as db:
            return db.execute(query).fetchall()
    with closing(sqlite3.connect(connections[alias].settings_dict["NAME"])) as db, db:
        return db.execute(query).fetchall()


@contextmanager
def database_missing(alias, tmp_path):
    """Take an alias's test database away, then give it back as it was: the SQLite file
    moves aside (SQLite opens an empty one in its place), the PostgreSQL database is
    renamed (connecting to it fails)."""
    connection = connections[alias]
    disconnect(connection.alias)
    name = connection.settings_dict["NAME"]
    if ON_POSTGRES:
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
    kept = tmp_path / name.name
    name.rename(kept)
    try:
        yield
    finally:
        disconnect(connection.alias)
        for end in ("", "-wal", "-shm"):
            name.with_name(name.name + end).unlink(missing_ok=True)
        kept.rename(name)


def missing_database_error(alias, table):
    """What the error page names when an alias's database is gone and a query needs table:
    a pooled alias's pool tries until its timeout, and names only that."""
    if ON_POSTGRES and connections[alias].settings_dict["OPTIONS"].get("pool"):
        return POOL_TIMEOUT
    if ON_POSTGRES:
        return f'database "{connections[alias].settings_dict["NAME"]}" does not exist'
    return f"no such table: {table}"


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
