"""The README's "Try it" steps, replayed on the demo data: each shows what it claims.

Transactional, so the databases can be read from outside, as step 8 does with the sqlite3
shell (or psql). The test snapshot is writable (see conftest.py): that its bytes (its rows
on PostgreSQL) do not change while the steps edit, delete and add is the proof that
nothing was routed there. On PostgreSQL, the banner asks "default" once more on every
page (when the snapshot was taken) and a few statements are spelled differently.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections

from common.faults import read_outside
from common.testing import panel_counts, panel_sql
from shop.snapshot import snapshot_file, snapshot_name

from .helpers import ON_POSTGRES, snapshot_checksum

pytestmark = pytest.mark.django_db(
    databases=["default", "snapshot"], transaction=True, reset_sequences=True
)
KETTLE, GRINDER, DRIPPER = 1, 2, 3
NEW_REVIEW = 1000000000001
FIXTURES = "shop/fixtures/"
BANNER_TIME = 1 if ON_POSTGRES else 0  # the query on "default" that reads the banner's time


def take(tmp_path, fixture):
    """build_dump, then take_snapshot --from, as step 9 runs them; their output."""
    dump, output = tmp_path / f"{fixture}.sqlite3", StringIO()
    call_command("build_dump", f"{FIXTURES}{fixture}.snapshot.json", dump, stdout=output)
    call_command("take_snapshot", "--from", dump, stdout=output)
    return output.getvalue().replace(str(tmp_path) + "/", "").splitlines()


def copied():
    """How step 9 says the dump went into the snapshot."""
    if ON_POSTGRES:
        return f"loaded into database {snapshot_name()} beside the old snapshot, swapped in"
    return f"copied into {snapshot_file().name}, masked"


def banner(response):
    return re.search(r'<p class="banner" role="status">([^<]*)</p>', response.text)[1]


def edit_delete_add(client):
    """Steps 3, 4 and 5; each response, followed to the page it redirects to."""
    form = {"name": "Pour-over kettle", "description": "Now in black."}
    edited = client.post(f"/admin/products/product/{KETTLE}/change/", form, follow=True)
    deleted = client.post("/admin/reviews/review/2/delete/", {"post": "yes"}, follow=True)
    review = {"product_id": GRINDER, "rating": "5", "text": "Quiet and even."}
    added = client.post("/reviews/new/", review, follow=True)
    return edited, deleted, added


def test_step_1_product_list_from_the_snapshot(demo):
    response = demo.get("/")
    assert re.fullmatch(r"Snapshot taken \S+ \S+ UTC, 0 local changes", banner(response))
    assert {product.origin for product in response.context["products"]} == {"snapshot"}
    assert panel_counts(response) == {"default": 5 + BANNER_TIME, "snapshot": 2}
    assert "GROUP BY" in panel_sql(response, "snapshot")
    claimed = (
        "SELECT object_pk FROM \"shop_tombstone\" WHERE model = 'products.Product'"
        " AND object_pk IN (2, 3, 4, 5, 1)"
        ' UNION ALL SELECT "id" FROM "products_product" WHERE "id" IN (2, 3, 4, 5, 1)'
    )
    assert claimed in panel_sql(response, "default")


def test_step_2_product_page(demo):
    response = demo.get(f"/products/{KETTLE}/")
    assert response.context["page"].paginator.count == 25
    assert len(response.context["page"].object_list) == 20
    assert response.text.count('<span class="origin">snapshot</span>') == 20
    assert panel_counts(response) == {"default": 6 + BANNER_TIME, "snapshot": 4}


def test_step_3_editing_a_snapshot_row_copies_it_on_write(admin):
    listed = admin.get("/admin/products/product/")
    assert [row.origin for row in listed.context["page"]] == ["snapshot"] * 5
    edited, _, _ = edit_delete_add(admin)
    default = panel_sql(edited, "default", this_page=False)
    kept = default.index('INTO "products_productoriginal" ("id", "name", "description")')
    assert kept < default.index('UPDATE "products_product" SET')
    assert 'INSERT INTO "products_product" ("id"' in default
    assert "VALUES (1, " in default
    snapshot = panel_sql(edited, "snapshot", this_page=False)
    assert "INSERT" not in snapshot and "UPDATE" not in snapshot
    assert ("Pour-over kettle", "changed locally") in [
        (row.name, row.origin) for row in edited.context["page"]
    ]


def test_step_4_deleting_a_review_leaves_a_tombstone(admin):
    _, deleted, _ = edit_delete_add(admin)
    insert, ignore = (
        ("INSERT INTO", " ON CONFLICT DO NOTHING") if ON_POSTGRES else ("INSERT OR IGNORE INTO", "")
    )
    tombstone = (
        f'{insert} "shop_tombstone" ("model", "object_pk") VALUES (\'reviews.Review\', 2){ignore}'
    )
    assert tombstone in panel_sql(deleted, "default", this_page=False)
    assert admin.get(f"/products/{KETTLE}/").context["page"].paginator.count == 24


def test_step_5_a_new_review_gets_a_key_from_the_local_range(admin):
    _, _, added = edit_delete_add(admin)
    assert f"Your review was saved as review {NEW_REVIEW}" in added.text
    default = panel_sql(added, "default", this_page=False)
    if ON_POSTGRES:
        assert "SELECT nextval('shop_local_keys') FROM generate_series(1, 1)" in default
        assert f"VALUES ({NEW_REVIEW}, " in default
    else:
        assert "UPDATE sqlite_sequence SET seq = 1000000000000 WHERE name = 'reviews_review'" in (
            default
        )
        assert 'RETURNING "reviews_review"."id"' in default
    origins = {review.pk: review.origin for review in added.context["page"]}
    assert origins[NEW_REVIEW] == "local"
    assert set(origins.values()) == {"local", "snapshot"}


def test_step_6_tags_and_banner(admin):
    edit_delete_add(admin)
    response = admin.get("/")
    assert banner(response).endswith(" UTC, 3 local changes")
    assert '<td class="origin">changed locally</td>' in response.text
    assert panel_counts(response) == {"default": 7 + BANNER_TIME, "snapshot": 2}


def test_step_7_shadow_status_lists_each_change(admin):
    edit_delete_add(admin)
    output = StringIO()
    call_command("shadow_status", "-v", "2", stdout=output)
    assert output.getvalue().splitlines() == [
        "products.Product (overlay): 0 added, 1 changed, 0 deleted",
        "  changed 1: description 'A gooseneck kettle that pours a thin, steady stream.'"
        " -> 'Now in black.'",
        "reviews.Review (overlay): 1 added, 0 changed, 1 deleted",
        f"  added {NEW_REVIEW}: Review {NEW_REVIEW} of product 2",
        "  deleted 2",
        "reviews.Reviewer (snapshot): 0 added, 0 changed, 0 deleted",
    ]


def test_step_8_changes_are_in_default_and_the_snapshot_is_untouched(admin):
    before = snapshot_checksum()
    edit_delete_add(admin)
    assert read_outside("default", "SELECT id, description FROM products_product") == [
        (1, "Now in black.")
    ]
    assert read_outside("default", "SELECT model, object_pk FROM shop_tombstone") == [
        ("reviews.Review", 2)
    ]
    query = "SELECT description FROM products_product WHERE id = 1"
    assert read_outside("snapshot", query) == [
        ("A gooseneck kettle that pours a thin, steady stream.",)
    ]
    tables = connections["snapshot"].introspection.table_names()
    assert tables == ["products_product", "reviews_review", "reviews_reviewer"]
    assert snapshot_checksum() == before


def test_step_9_refreshing_the_snapshot_lists_the_conflicts(admin, tmp_path):
    edit_delete_add(admin)
    assert take(tmp_path, "later") == [
        "later.sqlite3: 50 rows from shop/fixtures/later.snapshot.json",
        f"snapshot: later.sqlite3 {copied()}",
        "conflict: products.Product 1 was changed locally, and production changed description",
        "conflict: reviews.Review 2 was deleted locally, and production changed text",
    ]
    response = admin.get("/")
    assert banner(response).endswith(" UTC, 3 local changes")
    assert "Pairs well with the burr grinder." in admin.get(f"/products/{DRIPPER}/").text
    assert "Now in black." in admin.get(f"/products/{KETTLE}/").text


def test_step_10_reset_shows_production_again(admin, tmp_path):
    edit_delete_add(admin)
    take(tmp_path, "later")
    action = {"action": "reset_to_snapshot", "index": "0", "_selected_action": [KETTLE]}
    reset = admin.post("/admin/products/product/", action, follow=True)
    assert "1 local row(s) discarded: the snapshot shows through." in reset.text
    kettle = admin.get(f"/products/{KETTLE}/")
    assert "A gooseneck kettle with a thermometer in the lid." in kettle.text
    assert kettle.context["product"].origin == "snapshot"
    output = StringIO()
    call_command("shadow_reset", interactive=False, stdout=output)
    assert output.getvalue().splitlines()[1] == (
        "reviews.Review: 1 local row(s) and 1 tombstone(s) discarded; the snapshot shows through"
    )
    assert banner(admin.get("/")).endswith(" UTC, 0 local changes")
    assert "(Edited: quieter after descaling.)" in admin.get("/reviews/2/").text


def test_the_snapshot_keeps_its_bytes_through_the_steps_that_do_not_refresh_it(admin):
    before = snapshot_checksum()
    edit_delete_add(admin)
    admin.get("/")
    call_command("shadow_status", "-v", "2", stdout=StringIO())
    call_command("shadow_reset", interactive=False, stdout=StringIO())
    assert snapshot_checksum() == before
