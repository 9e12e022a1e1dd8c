"""`migrate` builds the primary only; `replicate` gives each replica every table."""

import pytest
from django.db import connections

TABLES = {
    "auth_group",
    "auth_group_permissions",
    "auth_permission",
    "auth_user",
    "auth_user_groups",
    "auth_user_user_permissions",
    "django_admin_log",
    "django_content_type",
    "django_migrations",
    "django_session",
    "products_product",
    "reviews_review",
    "shop_heartbeat",
    "shop_writecounter",
}
pytestmark = [
    pytest.mark.django_db(databases=["default", "replica1", "replica2"], transaction=True),
    pytest.mark.usefixtures("replicas"),
]


def tables(alias):
    return set(connections[alias].introspection.table_names())


def test_the_primary_holds_every_table():
    assert tables("default") == TABLES


@pytest.mark.parametrize("alias", ["replica1", "replica2"])
def test_each_replica_holds_the_same_tables_as_the_primary(alias):
    assert tables(alias) == TABLES
