"""A ForeignKey across the databases with db_constraint=False: what works, what is lost.

What works goes through the router, one query on each database: ``review.item`` and
``prefetch_related("item")``. What needs both tables in one database fails: a join, as
``select_related()`` and a filter through the relation make. And the cascade of
``on_delete`` is lost. The pair and its router: tests/unconstrained.py.
"""

import pytest
from django.db import DatabaseError, connections, models
from django.test.utils import isolate_apps

from .unconstrained import HOMES, Item, ItemReview, ItemReviewsRouter, queries_per_alias

pytestmark = [
    pytest.mark.django_db(databases=["default", "reviews"]),
    pytest.mark.usefixtures("item_tables"),
]


@pytest.fixture(scope="module")
def item_tables(django_db_setup, django_db_blocker):
    """Item's table on "default", ItemReview's on "reviews", for this module's tests.

    Made outside the tests' transactions: SQLite changes no schema inside one."""
    with django_db_blocker.unblock():
        for model, alias in HOMES.items():
            with connections[alias].schema_editor() as editor:
                editor.create_model(model)
        yield
        for model, alias in HOMES.items():
            with connections[alias].schema_editor() as editor:
                editor.delete_model(model)


@pytest.fixture(autouse=True)
def routed(settings):
    settings.DATABASE_ROUTERS = [ItemReviewsRouter()]


@pytest.fixture
def review():
    """A review on "reviews" of an item on "default", loaded again from "reviews"."""
    item = Item.objects.create(name="Burr grinder")
    return ItemReview.objects.get(pk=ItemReview.objects.create(item=item).pk)


def test_review_item_is_one_query_on_default(review):
    with queries_per_alias() as queries:
        item = review.item
    assert (item._state.db, len(queries["default"]), queries["reviews"]) == ("default", 1, [])


def test_prefetch_related_is_one_query_on_each_database():
    for name in ("Burr grinder", "Pour-over kettle"):
        item = Item.objects.create(name=name)
        ItemReview.objects.bulk_create([ItemReview(item=item), ItemReview(item=item)])
    with queries_per_alias() as queries:
        items = {review.item.name for review in ItemReview.objects.prefetch_related("item")}
    assert items == {"Burr grinder", "Pour-over kettle"}
    assert (len(queries["reviews"]), len(queries["default"])) == (1, 1)


def test_select_related_joins_a_table_the_reviews_database_does_not_have(review):
    with pytest.raises(DatabaseError, match="products_item"):
        list(ItemReview.objects.select_related("item"))


def test_a_filter_through_the_item_joins_a_table_the_reviews_database_does_not_have(review):
    with pytest.raises(DatabaseError, match="products_item"):
        list(ItemReview.objects.filter(item__name="Burr grinder"))


def test_deleting_an_item_leaves_its_reviews_pointing_at_nothing(review):
    """DO_NOTHING, the one on_delete that works across databases (the next test): the
    item goes, its reviews stay."""
    review.item.delete()
    review = ItemReview.objects.get(pk=review.pk)
    assert Item.objects.filter(pk=review.item_id).exists() is False
    with pytest.raises(Item.DoesNotExist):
        review.item  # noqa: B018 (the lookup is the test)


@pytest.mark.parametrize(
    "on_delete", [models.CASCADE, models.SET_NULL, models.PROTECT, models.RESTRICT]
)
@isolate_apps("products", "reviews")
def test_any_other_on_delete_looks_for_the_reviews_on_the_items_database(on_delete):
    """Why DO_NOTHING: Django's deletion collector asks the deleted row's database for
    the rows its on_delete acts on, and "default" has no reviews table."""

    class Shelf(models.Model):
        class Meta:
            app_label = "products"

    class ShelfReview(models.Model):
        shelf = models.ForeignKey(Shelf, on_delete=on_delete, db_constraint=False, null=True)

        class Meta:
            app_label = "reviews"

    with queries_per_alias() as queries, pytest.raises(DatabaseError, match="shelfreview"):
        Shelf(pk=1).delete()
    assert ("reviews_shelfreview" in queries["default"][-1], queries["reviews"]) == (True, [])


def test_with_no_opinion_on_the_item_review_item_follows_the_review_to_reviews(review, settings):
    """Where every router answers None, Django uses the database of the instance the
    query starts from, here the review's; "default" only without one (the whole rule:
    README, Traps). The shop's ReviewsRouter has no opinion on an item."""
    settings.DATABASE_ROUTERS = ["shop.routers.ReviewsRouter"]
    with queries_per_alias() as queries, pytest.raises(DatabaseError, match="products_item"):
        review.item  # noqa: B018 (the lookup is the test)
    assert (len(queries["reviews"]), queries["default"]) == (1, [])
