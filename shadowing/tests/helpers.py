import hashlib
import sqlite3

from django.contrib.auth import get_user_model
from django.db import connections

from products.models import Product
from reviews.models import Review
from shop.snapshot import snapshot_file

ALIASES = list(connections)


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


def sqlite_file(alias, query):
    with sqlite3.connect(connections[alias].settings_dict["NAME"]) as db:
        return db.execute(query).fetchall()


def snapshot_checksum():
    return hashlib.sha256(snapshot_file().read_bytes()).hexdigest()


def panel_part(response, this_page=True):
    """The panel's HTML for this page, or for the request that was redirected here."""
    html = response.content.decode()
    before, _, this = html.partition('class="db-request db-this-page"')
    return this if this_page else before


def panel_section(response, alias, this_page=True):
    """The panel's HTML for one alias."""
    part = panel_part(response, this_page)
    return part.split(f'data-alias="{alias}"', 1)[1].split("</details>")[0]


def panel_counts(response):
    """{alias: statements} as the database panel at the foot of the page reports them."""
    html = panel_part(response)
    return {
        alias: int(html.split(f'data-alias="{alias}" data-count="', 1)[1].split('"', 1)[0])
        for alias in ALIASES
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
