"""Test replicas are real files, filled by `replicate` and opened read-only, as on the site.

Django's test runner opens every alias's test database writable: it has to create
them. The ``replicas`` fixture copies the test primary into the test replicas with
``manage.py replicate``, then reopens them with ``mode=ro`` for the length of the test,
so every read a test sends to a replica goes through a truly read-only connection. It
gives them back writable for the runner's flush at the end.
"""

import time

import pytest
from django.db import connections

from common.postgres import disconnect
from shop.pinning import unpin
from shop.replicas import DOWN, HEALTH, PRIMARY, REPLICAS

from .helpers import (
    ON_POSTGRES,
    create_product,
    replicate,
    standby_catch_up,
    standby_resume,
    standby_session,
)


@pytest.fixture(autouse=True)
def fresh_process():
    """Each test starts as a new process would: no pin from an earlier test's writes in
    this thread, no replica remembered as down, no replica's health read yet."""
    unpin()
    DOWN.down.clear()
    HEALTH.clear()


@pytest.fixture
def replicas(transactional_db):
    if ON_POSTGRES:
        yield from standby_held()
        return
    replicate()
    names = {alias: connections[alias].settings_dict["NAME"] for alias in REPLICAS}
    for alias, name in names.items():
        disconnect(alias)
        connections[alias].settings_dict["NAME"] = name.as_uri() + "?mode=ro"
    yield
    for alias, name in names.items():
        disconnect(alias)
        connections[alias].settings_dict["NAME"] = name


@pytest.fixture
def product(replicas):
    """A product on every replica: the review form checks the product on a replica."""
    product = create_product()
    replicate()
    return product


def standby_held():
    """On PostgreSQL the standby is read-only by nature: it holds still between
    replicate() calls (see helpers.replicate) and streams freely again afterwards."""
    replicate()
    yield
    standby_resume()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, wait until the standby has replayed the test database's creation."""
    if ON_POSTGRES:
        with django_db_blocker.unblock():
            wait_for_test_database()


def wait_for_test_database(timeout=10):
    """Ask each standby, outside its pool, until the test database has streamed to it: a
    pool would keep retrying in the background, and tell only of its timeout."""
    name = connections[PRIMARY].settings_dict["NAME"]
    deadline = time.monotonic() + timeout
    for alias in REPLICAS:
        with standby_session(alias) as standby:
            while not standby.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone():
                assert time.monotonic() < deadline, f"{alias} never saw the test database"
                time.sleep(0.05)
    standby_catch_up()
    standby_resume()
