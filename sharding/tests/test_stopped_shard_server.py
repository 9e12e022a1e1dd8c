"""On PostgreSQL each shard has a server of its own: one stopped (postgres/standby.sh stop
shard2) takes its shard's reviews away, and only those; the pages say which shard."""

import json
import time

import pytest
from django.db import connections

from common.db_status import CONNECT_TIMEOUT
from common.faults import server_stopped
from common.postgres import POOL
from common.testing import db_status

from .helpers import (
    EVERY_DATABASE,
    GRINDER_ON_SHARD2,
    KETTLE_ON_SHARD1,
    create_author,
    retry_time_comes,
    reviews_on_shard1_and_shard2,
)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True),
    pytest.mark.skipif(
        connections["shard2"].vendor != "postgresql",
        reason="shard2 on its own PostgreSQL server: DEMO_DATABASE=postgres",
    ),
]


@pytest.fixture
def reviews():
    return reviews_on_shard1_and_shard2()


def test_latest_reviews_name_the_stopped_shard_and_show_the_others(client, reviews):
    with server_stopped("shard2"):
        response = client.get("/reviews/")
    assert response.status_code == 200
    assert "shard2 is not available" in response.text
    assert [review.text for review in response.context["page"].reviews] == ["On one."]


def test_a_product_on_another_shard_is_served_as_usual(client, reviews):
    with server_stopped("shard2"):
        response = client.get(f"/products/{KETTLE_ON_SHARD1}/")
    assert [review.text for review in response.context["page"].object_list] == ["On one."]
    assert response.context["banners"] == []


def test_a_product_on_the_stopped_shard_says_so(client, reviews):
    with server_stopped("shard2"):
        response = client.get(f"/products/{GRINDER_ON_SHARD2}/")
    assert response.status_code == 200
    assert "shard2 is not available: the reviews of Burr grinder" in response.text


def test_its_reviews_are_back_once_the_server_is(client, reviews):
    with server_stopped("shard2"):
        client.get(f"/products/{GRINDER_ON_SHARD2}/")
    retry_time_comes()  # SHARD_RETRY_SECONDS later: the shard is asked again
    response = client.get(f"/products/{GRINDER_ON_SHARD2}/")
    assert [review.text for review in response.context["page"].object_list] == ["On two."]


def test_a_second_write_to_the_stopped_shard_is_refused_at_once(client, reviews):
    """The first write waits the pool's timeout (3 s) and finds the shard down; the next,
    remembered, is refused without a wait, and the worker is free for the other shards."""
    client.force_login(create_author("bob"))
    data = {"product_id": GRINDER_ON_SHARD2, "text": "Lost?"}
    with server_stopped("shard2"):
        client.post("/reviews/new/", data)
        started = time.monotonic()
        response = client.post("/reviews/new/", data)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "Your review was not saved: shard2 is not available" in response.text
    assert elapsed < POOL["timeout"] / 10


def test_a_fan_out_page_skips_the_stopped_shard_at_once_once_remembered(client, reviews):
    with server_stopped("shard2"):
        client.get("/")
        started = time.monotonic()
        response = client.get("/reviews/")
        elapsed = time.monotonic() - started
    assert [review.text for review in response.context["page"].reviews] == ["On one."]
    assert elapsed < POOL["timeout"] / 10


def test_db_status_names_the_stopped_server_down_within_one_call(reviews):
    """`manage.py db_status` reaches every server once: the stopped one is "down" within
    the connect timeout, and the call exits 1: degraded, the other shards serve."""
    with server_stopped("shard2"):
        started = time.monotonic()
        output, code = db_status("--format", "json")
        elapsed = time.monotonic() - started
    status = {report["alias"]: report["up"] for report in json.loads(output)["aliases"]}
    assert code == 1
    assert elapsed < CONNECT_TIMEOUT + 2
    assert status == {alias: alias != "shard2" for alias in connections}


@pytest.mark.parametrize("setting, bound", [("statement_timeout", "5s"), ("lock_timeout", "1s")])
def test_each_shard_connection_bounds_its_statements(setting, bound):
    """The bounds every PostgreSQL alias sends (BOUNDS, common/postgres.py): a shard that is
    up but stuck, or a row locked on it, holds a worker 5 s, or 1 s, at most."""
    with connections["shard2"].cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        assert cursor.fetchone() == (bound,)
