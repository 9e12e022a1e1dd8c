"""Test replicas are real files, filled by `replicate` and opened read-only, as on the site.

Django's test runner opens every alias's test database writable: it has to create
them. The ``replicas`` fixture copies the test primary into the test replicas with
``manage.py replicate``, then reopens them with ``mode=ro`` for the length of the test,
so every read a test sends to a replica goes through a truly read-only connection. It
gives them back writable for the runner's flush at the end.
"""

import pytest
from django.db import connections

from shop.replicas import REPLICAS

from .helpers import create_product, replicate


@pytest.fixture
def replicas(transactional_db):
    replicate()
    names = {alias: connections[alias].settings_dict["NAME"] for alias in REPLICAS}
    for alias, name in names.items():
        connections[alias].close()
        connections[alias].settings_dict["NAME"] = name.as_uri() + "?mode=ro"
    yield
    for alias, name in names.items():
        connections[alias].close()
        connections[alias].settings_dict["NAME"] = name


@pytest.fixture
def product(replicas):
    """A product on every replica: the review form checks the product on a replica."""
    product = create_product()
    replicate()
    return product
