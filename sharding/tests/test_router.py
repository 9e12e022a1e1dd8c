"""The router as a plain object: no database is needed to test a routing decision."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session

from products.models import Product
from reviews.models import Review
from shop.routers import ReviewsRouter

router = ReviewsRouter()

# Where each model lives: None means "no opinion", so Django uses "default".
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
    assert router.allow_migrate(alias, app_label) is (alias in allowed)


@pytest.mark.parametrize("model", HOME)
def test_relations_within_one_database_are_allowed(model):
    assert router.allow_relation(model(), model()) is True


@pytest.mark.parametrize("model", [model for model, home in HOME.items() if home is None])
def test_relations_across_databases_are_refused(model):
    """No foreign key may join a review to a model on "default", either way round."""
    review = Review()
    assert router.allow_relation(review, model()) is False
    assert router.allow_relation(model(), review) is False
