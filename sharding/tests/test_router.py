"""ShardRouter: reviews on the shard of their bucket; every other model on "default"."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session

from products.models import Product
from reviews.models import Review
from shop.models import Bucket, Ticket
from shop.routers import ShardRouter
from shop.sharding import review_id

router = ShardRouter()
OTHERS = [Product, User, Group, Permission, ContentType, Session, LogEntry, Bucket, Ticket]


def test_every_model_has_a_decision_in_this_file():
    assert set(OTHERS) | {Review} == set(apps.get_models())


@pytest.mark.parametrize("model", [Review, *OTHERS])
def test_without_an_instance_the_router_has_no_opinion(model):
    """A review query with nothing to route by is not guessed: Review.save() refuses it."""
    assert router.db_for_read(model) is None
    assert router.db_for_write(model) is None


@pytest.mark.parametrize("model", OTHERS)
def test_other_models_stay_on_default_whatever_the_hint(model):
    hint = Review(product_id=1, author_id=1, text="x")
    assert router.db_for_write(model, instance=hint) is None


@pytest.mark.django_db(databases=["default"])
@pytest.mark.parametrize("product_id, shard", [(1, "shard1"), (2, "shard2"), (5, "shard3")])
def test_a_new_review_goes_to_the_shard_of_its_product(product_id, shard):
    review = Review(product_id=product_id, author_id=1, text="x")
    assert router.db_for_write(Review, instance=review) == shard


@pytest.mark.django_db(databases=["default"])
def test_a_stored_review_is_found_by_its_id():
    """Bucket 45 is on shard3, whatever the product id on the instance says."""
    review = Review(pk=review_id(7, 45), product_id=1, author_id=1, text="x")
    assert router.db_for_read(Review, instance=review) == "shard3"


@pytest.mark.parametrize("app_label", [config.label for config in apps.get_app_configs()])
@pytest.mark.parametrize("alias", settings.DATABASES)
def test_each_app_migrates_only_where_it_lives(app_label, alias):
    """The reviews table on every shard; every other table on "default" only."""
    on_shard = alias.startswith("shard")
    assert router.allow_migrate(alias, app_label) is (on_shard == (app_label == "reviews"))


@pytest.mark.parametrize("model", OTHERS)
def test_relations_across_databases_are_refused(model):
    review = Review()
    assert router.allow_relation(review, model()) is False
    assert router.allow_relation(model(), review) is False
