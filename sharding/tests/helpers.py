from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections

from products.models import Product
from reviews.models import Review
from shop.models import Bucket
from shop.sharding import bucket_for_product

ALIASES = list(connections)
SHARDS = settings.SHARDS
EVERY_DATABASE = ["default", *SHARDS]


def create_product(name="Burr grinder"):
    return Product.objects.create(name=name, description=f"A {name.lower()}.")


def create_author(username="alice"):
    return get_user_model().objects.create_user(username)  # no password: no hashing


def create_review(product, author, rating=4, text="Does the job.", **fields):
    review = Review(product_id=product.pk, author_id=author.pk, rating=rating, text=text, **fields)
    review.save()
    return review


def shard_of_product(product_id):
    """Where the placement functions and the map say this product's reviews go."""
    return Bucket.objects.get(number=bucket_for_product(product_id)).shard


def holders(review_pk):
    """Every shard that physically holds a row with this id."""
    return [s for s in SHARDS if Review._base_manager.using(s).filter(pk=review_pk).exists()]


def rows_per_shard():
    """{shard: rows}, every row the shard physically holds, whatever the map says."""
    return {shard: Review._base_manager.using(shard).count() for shard in SHARDS}


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


@contextmanager
def file_missing(alias, tmp_path):
    """Take an alias's test database away, a directory in its place: it cannot be opened.

    The site's shards open with "?mode=rw", which refuses a missing file; test databases
    are plain files Django creates, where SQLite would make a new empty one instead.
    """
    connection = connections[alias]
    path = connection.settings_dict["NAME"]
    connection.close()
    kept = tmp_path / path.name
    path.rename(kept)
    path.mkdir()
    try:
        yield
    finally:
        connection.close()
        path.rmdir()
        kept.rename(path)
