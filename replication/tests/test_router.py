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
from shop.models import Heartbeat
from shop.pinning import use_primary
from shop.routers import PrimaryReplicaRouter, is_replicated

router = PrimaryReplicaRouter()

# Which models replicas may serve; the rest are read from the primary only.
REPLICATED = {
    Product: True,
    Review: True,
    Heartbeat: True,
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


@pytest.mark.parametrize("model", [model for model, shared in REPLICATED.items() if not shared])
def test_auth_sessions_and_the_admin_log_are_read_from_the_primary(model):
    """A session read from a lagging replica would look like a lost login."""
    assert router.db_for_read(model) == "default"


@pytest.mark.parametrize("model", REPLICATED)
def test_every_write_goes_to_the_primary(model):
    assert router.db_for_write(model) == "default"


@pytest.mark.parametrize("model", REPLICATED)
def test_an_object_read_from_a_replica_is_saved_to_the_primary(model):
    """Django passes the instance as a hint; its replica (`_state.db`) changes nothing."""
    instance = model()
    instance._state.db = "replica1"
    assert router.db_for_write(model, instance=instance) == "default"


@pytest.mark.parametrize("model", REPLICATED)
def test_use_primary_sends_every_read_to_the_primary(model):
    with use_primary():
        assert router.db_for_read(model) == "default"


@pytest.mark.parametrize("app_label", [config.label for config in apps.get_app_configs()])
@pytest.mark.parametrize("alias", settings.DATABASES)
def test_only_the_primary_is_migrated(app_label, alias):
    """Replicas get their tables by replication, never by `migrate`."""
    assert router.allow_migrate(alias, app_label) is (alias == "default")


@pytest.mark.parametrize("first", settings.DATABASES)
@pytest.mark.parametrize("second", settings.DATABASES)
def test_relations_are_allowed_between_copies_of_the_same_data(first, second):
    one, other = Product(), Review()
    one._state.db, other._state.db = first, second
    assert router.allow_relation(one, other) is True


def test_relations_with_an_unknown_database_are_refused():
    one, other = Product(), Review()
    one._state.db, other._state.db = "default", "elsewhere"
    assert router.allow_relation(one, other) is False
