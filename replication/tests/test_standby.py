"""On PostgreSQL each replica is a real hot standby of its own: it streams by itself, and a
stale read is made certain by pausing its replay, never by hoping for natural lag."""

import pytest
from django.db import connections

from common.faults import server_stopped
from reviews.models import Review

from .helpers import (
    ALIASES,
    ON_POSTGRES,
    create_author,
    create_product,
    create_review,
    panel_notes,
    retry_time_comes,
    standby_catch_up,
    standby_resume,
    standby_session,
)

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="a real standby: DEMO_DATABASE=postgres"),
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),  # the standby holds still until told otherwise
]


def test_while_replay_is_paused_a_new_review_is_missing_on_the_standby():
    review = create_review(create_product(), create_author())
    assert Review.objects.using("default").filter(pk=review.pk).exists()
    assert not Review.objects.using("replica1").filter(pk=review.pk).exists()


def test_streaming_alone_brings_it_once_replay_resumes():
    """No `replicate`: the standby replays the primary's WAL as it arrives."""
    review = create_review(create_product(), create_author())
    standby_catch_up()  # resume, wait for the primary's WAL position, pause again
    assert Review.objects.using("replica2").get(pk=review.pk).text == review.text


def test_replay_pause_is_what_holds_the_standby():
    with standby_session("replica1") as standby:
        state = standby.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0]
    assert state in {"paused", "pause requested"}
    standby_resume()
    with standby_session("replica1") as standby:
        state = standby.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0]
    assert state == "not paused"


def test_each_replica_streams_from_the_primary_through_its_own_slot():
    """Two standbys, two replication slots on the primary, both in use."""
    with connections["default"].cursor() as primary:
        primary.execute("SELECT slot_name, active FROM pg_replication_slots ORDER BY 1")
        assert primary.fetchall() == [("replica1", True), ("replica2", True)]


def test_with_one_standby_stopped_the_other_serves_and_the_panel_names_it(client):
    """`postgres/standby.sh stop replica2` while the site runs: pages come from replica1,
    and the panel says why replica2 was skipped."""
    product = create_product()
    create_review(product, create_author(), text="Replicated.")
    standby_catch_up()
    with server_stopped("replica2"):
        for _ in range(2):
            response = client.get(f"/products/{product.pk}/")
            assert response.context["product"]._state.db == "replica1"
        [note] = panel_notes(response, "replica2")
        assert note.startswith("skipped: down since ")


def test_a_stopped_standby_serves_again_once_started_and_its_retry_is_due(client):
    product = create_product()
    standby_catch_up()
    with server_stopped("replica2"):
        client.get(f"/products/{product.pk}/")  # replica2 is found down, and remembered
    standby_catch_up()
    retry_time_comes()  # REPLICA_RETRY_SECONDS later: the replicas are asked again
    databases = {
        client.get(f"/products/{product.pk}/").context["product"]._state.db for _ in range(2)
    }
    assert databases == {"replica1", "replica2"}
