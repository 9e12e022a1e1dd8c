"""The test snapshot gets production's tables, as setup_demo gives the real one.

Django's test runner makes a fresh, writable file for every alias (TEST NAME in
settings) and migrates it; the router lets nothing be migrated into "snapshot", so the
file starts empty. An empty dump, installed with the backup API, gives it the tables.
Tests put rows there through `snapshot_rows()`; no code under test ever may.
"""

import hashlib

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections

from shop.snapshot import build_dump, install, read_fixture, shadowed_models


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    test_name = settings.DATABASES["snapshot"]["TEST"]["NAME"]
    if str(connections["snapshot"].settings_dict["NAME"]) != str(test_name):
        return  # no test asked for the snapshot: it was not swapped for a test file
    with django_db_blocker.unblock():
        dump = tmp_path_factory.mktemp("dump") / "production.sqlite3"
        build_dump(dump, [])
        install(dump)


@pytest.fixture(autouse=True)
def empty_snapshot_after_transactional_tests(request, django_db_blocker):
    """Django's flush empties only the tables the router lets it migrate: not the snapshot's."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction") and "snapshot" in marker.kwargs["databases"]:
        with django_db_blocker.unblock():
            for model in shadowed_models():
                model._base_manager.using("snapshot").all().delete()


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


@pytest.fixture(scope="session", autouse=True)
def demo_snapshot_untouched():
    """The demo's own snapshot.sqlite3, if there is one, has the same bytes after the suite."""
    before = checksum(settings.SNAPSHOT_FILE)
    yield
    assert checksum(settings.SNAPSHOT_FILE) == before


@pytest.fixture
def demo(client, tmp_path):
    """What `setup_demo` leaves: the reviewers and admin / admin, and the demo snapshot."""
    call_command("loaddata", "demo", database="default", verbosity=0)
    get_user_model().objects.create_superuser("admin", "admin@example.com", "admin")
    build_dump(tmp_path / "demo.sqlite3", read_fixture("shop/fixtures/demo.snapshot.json"))
    install(tmp_path / "demo.sqlite3")
    return client


@pytest.fixture
def admin(demo):
    assert demo.login(username="admin", password="admin")
    return demo
