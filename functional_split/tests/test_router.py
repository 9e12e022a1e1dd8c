"""The router as a plain object: no database is needed to test a routing decision."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.utils import ConnectionRouter

from products.models import Product
from reviews.models import Review
from shop.routers import ReviewsRouter

router = ReviewsRouter()
# As settings.DATABASE_ROUTERS composes it: Django's own answer where the router has none.
composed_alone = ConnectionRouter([ReviewsRouter()])

# Where each model lives: None means "no opinion", so Django uses the database of the
# instance hint, or "default" without one (test_no_opinion_* below).
HOME = {
    Review: "reviews",
    Product: None,
    User: None,
    Group: None,
    Permission: None,
    ContentType: None,
    Session: None,
    LogEntry: None,
}
# The databases each app's tables may be created in.
MIGRATES_INTO = {"reviews": {"reviews"}}


def test_every_model_has_a_decision_in_this_file():
    """The tables below cover every installed model, so a new one needs a decision."""
    assert set(HOME) == set(apps.get_models())


@pytest.mark.parametrize("model", HOME)
def test_reads_go_home(model):
    """Reviews are read from "reviews"; the router has no opinion on the rest."""
    assert router.db_for_read(model) == HOME[model]


@pytest.mark.parametrize("model", HOME)
def test_writes_go_home(model):
    """Reviews are written to "reviews"; the router has no opinion on the rest."""
    assert router.db_for_write(model) == HOME[model]


@pytest.mark.parametrize("model", HOME)
def test_hints_do_not_change_the_decision(model):
    """An instance hint (as Django passes on save and on related lookups) changes nothing."""
    hint = Review(product_id=1, author_id=1, text="x")
    assert router.db_for_write(model, instance=hint) == HOME[model]


@pytest.mark.parametrize("app_label", [config.label for config in apps.get_app_configs()])
@pytest.mark.parametrize("alias", settings.DATABASES)
def test_each_app_migrates_only_into_its_database(app_label, alias):
    """Reviews' tables only in "reviews"; every other app's tables only in "default"."""
    allowed = MIGRATES_INTO.get(app_label, {"default"})
    assert composed_alone.allow_migrate(alias, app_label) is (alias in allowed)


@pytest.mark.parametrize("model", HOME)
def test_relations_within_one_database_are_allowed(model):
    assert composed_alone.allow_relation(model(), model()) is True


@pytest.mark.parametrize("model", [model for model, home in HOME.items() if home is None])
def test_relations_across_databases_are_refused(model):
    """No foreign key may join a review to a model on "default", either way round."""
    review = Review()
    assert router.allow_relation(review, model()) is False
    assert router.allow_relation(model(), review) is False


class ElsewhereRouter:
    """A second router, as a site might add after ReviewsRouter: products to "catalog"."""

    def db_for_read(self, model, **hints):
        return "catalog" if model is Product else None

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return "second router"

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return "second router"


composed = ConnectionRouter([ReviewsRouter(), ElsewhereRouter()])


@pytest.mark.parametrize("decide", [composed.db_for_read, composed.db_for_write])
def test_a_second_router_decides_what_reviews_router_does_not_own(decide):
    """A router that answers None lets the next one decide (Django's multiple_database
    tests, test_partial_router): products go where the second router sends them."""
    assert decide(Product) == "catalog"
    assert decide(Review) == "reviews"


def test_a_second_router_decides_relations_between_models_on_default():
    """allow_relation() answers None for two models it does not own, so the next router's
    answer stands (Django's multiple_database tests, router chains)."""
    assert composed.allow_relation(Product(), User()) == "second router"


def test_reviews_router_still_refuses_a_relation_across_databases_when_composed():
    """A review and a product: ReviewsRouter's refusal comes first, whatever follows."""
    assert composed.allow_relation(Review(), Product()) is False


def test_a_second_router_decides_where_other_apps_migrate_on_default():
    """allow_migrate() answers None for another app on "default" (Django's docs'
    AuthRouter), so the next router decides."""
    assert composed.allow_migrate("default", "products") == "second router"


@pytest.mark.parametrize("app_label", ["products", "auth", "sessions"])
def test_nothing_but_reviews_migrates_into_reviews_whatever_follows(app_label):
    """The "reviews" database is ReviewsRouter's own: a final False, not None, for other
    apps there, so no later router can put their tables in it."""
    assert composed.allow_migrate("reviews", app_label) is False


def loaded_from(alias, model):
    instance = model()
    instance._state.db = alias  # as a query with .using(alias) leaves it
    return instance


@pytest.mark.parametrize("decide", [composed_alone.db_for_read, composed_alone.db_for_write])
def test_no_opinion_follows_the_database_of_the_instance_hint(decide):
    """Every router says None: Django takes the hint's instance's database before
    "default" (ConnectionRouter in django/db/utils.py), even for a product."""
    assert decide(Product, instance=loaded_from("reviews", Review)) == "reviews"


@pytest.mark.parametrize("decide", [composed_alone.db_for_read, composed_alone.db_for_write])
def test_no_opinion_and_no_instance_is_default(decide):
    assert decide(Product) == "default"
