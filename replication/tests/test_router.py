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
from shop.models import Heartbeat, WriteCounter
from shop.pinning import use_primary
from shop.routers import PrimaryReplicaRouter, is_replicated

# Which models replicas may serve; the rest are read from the primary only.
REPLICATED = {
    Product: True,
    Review: True,
    Heartbeat: True,
    WriteCounter: True,  # read with plain SQL (shop/positions.py), by the router only
    User: False,
    Group: False,
    Permission: False,
    ContentType: False,
    Session: False,
    LogEntry: False,
}


def test_every_model_has_a_decision_in_this_file():
    """The table above covers every installed model, so a new one needs a decision."""
    assert set(REPLICATED) == set(apps.get_models())


@pytest.mark.parametrize("model", REPLICATED)
def test_only_the_shop_data_is_read_from_replicas(model):
    assert is_replicated(model) is REPLICATED[model]


PRIMARY_ONLY = [model for model, shared in REPLICATED.items() if not shared]


class ElsewhereRouter:
    """A second router, composed after ours: auth and sessions live in "auth_db"."""

    def db_for_read(self, model, **hints):
        return "auth_db"

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != "default"


composed = ConnectionRouter([PrimaryReplicaRouter(), ElsewhereRouter()])
alone = ConnectionRouter([PrimaryReplicaRouter()])


@pytest.mark.parametrize("model", PRIMARY_ONLY)
def test_auth_sessions_and_the_admin_log_are_read_from_the_primary(model):
    """A session read from a lagging replica would look like a lost login."""
    assert alone.db_for_read(model) == "default"


@pytest.mark.parametrize("model", PRIMARY_ONLY)
@pytest.mark.parametrize("method", ["db_for_read", "db_for_write"])
def test_a_router_after_ours_decides_for_the_apps_ours_does_not_own(model, method):
    """Routers answer None for what they do not own (Django's multi-db docs)."""
    assert getattr(composed, method)(model) == "auth_db"


@pytest.mark.parametrize("model", REPLICATED)
def test_every_write_goes_to_the_primary(model):
    assert alone.db_for_write(model) == "default"


@pytest.mark.parametrize("model", [model for model, shared in REPLICATED.items() if shared])
def test_an_object_read_from_a_replica_is_saved_to_the_primary(model):
    """Django passes the instance as a hint; its replica (`_state.db`) changes nothing."""
    instance = model()
    instance._state.db = "replica1"
    assert alone.db_for_write(model, instance=instance) == "default"


@pytest.mark.parametrize("model", PRIMARY_ONLY)
def test_a_write_that_follows_an_object_read_from_a_replica_goes_to_the_primary(model):
    """With every router answering None, Django writes to the database of the instance
    hint (``_route_db``): a user read from a replica would take its admin log there."""
    instance = model()
    instance._state.db = "replica1"
    assert alone.db_for_write(model, instance=instance) == "default"


@pytest.mark.parametrize("model", REPLICATED)
def test_use_primary_sends_every_read_to_the_primary(model):
    with use_primary():
        assert alone.db_for_read(model) == "default"


@pytest.mark.parametrize("app_label", [config.label for config in apps.get_app_configs()])
@pytest.mark.parametrize("alias", settings.DATABASES)
def test_only_the_primary_is_migrated(app_label, alias):
    """Replicas get their tables by replication, never by `migrate`."""
    assert alone.allow_migrate(alias, app_label) is (alias == "default")


@pytest.mark.parametrize("app_label", ["auth", "sessions", "admin", "contenttypes"])
def test_a_router_after_ours_decides_where_the_apps_ours_does_not_own_migrate(app_label):
    assert composed.allow_migrate("default", app_label) is False


@pytest.mark.parametrize("alias", ["replica1", "replica2"])
def test_no_later_router_can_migrate_a_replica(alias):
    """Ours has the final word on its replicas: a write there would fork the data."""
    assert composed.allow_migrate(alias, "auth") is False


@pytest.mark.parametrize("first", settings.DATABASES)
@pytest.mark.parametrize("second", settings.DATABASES)
def test_relations_are_allowed_between_copies_of_the_same_data(first, second):
    one, other = Product(), Review()
    one._state.db, other._state.db = first, second
    assert alone.allow_relation(one, other) is True


def test_relations_with_an_unknown_database_are_left_to_other_routers():
    one, other = Product(), Review()
    one._state.db, other._state.db = "default", "elsewhere"
    assert (alone.allow_relation(one, other), composed.allow_relation(one, other)) == (False, True)
