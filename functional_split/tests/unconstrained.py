"""The middle ground, for the tests only: a review with a real ForeignKey to its item,
across the two databases, without the constraint no database could check.

The shop's own Review keeps a plain ``product_id`` (reviews/models.py). This pair lives
in a registry of its own (isolate_apps), so the shop's models, migrations and router
stay as they are; tests/test_unconstrained_foreign_key.py makes their tables, and drops
them after.
"""

from collections import defaultdict
from contextlib import ExitStack, contextmanager

from django.db import connections, models
from django.test.utils import CaptureQueriesContext, isolate_apps

from shop.routers import ReviewsRouter

with isolate_apps("products", "reviews"):

    class Item(models.Model):
        # Lives on "default", as Product does.
        name = models.CharField(max_length=200)

        class Meta:
            app_label = "products"

    class ItemReview(models.Model):
        # Lives on "reviews". db_constraint=False: no REFERENCES, which a database cannot
        # check against a table of another one. DO_NOTHING: any other on_delete looks
        # for the reviews on the item's database, which has no reviews table.
        item = models.ForeignKey(
            Item, on_delete=models.DO_NOTHING, db_constraint=False, related_name="reviews"
        )
        rating = models.PositiveSmallIntegerField(default=4)

        class Meta:
            app_label = "reviews"


HOMES = {Item: "default", ItemReview: "reviews"}


class ItemReviewsRouter(ReviewsRouter):
    """ReviewsRouter that names the item's home, and lets a review point at an item."""

    def db_for_read(self, model, **hints):
        """An item is on "default", whatever database the review it is reached from."""
        return "default" if model is Item else super().db_for_read(model, **hints)

    def db_for_write(self, model, **hints):
        return "default" if model is Item else super().db_for_write(model, **hints)

    def allow_relation(self, obj1, obj2, **hints):
        """An item and its review, across the databases; the rest as ReviewsRouter says."""
        if {type(obj1), type(obj2)} == {Item, ItemReview}:
            return True
        return super().allow_relation(obj1, obj2, **hints)


@contextmanager
def queries_per_alias():
    """{alias: [SQL, ...]}: what each database was asked inside the block."""
    captured, per_alias = {}, defaultdict(list)
    with ExitStack() as stack:
        for alias in connections:
            captured[alias] = stack.enter_context(CaptureQueriesContext(connections[alias]))
        yield per_alias
    for alias, context in captured.items():
        per_alias[alias] += [query["sql"] for query in context.captured_queries]
