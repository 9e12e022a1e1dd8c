import hashlib
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import connections

from common.faults import database_missing, file_moved_aside, postgres_session
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


@contextmanager
def snapshot_missing(tmp_path):
    """Take the test snapshot away, then give it back as it was.

    SQLite: the file moves aside with nothing in its place, as before the first
    take_snapshot. The site checks for the file before it opens it (shop/reading.py): the
    test snapshot is a plain writable file, which SQLite would create empty, where a
    directory in its place (database_missing) would pass that check. PostgreSQL: the
    database is renamed, as database_missing does for every alias.
    """
    if ON_POSTGRES:
        with database_missing("snapshot", tmp_path):
            yield
        return
    with file_moved_aside("snapshot", tmp_path):
        yield


def admin_review_form(**fields):
    """What the admin's add and change pages post for a review: pass product_id, author_id."""
    form = {
        "rating": "3",
        "text": "Changed my mind.",
        "created_0": "2026-05-01",
        "created_1": "10:00:00",
    }
    return form | fields
