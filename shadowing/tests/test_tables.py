"""Each database holds exactly the tables it should."""

import pytest
from django.db import connections

DJANGO_TABLES = {
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
}
pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


def tables(alias):
    return set(connections[alias].introspection.table_names())


def columns(alias, table):
    with connections[alias].cursor() as cursor:
        return [
            c.name for c in connections[alias].introspection.get_table_description(cursor, table)
        ]


def test_default_holds_every_table_with_the_local_side_of_the_shadowed_ones():
    local = {"products_product", "reviews_review", "shop_tombstone"}
    local |= {"products_productoriginal", "reviews_revieworiginal"}  # shop/originals.py
    assert tables("default") == DJANGO_TABLES | local


def test_the_snapshot_holds_production_tables_only():
    """It is never migrated: not even a django_migrations table."""
    assert tables("snapshot") == {"products_product", "reviews_review"}


def test_both_sides_of_a_shadowed_table_have_the_same_columns():
    for table in ["products_product", "reviews_review"]:
        assert columns("default", table) == columns("snapshot", table)
