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
from shop.models import Bucket, MapVersion, OnlineMove, Ticket
from shop.routers import ShardRouter
from shop.sharding import review_id

router = ShardRouter()
OTHERS = [Product, User, Group, Permission, ContentType, Session, LogEntry]
OTHERS += [Bucket, MapVersion, OnlineMove]  # the map, its version, its moves: on default


def test_every_model_has_a_decision_in_this_file():
    assert set(OTHERS) | {Review, Ticket} == set(apps.get_models())


@pytest.mark.parametrize("hints", [{}, {"instance": Ticket()}])
def test_tickets_are_read_and_written_on_their_own_database(hints):
    """An id table on a database named for it, with or without an instance (django-sharding
    routes its ShardedTestModelIDs so)."""
    assert router.db_for_read(Ticket, **hints) == "tickets"
    assert router.db_for_write(Ticket, **hints) == "tickets"


@pytest.mark.parametrize("alias", settings.DATABASES)
def test_the_ticket_table_is_migrated_on_tickets_only(alias):
    assert router.allow_migrate(alias, "shop", model_name="ticket") is (alias == "tickets")


@pytest.mark.parametrize("model", [Review, *OTHERS])
def test_without_an_instance_the_router_has_no_opinion(model):
    """A review query with nothing to route by is not guessed: ReviewQuerySet refuses it."""
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
@pytest.mark.parametrize("alias", settings.SHARDS)
def test_a_shard_holds_the_reviews_table_and_no_other(app_label, alias):
    assert router.allow_migrate(alias, app_label) is (app_label == "reviews")


def test_the_reviews_table_stays_off_default():
    assert router.allow_migrate("default", "reviews") is False


@pytest.mark.parametrize("app_label", ["products", "auth", "shop"])
def test_tickets_holds_no_other_table(app_label):
    assert router.allow_migrate("tickets", app_label, model_name="bucket") is False


@pytest.mark.parametrize("app_label", ["products", "auth", "shop"])
def test_other_apps_on_default_are_left_to_the_next_router(app_label):
    """No opinion, as Django's multi-db docs' routers answer, so a router composed after
    this one decides; with none, Django migrates them there."""
    assert router.allow_migrate("default", app_label) is None


@pytest.mark.parametrize("model", OTHERS)
def test_relations_across_databases_are_refused(model):
    review = Review()
    assert router.allow_relation(review, model()) is False
    assert router.allow_relation(model(), review) is False


def review_on(shard):
    review = Review(product_id=1, author_id=1, text="x")
    review._state.db = shard
    return review


def test_two_reviews_on_different_shards_may_not_be_related():
    """A relation between sharded objects on different shards is refused (django-sharding's
    router tests, and Django's multiple_database tests for any two databases)."""
    assert router.allow_relation(review_on("shard1"), review_on("shard2")) is False


def test_two_reviews_on_one_shard_may_be_related():
    assert router.allow_relation(review_on("shard2"), review_on("shard2")) is True


def test_relations_between_other_models_are_left_to_the_next_router():
    assert router.allow_relation(Product(), User()) is None
