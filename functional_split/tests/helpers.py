import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from common.faults import file_moved_aside
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


def database_garbled(alias, tmp_path):
    """Put bytes that are not a database where an alias's SQLite file is, then put the
    file back as it was."""
    return file_moved_aside(alias, tmp_path, lambda path: path.write_bytes(b"not a database" * 300))
