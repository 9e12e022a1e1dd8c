"""The routing decisions as plain objects and pure functions: no database needed."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db.utils import ConnectionRouter
from django.test import override_settings

from reviews.models import Review
from shop.checks import check_shadow_modes
from shop.routers import ShadowRouter, read_from
from shop.shadow import LOCAL_KEYS_START, origin
from shop.snapshot import file_of

router = ShadowRouter()
EVERY_MODEL = apps.get_models()


def from_snapshot(model):
    """An instance as Django makes it when it reads a row from the snapshot."""
    instance = model()
    instance._state.db = "snapshot"
    return instance


@pytest.mark.parametrize(
    "mode, instance_db, expected",
    [
        ("snapshot", None, "snapshot"),
        ("snapshot", "default", "snapshot"),
        ("local", None, None),
        ("local", "snapshot", None),
        ("overlay", None, None),
        ("overlay", "default", None),
        ("overlay", "snapshot", "snapshot"),
        (None, None, None),
        (None, "snapshot", None),
    ],
)
def test_read_from_each_mode(mode, instance_db, expected):
    """Snapshot mode reads the snapshot; overlay follows the instance; the rest: default."""
    assert read_from(mode, instance_db) == expected


@pytest.mark.parametrize("mode", ["snapshot", "local", "overlay"])
def test_reads_of_a_shadowed_model_follow_its_mode(mode):
    with override_settings(SHADOW_MODES={"reviews.Review": mode}):
        assert router.db_for_read(Review) == ("snapshot" if mode == "snapshot" else None)


def test_models_that_are_not_shadowed_are_read_from_default():
    for model in EVERY_MODEL:
        if model._meta.label not in settings.SHADOW_MODES:
            assert router.db_for_read(model) is None


@pytest.mark.parametrize("mode", ["snapshot", "local", "overlay"])
@pytest.mark.parametrize("model", EVERY_MODEL)
def test_every_write_of_a_shadowed_model_goes_to_default_whatever_the_mode(model, mode):
    """Even for a row read from the snapshot: that is copy-on-write."""
    with override_settings(SHADOW_MODES={model._meta.label: mode}):
        assert router.db_for_write(model) == "default"
        assert router.db_for_write(model, instance=from_snapshot(model)) == "default"


def test_the_router_has_no_opinion_on_writes_of_models_it_does_not_shadow():
    for model in EVERY_MODEL:
        if model._meta.label not in settings.SHADOW_MODES:
            assert router.db_for_write(model) is None


def test_without_the_router_django_saves_a_row_where_it_was_read():
    """The trap: saves are sticky, so a snapshot row would be saved back to "snapshot"."""
    assert ConnectionRouter([]).db_for_write(Review, instance=from_snapshot(Review)) == "snapshot"


@pytest.mark.parametrize("app_label", [config.label for config in apps.get_app_configs()])
def test_nothing_is_ever_migrated_into_the_snapshot(app_label):
    assert router.allow_migrate("snapshot", app_label) is False


@pytest.mark.parametrize("app_label", [config.label for config in apps.get_app_configs()])
def test_the_router_has_no_opinion_on_migrating_default(app_label):
    """Django migrates what no router refuses: "default" is left to the routers after it."""
    assert router.allow_migrate("default", app_label) is None


class AuthRouter:
    """A second router, like the AuthRouter of Django's tests/multiple_database: auth
    lives on a database of its own, and no opinion on the rest."""

    def db_for_read(self, model, **hints):
        return "auth_db" if model._meta.app_label == "auth" else None

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return (db == "auth_db") == (app_label == "auth")


def test_a_router_after_it_places_the_models_it_does_not_shadow():
    """Routers answer None for what they do not own, so the next one is asked (Django's
    multiple_database tests compose AuthRouter with another): ShadowRouter settles
    only the shadowed models' writes and the snapshot's migrations."""
    routers = ConnectionRouter([router, AuthRouter()])
    assert routers.db_for_write(get_user_model()) == "auth_db"
    assert routers.allow_migrate("default", "auth") is False
    assert routers.db_for_write(Review) == "default"
    assert routers.allow_migrate("auth_db", "reviews") is False


def test_the_demo_shadows_products_and_reviews_as_overlays_and_reviewers_read_only():
    assert settings.SHADOW_MODES == {
        "products.Product": "overlay",
        "reviews.Review": "overlay",
        "reviews.Reviewer": "snapshot",
    }


@pytest.mark.parametrize(
    "db, pk, expected",
    [
        ("snapshot", 7, "snapshot"),
        ("default", 7, "changed locally"),
        ("default", LOCAL_KEYS_START - 1, "changed locally"),
        ("default", LOCAL_KEYS_START + 1, "local"),
    ],
)
def test_origin_of_a_row_comes_from_its_database_and_key_range(db, pk, expected):
    assert origin(db, pk) == expected


@pytest.mark.parametrize(
    "name, path",
    [
        ("file:///srv/shop/snapshot.sqlite3?mode=ro", "/srv/shop/snapshot.sqlite3"),
        ("file:///srv/my%20shop/snapshot.sqlite3?mode=ro", "/srv/my shop/snapshot.sqlite3"),
        ("/srv/shop/test_snapshot.sqlite3", "/srv/shop/test_snapshot.sqlite3"),
    ],
)
def test_the_snapshot_file_is_read_from_the_database_name(name, path):
    assert str(file_of(name)) == path


@pytest.mark.parametrize(
    "modes, error",
    [
        ({"reviews.Review": "overlayy"}, "is 'overlayy'; choose one of snapshot, local, overlay."),
        ({"reviews.Reviews": "overlay"}, "SHADOW_MODES names 'reviews.Reviews', not a model."),
        ({"reviews": "overlay"}, "SHADOW_MODES names 'reviews', not a model."),
    ],
)
def test_a_mistake_in_shadow_modes_fails_the_system_check(modes, error):
    with override_settings(SHADOW_MODES=modes):
        assert [message.msg[-len(error) :] for message in check_shadow_modes()] == [error]


def test_the_demo_modes_pass_the_system_check():
    assert check_shadow_modes() == []


def test_manage_py_check_runs_the_shadow_modes_check():
    with override_settings(SHADOW_MODES={"reviews.Review": "copy"}):
        with pytest.raises(SystemCheckError, match=r"\(shop.E002\)"):
            call_command("check")
