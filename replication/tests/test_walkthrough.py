"""The README's "Try it" steps, replayed on the demo fixture: each shows what it claims.

Transactional, with sequences reset, so ids match the README's and the replicas can be
read from outside, as step 5 does with the sqlite3 shell (or psql).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.test import Client

from common.faults import read_outside
from common.sqlite import database_file
from common.testing import panel_counts, panel_sql
from reviews.models import Review

from .helpers import (
    ALIASES,
    make_replica_lag,
    panel_notes,
    refused,
    replicate,
    retry_time_comes,
    sqlite_only,
)

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True, reset_sequences=True),
    pytest.mark.usefixtures("replicas"),
]
KETTLE, GRINDER = 1, 2
REPLICAS = {"replica1", "replica2"}


@pytest.fixture
def demo(client):
    """What `setup_demo` leaves: the fixture on the primary, admin / admin, one copy."""
    call_command("loaddata", "demo", database="default", verbosity=0)
    get_user_model().objects.create_superuser("admin", "admin@example.com", "admin")
    replicate()
    return client


@pytest.fixture
def admin(demo):
    assert demo.login(username="admin", password="admin")
    return demo


def served_by(response):
    [served] = [alias for alias in REPLICAS if panel_counts(response)[alias] > 1]
    return served


def write_review(client, text="Quiet and even."):
    data = {"product_id": GRINDER, "rating": "5", "text": text}
    return client.post("/reviews/new/", data, follow=True)


def shown(response):
    return [review.pk for review in response.context["page"].object_list]


def test_step_1_product_list_is_read_from_one_replica_and_both_heartbeats(demo):
    response = demo.get("/")
    served = served_by(response)
    [other] = REPLICAS - {served}
    assert panel_counts(response) == {served: 3, other: 1, "default": 0}
    assert panel_notes(response, served)[0].startswith("serves the reads; its copy is ")
    assert panel_notes(response, other)[0].startswith("usable (copy ")
    assert '"shop_heartbeat"' in panel_sql(response, other)
    assert served_by(demo.get("/")) == other  # reload: the replicas take turns


@pytest.mark.parametrize("page", [1, 2])
def test_step_2_product_page_reads_authors_from_the_primary(demo, page):
    response = demo.get(f"/products/{KETTLE}/?page={page}")
    served = served_by(response)
    [other] = REPLICAS - {served}
    assert response.context["page"].paginator.count == 25
    assert panel_counts(response) == {served: 4, other: 1, "default": 1}
    assert '"auth_user"."id" IN (' in panel_sql(response, "default")


def test_step_3_the_writer_sees_the_review_on_the_primary(admin):
    response = write_review(admin)
    assert "Your review was saved as review 41" in response.text
    assert 41 in shown(response)
    assert 'INSERT INTO "reviews_review"' in panel_sql(response, "default", this_page=False)
    assert panel_notes(response, "default")[0].startswith(
        "serves the reads: pinned here after your write, until "
    )
    assert {alias: panel_counts(response)[alias] for alias in REPLICAS} == dict.fromkeys(
        REPLICAS, 0
    )


def test_step_4_another_visitor_sees_it_only_after_the_next_copy(admin):
    write_review(admin)
    visitor = Client()
    assert 41 not in shown(visitor.get(f"/products/{GRINDER}/"))
    replicate()
    assert 41 in shown(visitor.get(f"/products/{GRINDER}/"))


def test_step_5_the_review_reached_the_replica_file_which_refuses_writes(admin):
    write_review(admin)
    replicate()
    query = "SELECT id, product_id, author_id, rating FROM reviews_review WHERE id = 41"
    assert read_outside("replica1", query) == [(41, 2, 5, 5)]
    with refused():
        Review.objects.using("replica1").filter(pk=41).update(rating=1)


def test_step_6_replicas_too_far_behind_are_skipped_for_the_primary(demo):
    for alias in REPLICAS:
        make_replica_lag(alias, 31.5)
    response = demo.get("/")
    for alias in REPLICAS:
        [note] = panel_notes(response, alias)
        assert note.startswith("skipped: its copy is 31.")
        assert note.endswith(" s old, over REPLICA_MAX_LAG_SECONDS (30)")
    assert panel_notes(response, "default") == ["serves the reads: no replica is usable"]
    replicate()
    assert served_by(demo.get("/")) in REPLICAS


@sqlite_only  # on PostgreSQL: the standby drill in test_losing_a_replica.py
def test_step_7_a_lost_replica_is_skipped_until_the_next_copy(demo):
    connections["replica2"].close()
    database_file("replica2").unlink()
    notes = []
    for _ in range(3):
        response = demo.get("/")
        assert response.status_code == 200
        assert served_by(response) == "replica1"
        notes += panel_notes(response, "replica2")
    assert notes[0] == "skipped: it cannot be read: unable to open database file"
    assert all(note.startswith("skipped: down since ") for note in notes[1:])
    replicate()
    retry_time_comes()  # REPLICA_RETRY_SECONDS later
    assert {served_by(demo.get("/")) for _ in range(2)} == REPLICAS


def test_step_8_the_admin_shows_the_new_review_at_once_from_the_primary(admin):
    write_review(admin)
    admin.cookies.pop("replication_pin")  # the pin is not what makes the admin fresh
    response = admin.get("/admin/reviews/review/")
    assert '<a href="/admin/reviews/review/41/change/">41</a>' in response.text
    assert {alias: panel_counts(response)[alias] for alias in REPLICAS} == dict.fromkeys(
        REPLICAS, 0
    )
