"""A lost shard: fan-out pages show the rest and name it; writes to it fail cleanly.

On SQLite the site's shards open with "?mode=rw", so a missing file cannot be opened
(see test_commands.py); on PostgreSQL a database that is gone cannot be connected to.
database_missing() takes a test database away either way, and gives it back.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils.html import escape

from common.faults import database_missing, missing_database_error, postgres_session
from common.testing import panel_alias, panel_sql
from shop.ids import allocator
from shop.models import Bucket
from shop.sharding import bucket_for_product, review_id

from .helpers import (
    EVERY_DATABASE,
    GRINDER_ON_SHARD2,
    KETTLE_ON_SHARD1,
    ON_POSTGRES,
    create_author,
    holders,
    retry_time_comes,
    reviews_on_shard1_and_shard2,
    rows_per_shard,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True)]


@pytest.fixture
def reviews():
    return reviews_on_shard1_and_shard2()


def test_product_list_names_the_missing_shard_and_counts_the_rest(client, reviews, tmp_path):
    with database_missing("shard2", tmp_path):
        response = client.get("/")
    assert response.status_code == 200
    assert "shard2 is not available" in response.text
    stats = {p.pk: p.stats["count"] for p in response.context["products"]}
    assert stats == {KETTLE_ON_SHARD1: 1, GRINDER_ON_SHARD2: None}  # unknown, not 0


def test_latest_reviews_show_the_other_shards_rows(client, reviews, tmp_path):
    with database_missing("shard2", tmp_path):
        response = client.get("/reviews/")
    assert "On one." in response.text
    assert "On two." not in response.text
    assert missing_database_error("shard2") in panel_sql(response, "shard2")


def test_a_product_on_a_healthy_shard_shows_as_usual(client, reviews, tmp_path):
    with database_missing("shard2", tmp_path):
        response = client.get(f"/products/{KETTLE_ON_SHARD1}/")
    assert "On one." in response.text
    assert response.context["banners"] == []


def test_a_product_on_the_missing_shard_says_so(client, reviews, tmp_path):
    with database_missing("shard2", tmp_path):
        response = client.get(f"/products/{GRINDER_ON_SHARD2}/")
    assert response.status_code == 200
    assert "shard2 is not available: the reviews of Burr grinder cannot be shown" in response.text


def test_a_product_on_the_missing_shard_shows_no_count_and_no_empty_list(client, reviews, tmp_path):
    """Never "Reviews (0)" and "No reviews yet." under the banner: the count is unknown."""
    with database_missing("shard2", tmp_path):
        response = client.get(f"/products/{GRINDER_ON_SHARD2}/")
    assert response.context["page"] is None
    assert "No reviews yet." not in response.text
    assert "Reviews (0)" not in response.text


def test_a_write_to_the_missing_shard_fails_and_writes_nothing(client, reviews, tmp_path):
    client.force_login(create_author("bob"))
    data = {"product_id": GRINDER_ON_SHARD2, "text": "Lost?"}
    with database_missing("shard2", tmp_path):
        response = client.post("/reviews/new/", data)
    assert response.status_code == 503
    assert "Your review was not saved: shard2 is not available" in response.text
    assert rows_per_shard() == {"shard1": 1, "shard2": 1, "shard3": 0, "shard4": 0}


def test_the_panel_marks_the_shard_a_refused_write_could_not_reach(client, reviews, tmp_path):
    """Beside "Your review was not saved", the panel marks the shard failed, as the 503
    page's panel does, not "not touched"."""
    client.force_login(create_author("bob"))
    data = {"product_id": GRINDER_ON_SHARD2, "text": "Lost?"}
    with database_missing("shard2", tmp_path):
        response = client.post("/reviews/new/", data)
    assert panel_alias(response, "shard2")["state"] == "failed"


def test_a_failed_write_leaves_only_a_gap_in_the_ids(client, reviews, tmp_path):
    """The id's ticket was taken before the shard failed: it is skipped, never reused."""
    client.force_login(create_author("bob"))
    ticket = allocator.next
    with database_missing("shard2", tmp_path):
        client.post("/reviews/new/", {"product_id": GRINDER_ON_SHARD2, "text": "Lost?"})
    assert allocator.next == ticket + 1
    assert holders(review_id(ticket, bucket_for_product(GRINDER_ON_SHARD2))) == []


def test_nothing_is_lost_once_the_database_is_back(client, reviews, tmp_path):
    with database_missing("shard2", tmp_path):
        client.get("/")
    retry_time_comes()  # SHARD_RETRY_SECONDS later: the shard is asked again
    response = client.get("/reviews/")
    assert "On one." in response.text and "On two." in response.text
    assert response.context["banners"] == []


def test_the_503_panel_names_the_shard_that_failed(client, reviews, tmp_path):
    """The 503 page says the database panel marks the one that failed: it does, under it."""
    with database_missing("shard2", tmp_path):
        response = client.get(f"/reviews/{reviews[1].pk}/")
    assert response.status_code == 503
    assert missing_database_error("shard2") in panel_sql(response, "shard2")
    assert "failed" not in panel_sql(response, "shard1")


def test_the_503_page_says_to_put_a_lost_database_back(client, reviews, tmp_path):
    """Never "run setup_demo to create it again": an empty database would hide the loss."""
    with database_missing("shard2", tmp_path):
        response = client.get(f"/reviews/{reviews[1].pk}/")
    assert "put it back" in response.text
    assert "to create it again" not in response.text


def test_missing_default_database_answers_503_for_a_logged_in_user(client, tmp_path):
    """The session, the user and the bucket map live on "default": losing it is named."""
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        response = client.get("/reviews/new/")
    assert response.status_code == 503
    assert escape(missing_database_error("default")) in response.text


@pytest.mark.skipif(not ON_POSTGRES, reason="on SQLite, test_commands.py loses a shard file")
def test_a_lost_database_is_not_created_again(client, reviews, tmp_path):
    """PostgreSQL creates no database on connect: what "?mode=rw" gives SQLite, built in."""
    name = connections["shard2"].settings_dict["NAME"]
    with database_missing("shard2", tmp_path):
        response = client.get("/")
        with postgres_session("shard2", "postgres") as db:
            found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            created = found.fetchall()
    assert "shard2 is not available" in response.text
    assert created == []


def test_reshard_refuses_a_new_shard_that_cannot_be_opened(reviews, tmp_path):
    """Checked before any bucket is marked: a mark would refuse the bucket's writes."""
    with database_missing("shard4", tmp_path), pytest.raises(CommandError) as raised:
        call_command("reshard", stdout=StringIO())
    assert str(raised.value).startswith("shard4 cannot take buckets (")
    assert not Bucket.objects.exclude(moving_to="").exists()
