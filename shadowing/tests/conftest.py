"""The test snapshot gets production's tables, as setup_demo gives the real one.

Django's test runner makes a fresh, writable database for every alias (TEST NAME in
settings) and migrates it; the router lets nothing be migrated into "snapshot", so it
starts empty. An empty dump, installed as take_snapshot installs one, gives it the tables.
Tests put rows there through `snapshot_rows()`; no code under test ever may.
"""

import hashlib

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from shop.dumps import build_dump, read_fixture
from shop.local_keys import restart_local_keys
from shop.shadow import shadowed_models
from shop.snapshot import install

from .helpers import ON_POSTGRES, rows_checksum

# The demo's own snapshot, named before the test runner swaps in the test database.
DEMO_SNAPSHOT = connections["snapshot"].settings_dict["NAME"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """On PostgreSQL the tests reach their snapshot database as its owner, not as
    snapshot_reader: the test runner must create and drop it, which the reader cannot,
    and tests put production's rows in it, as SQLite's test file is writable.
    test_readonly_postgres.py proves on settings.py's own entry that the reader cannot."""
    if ON_POSTGRES:
        connections["snapshot"].settings_dict["USER"] = settings.SNAPSHOT_OWNER


# The tests' own masking key: never the one a developer's snapshot was masked with.
TEST_MASK_KEY = "0123456789abcdef" * 4


@pytest.fixture(scope="session", autouse=True)
def test_mask_key(tmp_path_factory):
    path = tmp_path_factory.mktemp("key") / "test-mask.key"
    path.write_text(TEST_MASK_KEY)
    with override_settings(SNAPSHOT_MASK_KEY_FILE=path):
        yield path


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    test_name = settings.DATABASES["snapshot"]["TEST"]["NAME"]
    if str(connections["snapshot"].settings_dict["NAME"]) != str(test_name):
        return  # no test asked for the snapshot: it was not swapped for a test database
    with django_db_blocker.unblock():
        dump = tmp_path_factory.mktemp("dump") / "production.sqlite3"
        build_dump(dump, [])
        install(dump)


@pytest.fixture(autouse=True)
def local_keys_from_the_start(request, django_db_blocker):
    """Each test numbers its new local rows from LOCAL_KEYS_START + 1: a sequence is not
    rolled back with a test's transaction, and flush keeps SQLite's counters."""
    marker = request.node.get_closest_marker("django_db")
    if marker and "default" in marker.kwargs.get("databases", ()):
        request.getfixturevalue("django_db_setup")
        with django_db_blocker.unblock():
            restart_local_keys()


@pytest.fixture(autouse=True)
def empty_snapshot_after_transactional_tests(request, django_db_blocker):
    """Django's flush empties only the tables the router lets it migrate: not the snapshot's."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction") and "snapshot" in marker.kwargs["databases"]:
        with django_db_blocker.unblock():
            for model in shadowed_models():
                model._base_manager.using("snapshot").all().delete()


def demo_checksum():
    if ON_POSTGRES:
        return rows_checksum(DEMO_SNAPSHOT)
    path = settings.SNAPSHOT_FILE
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


@pytest.fixture(scope="session", autouse=True)
def demo_snapshot_untouched():
    """The demo's own snapshot, if there is one, is the same after the suite: the bytes of
    snapshot.sqlite3, or the rows of shadowing_snapshot on PostgreSQL."""
    before = demo_checksum()
    yield
    assert demo_checksum() == before


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
