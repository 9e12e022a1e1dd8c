"""The shadowed shop the figures run on: a production snapshot, and local changes over it."""

import sqlite3

from .data import review_fields


def take_snapshot(folder, reviews, admin, spread=None):
    """A production dump of 5 products and `reviews` reviews, installed as the snapshot.

    The first `spread` reviews (all if None) go to the five products, the rest to all but
    product 2: figure 9's page, whose product keeps its reviews as the shop grows (as
    sharding's figure 9 adds its rows to a product other than the one it shows).

    ``build_dump`` makes the tables as the models define them; the reviews go in with one
    ``executemany``, since ``build_dump`` inserts a row at a time.
    """
    from django.db import connections

    from products.models import Product
    from reviews.models import Review
    from shop.dumps import build_dump
    from shop.originals import rebuild_originals
    from shop.snapshot import install

    dump = folder / "production.sqlite3"
    dump.unlink(missing_ok=True)
    build_dump(dump, [Product(pk=n, name=f"Product {n}") for n in range(1, 6)])
    adapt = connections["default"].ops.adapt_datetimefield_value
    columns = [field.attname for field in Review._meta.concrete_fields]

    def values(pk, review):
        review = review | {"id": pk, "created": adapt(review["created"])}
        return [review[name] for name in columns]

    spread = reviews if spread is None else min(spread, reviews)
    fields = review_fields(spread, [1, 2, 3, 4, 5], admin.pk)
    fields += review_fields(reviews - spread, [1, 3, 4, 5], admin.pk, seed=3)
    rows = (values(pk, review) for pk, review in enumerate(fields, 1))
    with sqlite3.connect(dump) as database:
        marks = ", ".join("?" for _ in columns)
        table = f"{Review._meta.db_table} ({', '.join(columns)})"
        database.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    database.close()
    install(dump)
    rebuild_originals(Review)  # as the take_snapshot command does


def local_changes(count):
    """`count` local changes: two fifths edited, two fifths deleted, one fifth added."""
    from reviews.models import Review

    edit, delete = count * 2 // 5, count * 2 // 5
    Review.objects.filter(pk__in=range(1, edit + 1)).update(text="Changed locally.")
    Review.objects.filter(pk__in=range(edit + 1, edit + delete + 1)).delete()
    added = review_fields(count - edit - delete, [1, 2, 3, 4, 5], 1, seed=2)
    Review.objects.bulk_create([Review(**review) for review in added])
