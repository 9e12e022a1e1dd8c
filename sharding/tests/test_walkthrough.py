"""The README's "Try it" steps and traps, replayed on the demo fixtures.

Transactional, with sequences reset, so ids match the README's and the databases can
be read from outside, as step 5 does with the sqlite3 shell (or psql).
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections

from common.faults import database_missing, missing_database_error, read_outside
from common.testing import panel_alias, panel_counts, panel_sql
from reviews.models import Review
from shop.sharding import WrongShard

from .helpers import (
    EVERY_DATABASE,
    NOT_TOUCHED,
    admin_review_form,
    holders,
    retry_time_comes,
)

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True, reset_sequences=True)
KETTLE, GRINDER, CUPS = 1, 2, 5


@pytest.fixture
def demo(client):
    """What `setup_demo` leaves: each fixture in its database, and admin / admin."""
    for alias in ["default", "tickets", "shard1", "shard2", "shard3"]:
        call_command("loaddata", "demo", database=alias, verbosity=0)
    get_user_model().objects.create_superuser("admin", "admin@example.com", "admin")
    return client


@pytest.fixture
def admin(demo):
    assert demo.login(username="admin", password="admin")
    return demo


def write_review(client, product=GRINDER, text="Quiet and even."):
    data = {"product_id": product, "rating": "5", "text": text}
    return client.post("/reviews/new/", data, follow=True)


def manage(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_step_1_product_list_asks_each_shard_with_buckets_once(demo):
    response = demo.get("/")
    assert panel_counts(response) == NOT_TOUCHED | {
        "default": 2,
        "tickets": 0,
        "shard1": 1,
        "shard2": 1,
        "shard3": 1,
        "shard4": 0,
    }
    assert "GROUP BY" in panel_sql(response, "shard1")
    assert '"bucket" IN (0, 1, 2,' in panel_sql(response, "shard1")


@pytest.mark.parametrize("page", [1, 2])
def test_step_2_product_page_asks_one_shard(demo, page):
    response = demo.get(f"/products/{KETTLE}/?page={page}")
    assert "Every review of this product is on <code>shard1</code>" in response.text
    assert response.context["page"].paginator.count == 25
    assert panel_counts(response) == NOT_TOUCHED | {"default": 3, "shard1": 2}


def test_step_3_latest_reviews_older_page_equals_one_database(demo):
    older = demo.get("/reviews/").context["older_url"]
    response = demo.get(older)
    assert panel_counts(response) == NOT_TOUCHED | {
        "default": 3,
        "tickets": 0,
        "shard1": 1,
        "shard2": 1,
        "shard3": 1,
        "shard4": 0,
    }
    assert "LIMIT 21" in panel_sql(response, "shard2")
    reference = sorted(
        (r for shard in ["shard1", "shard2", "shard3"] for r in Review.objects.using(shard)),
        key=lambda r: (r.created, r.pk),
        reverse=True,
    )
    assert list(response.context["page"].reviews) == reference[20:40]


def test_step_4_written_review_takes_a_block_of_tickets_then_lands_on_shard2(admin):
    response = write_review(admin)
    assert "Your review was saved as review 2499 on shard2." in response.text
    tickets = panel_sql(response, "tickets", this_page=False)
    assert '"next" = ("shop_ticket"."next" + 100)' in tickets
    last_on_default = panel_alias(response, "default", this_page=False)["statements"][-1]
    assert 'NOT ("shop_bucket"."moving_to" = \'\' AND' in last_on_default["sql"]
    assert 'INSERT INTO "reviews_review"' in panel_sql(response, "shard2", this_page=False)


def test_step_5_the_review_is_in_shard2s_database_only(admin):
    write_review(admin)
    query = "SELECT id, bucket, product_id, rating FROM reviews_review WHERE id = 2499"
    assert read_outside("shard2", query) == [(2499, 39, 2, 5)]
    count = "SELECT COUNT(*) FROM reviews_review WHERE id = 2499"
    assert read_outside("shard1", count) == [(0,)]
    bucket = "SELECT number, shard FROM shop_bucket WHERE number = 39"
    assert read_outside("default", bucket) == [(39, "shard2")]
    assert read_outside("tickets", "SELECT name, next FROM shop_ticket") == [("reviews", 141)]


def test_step_5_the_review_page_asks_one_shard(admin):
    write_review(admin)
    admin.logout()
    response = admin.get("/reviews/2499/")
    assert "Bucket 39 (review id 2499 mod 60), stored on <code>shard2</code>" in response.text
    assert panel_counts(response) == NOT_TOUCHED | {"default": 3, "shard2": 1}


def steps_4_and_6(client):
    """The review of step 4, then step 6's seed: what steps 7 to 10 start from."""
    write_review(client)
    return manage("seed_reviews", "--count", "100000", "--seed", "1")


def test_steps_6_to_8_seed_look_and_reshard(admin):
    assert "reviews: 100000/100000 (100%)" in steps_4_and_6(admin)
    stats = manage("shard_stats").splitlines()
    assert stats[:7] == [
        "shard1: 20 buckets,    35940 reviews",
        "shard2: 20 buckets,    33430 reviews",
        "shard3: 20 buckets,    30671 reviews",
        "shard4:  0 buckets,        0 reviews",
        "total: 100041 reviews",
        "bucket  shard   reviews",
        "     0  shard1     1200",
    ]
    planned = manage("reshard", "--dry-run").splitlines()
    assert planned[0] == "[1/15] bucket 5: shard1 → shard4: would move 1646 rows"
    done = manage("reshard").splitlines()
    assert (
        done[0]
        == "[1/15] bucket 5: shard1 → shard4: 1646 rows copied, verified, switched, 1646 deleted"
    )
    assert (
        done[-1]
        == "[15/15] bucket 58: shard3 → shard4: 1556 rows copied, verified, switched, 1556 deleted"
    )
    after = manage("shard_stats").splitlines()
    assert after[:5] == [
        "shard1: 15 buckets,    25010 reviews",
        "shard2: 15 buckets,    25009 reviews",
        "shard3: 15 buckets,    25010 reviews",
        "shard4: 15 buckets,    25012 reviews",
        "total: 100041 reviews",
    ]


@pytest.mark.skipif(
    len({connections[alias].vendor for alias in EVERY_DATABASE}) > 1,
    reason="an online move needs both shards on one engine",
)
def test_step_8_online_the_same_moves_refusing_writes_for_the_switch_only(admin):
    steps_4_and_6(admin)
    done = manage("reshard", "--online").splitlines()
    first, refused = done[0].split(", writes refused ")
    assert (
        first == "[1/15] bucket 5: shard1 → shard4: 1646 rows copied, 0 changes caught up, verified"
    )
    assert refused.endswith(" ms, switched, 1646 deleted (online)")
    assert manage("shard_stats").splitlines()[3] == "shard4: 15 buckets,    25012 reviews"


def test_step_8_the_grinder_moved_to_shard4_with_its_ids(admin):
    steps_4_and_6(admin)
    manage("reshard")
    assert "on <code>shard4</code>" in admin.get(f"/products/{GRINDER}/").text
    query = "SELECT id, bucket FROM reviews_review WHERE id = 2499"
    assert read_outside("shard4", query) == [(2499, 39)]
    assert read_outside("shard2", query) == []
    assert panel_counts(admin.get("/"))["shard4"] == 1
    assert "Nothing to move" in manage("reshard")


def test_step_9_a_lost_shard_is_named_and_the_rest_is_shown(admin, tmp_path):
    manage("reshard")
    with database_missing("shard3", tmp_path):
        listing = admin.get("/")
        kettle = admin.get(f"/products/{KETTLE}/")
        cups = admin.get(f"/products/{CUPS}/")
        written = admin.post("/reviews/new/", {"product_id": CUPS, "text": "Lost?"})
    assert (
        "shard3 is not available: the reviews it holds are missing from this page." in listing.text
    )
    assert {p.pk: p.stats["count"] for p in listing.context["products"]}[CUPS] is None
    error = missing_database_error("shard3")
    assert error in panel_sql(listing, "shard3")
    assert kettle.context["page"].paginator.count == 25
    assert "shard3 is not available: the reviews of Espresso cups cannot be shown." in cups.text
    assert written.status_code == 503
    # The listing found shard3 down: this process does not ask it again for a while.
    not_saved = "Your review was not saved: shard3 is not available (shard3 is not asked again"
    assert not_saved in written.text
    retry_time_comes()  # SHARD_RETRY_SECONDS later
    assert {p.pk: p.stats["count"] for p in admin.get("/").context["products"]}[CUPS] == 1


def test_step_10_admin_browses_one_shard_and_edits_where_the_review_is(admin):
    steps_4_and_6(admin)
    manage("reshard")
    listing = admin.get("/admin/reviews/review/")
    assert "shard1 (15 buckets)" in listing.text
    assert {r._state.db for r in listing.context["cl"].result_list} == {"shard1"}
    page = admin.get("/admin/reviews/review/2499/change/")
    assert page.context["adminform"].form.fields["product_id"].disabled
    form = admin_review_form(product_id=GRINDER, author_id=5, rating="4", text="Changed.")
    changed = admin.post("/admin/reviews/review/2499/change/", form, follow=True)
    assert 'UPDATE "reviews_review"' in panel_sql(changed, "shard4", this_page=False)
    assert "django_admin_log" in panel_sql(changed, "default", this_page=False)
    deleted = admin.post("/admin/reviews/review/2499/delete/", {"post": "yes"}, follow=True)
    assert 'DELETE FROM "reviews_review"' in panel_sql(deleted, "shard4", this_page=False)
    assert holders(2499) == []


def test_trap_a_query_without_a_shard_key_names_the_fix(demo):
    with pytest.raises(WrongShard) as refused:
        Review.objects.count()
    assert str(refused.value).startswith("Reviews live on the shards, and this query gives")
    routed = Review.objects.for_product(GRINDER).create(product_id=GRINDER, author_id=1, text="x")
    saved = Review(product_id=GRINDER, author_id=1, text="x")
    saved.save()
    assert holders(routed.pk) == holders(saved.pk) == ["shard2"]
