"""After `migrate` on every alias, each database holds exactly the tables it should."""

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
pytestmark = pytest.mark.django_db(databases=["default", "reviews"])


def tables(alias):
    return set(connections[alias].introspection.table_names())


def test_default_holds_everything_but_reviews():
    assert tables("default") == DJANGO_TABLES | {"products_product"}


def test_reviews_holds_only_the_reviews_table():
    """And django_migrations, which records what `migrate --database=reviews` did."""
    assert tables("reviews") == {"reviews_review", "django_migrations"}
