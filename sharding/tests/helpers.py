from datetime import timedelta
from itertools import count

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from products.models import Product
from reviews.models import Review
from shop.down_shards import DOWN
from shop.models import Bucket
from shop.sharding import bucket_for_product

ALIASES = list(connections)
SHARDS = settings.SHARDS
# The panel's counts of a page that asked no database: every alias, "coordinator" too on
# PostgreSQL.
NOT_TOUCHED = dict.fromkeys(ALIASES, 0)
# With every alias on PostgreSQL, the postgres_fdw coordinator too (the settings' last block).
EVERY_DATABASE = [
    "default",
    "tickets",
    *SHARDS,
    *(["coordinator"] if "coordinator" in ALIASES else []),
]
KETTLE_ON_SHARD1, GRINDER_ON_SHARD2 = 1, 2  # by their buckets, 10 and 39
# DEMO_DATABASE=postgres runs this suite on PostgreSQL, DEMO_POSTGRES_ALIASES=... the
# aliases it names only (see the settings' last block).
ON_POSTGRES = connections["default"].vendor == "postgresql"
NUMBERS = count()  # for the names of products and users, which are unique
# The tests of the SQLite files run when every alias is one.
sqlite_only = pytest.mark.skipif(
    any(connections[alias].vendor != "sqlite" for alias in ALIASES), reason="SQLite files only"
)


def create_product(name="Burr grinder"):
    return Product.objects.create(name=name, description=f"A {name.lower()}.")


def create_author(username="alice"):
    return get_user_model().objects.create_user(username)  # no password: no hashing


def create_review(product, author, rating=4, text="Does the job.", **fields):
    review = Review(product_id=product.pk, author_id=author.pk, rating=rating, text=text, **fields)
    review.save()
    return review


def reviews_on_shard1_and_shard2():
    """One product on shard1 and one on shard2 (ids 1 and 2 land there), a review each."""
    author = create_author()
    kettle = Product.objects.create(pk=KETTLE_ON_SHARD1, name="Pour-over kettle")
    grinder = Product.objects.create(pk=GRINDER_ON_SHARD2, name="Burr grinder")
    return create_review(kettle, author, text="On one."), create_review(
        grinder, author, text="On two."
    )


def shard_of_product(product_id):
    """Where the placement functions and the map say this product's reviews go."""
    return Bucket.objects.get(number=bucket_for_product(product_id)).shard


def product_on(shard, besides=()):
    """(product, bucket): a new product whose reviews the map gives `shard`, in a bucket
    other than those `besides`."""
    while True:
        product = create_product(f"Product {next(NUMBERS)} of {shard}")
        bucket = bucket_for_product(product.pk)
        if shard_of_product(product.pk) == shard and bucket not in besides:
            return product, bucket


def reviews_at(product, seconds):
    """A review of `product` for each of `seconds`, that many seconds before now."""
    now, author = timezone.now(), create_author(f"author {next(NUMBERS)}")
    return Review.objects.bulk_create(
        Review(product_id=product.pk, author_id=author.pk, text="x", created=now - timedelta(s))
        for s in seconds
    )


def holders(review_pk):
    """Every shard that physically holds a row with this id."""
    return [s for s in SHARDS if Review._base_manager.using(s).filter(pk=review_pk).exists()]


def rows_per_shard():
    """{shard: rows}, every row the shard physically holds, whatever the map says."""
    return {shard: Review._base_manager.using(shard).count() for shard in SHARDS}


def admin_review_form(**fields):
    """What the admin's add and change pages post for a review: pass product_id, author_id."""
    form = {
        "rating": "3",
        "text": "Changed my mind.",
        "created_0": "2026-05-01",
        "created_1": "10:00:00",
    }
    return form | fields


def query_plan(alias, sql, params):
    """The plan the alias's database chooses for a statement, its lines as one text."""
    connection = connections[alias]
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}", [connection.ops.adapt_unknown_value(p) for p in params])
        return "\n".join(row[-1] for row in cursor.fetchall())


def retry_time_comes():
    """Let SHARD_RETRY_SECONDS pass for every shard remembered as down."""
    DOWN.down = {alias: (since, 0.0) for alias, (since, _) in DOWN.down.items()}
