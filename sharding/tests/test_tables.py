"""After `migrate` on every alias, each database holds exactly the tables it should."""

import pytest
from django.db import connections

from .helpers import EVERY_DATABASE, SHARDS

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
pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


def tables(alias):
    return set(connections[alias].introspection.table_names())


def test_default_holds_everything_but_reviews_and_tickets():
    """The bucket map included, and the online moves' states beside it."""
    assert tables("default") == DJANGO_TABLES | {
        "products_product",
        "shop_bucket",
        "shop_mapversion",
        "shop_onlinemove",
    }


def test_tickets_holds_only_the_ticket_table():
    """A database of its own, so that a ticket commits whatever "default" is doing."""
    assert tables("tickets") == {"shop_ticket", "django_migrations"}


@pytest.mark.parametrize("shard", SHARDS)
def test_each_shard_holds_only_the_reviews_table(shard):
    assert tables(shard) == {"reviews_review", "django_migrations"}
