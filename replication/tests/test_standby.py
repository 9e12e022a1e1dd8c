"""On PostgreSQL the replicas are a real hot standby: it streams by itself, and a stale
read is made certain by pausing its replay, never by hoping for natural lag."""

import pytest

from reviews.models import Review

from .helpers import (
    ALIASES,
    ON_POSTGRES,
    create_author,
    create_product,
    create_review,
    retry_time_comes,
    standby_catch_up,
    standby_resume,
    standby_session,
    standby_stopped,
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
    with standby_session() as standby:
        state = standby.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0]
    assert state in {"paused", "pause requested"}
    standby_resume()
    with standby_session() as standby:
        state = standby.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0]
    assert state == "not paused"


def test_with_the_standby_stopped_the_primary_serves_and_then_it_is_back(client):
    product = create_product()
    create_review(product, create_author(), text="Replicated.")
    standby_catch_up()
    with standby_stopped():
        response = client.get(f"/products/{product.pk}/")
        assert response.status_code == 200
        assert response.context["product"]._state.db == "default"
    standby_catch_up()
    retry_time_comes()  # REPLICA_RETRY_SECONDS later: the replicas are asked again
    response = client.get(f"/products/{product.pk}/")
    assert response.context["product"]._state.db in {"replica1", "replica2"}
