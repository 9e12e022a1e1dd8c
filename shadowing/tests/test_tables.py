"""Each database holds exactly the tables it should."""

import pytest
from django.db import connections

from reviews.models import Review

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
    local = {"products_product", "reviews_review", "reviews_reviewer", "shop_tombstone"}
    # shop/originals.py
    local |= {"products_productoriginal", "reviews_revieworiginal", "reviews_revieweroriginal"}
    assert tables("default") == DJANGO_TABLES | local


def test_the_snapshot_holds_production_tables_only():
    """It is never migrated: not even a django_migrations table."""
    assert tables("snapshot") == {"products_product", "reviews_review", "reviews_reviewer"}


def test_both_sides_of_a_shadowed_table_have_the_same_columns():
    for table in ["products_product", "reviews_review", "reviews_reviewer"]:
        assert columns("default", table) == columns("snapshot", table)


def indexes(alias, table):
    """The column lists of a table's plain indexes (not its key or unique ones)."""
    with connections[alias].cursor() as cursor:
        found = connections[alias].introspection.get_constraints(cursor, table)
    return {tuple(c["columns"]) for c in found.values() if c["index"] and not c["unique"]}


def test_the_snapshots_reviews_are_indexed_in_a_product_pages_order():
    """The snapshot, made as take_snapshot makes it, has the index a product's page walks."""
    assert ("product_id", "created", "id") in indexes("snapshot", "reviews_review")


def test_both_sides_of_a_shadowed_table_have_the_same_indexes():
    for table in ["products_product", "reviews_review", "reviews_reviewer"]:
        assert indexes("default", table) == indexes("snapshot", table)


def plan(query):
    """How the snapshot's database would run a query: its plan, as text. PostgreSQL is
    told a sort (whole or of the ties of an index on `created`) costs too much, so that
    it walks an index in the page's order if it has one, as it would for a large
    table: on the test's few rows it would read them all and sort."""
    sql, params = query.query.sql_with_params()
    with connections["snapshot"].cursor() as cursor:
        if connections["snapshot"].vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_incremental_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_a_products_newest_reviews_on_the_snapshot_walk_an_index_without_sorting():
    """The newest 20 of a product's reviews: no sort of every review of the product."""
    reviews = Review._base_manager.using("snapshot").filter(product_id=2)
    found = plan(reviews.order_by("-created", "-pk")[:20])
    assert "TEMP B-TREE" not in found and "Sort" not in found, found
