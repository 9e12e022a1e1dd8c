"""A task queued after a write runs in a worker that nothing pins: it must read the
primary, or be handed the write's position, and be queued only once the write is
committed."""

import pytest
from django.db import transaction

from reviews.models import Review
from reviews.tasks import review_read_after, review_written
from shop.causal import written_position

from .helpers import ALIASES, create_author, create_review, in_another_thread, replicate

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@pytest.fixture
def review(client, product):
    """A review written by a request, as the site writes one: on the primary only."""
    client.force_login(create_author("alice"))
    client.post("/reviews/new/", {"product_id": product.pk, "rating": "5", "text": "New."})
    return Review.objects.using("default").get()


def test_a_task_that_reads_through_the_router_reads_a_lagging_replica(review):
    """The stale read most teams first meet in a Celery task: the writer's pin stayed
    with the writer."""
    found = in_another_thread(lambda: Review.objects.filter(pk=review.pk).exists())
    assert found is False


def test_the_review_written_task_reads_the_primary(review):
    assert in_another_thread(lambda: review_written(review.pk))._state.db == "default"


def test_a_task_queued_inside_the_transaction_may_run_before_the_commit(product):
    """Even the primary does not show a worker a row its transaction has not committed."""
    with transaction.atomic(using="default"):
        review = create_review(product, create_author())
        with pytest.raises(Review.DoesNotExist):
            in_another_thread(lambda: review_written(review.pk))


def test_on_commit_queues_the_task_once_the_write_is_committed(product):
    ran = []
    with transaction.atomic(using="default"):
        review = create_review(product, create_author())
        queue = lambda: ran.append(in_another_thread(lambda: review_written(review.pk)))  # noqa: E731
        transaction.on_commit(queue, using="default")
        assert ran == []
    assert ran[0]._state.db == "default"


@pytest.fixture
def queued(product):
    """A review written in a transaction, and the position a task queued on its commit is
    handed (taken after the commit, as on_commit runs it)."""
    handed = []
    with transaction.atomic(using="default"):
        review = create_review(product, create_author())
        transaction.on_commit(lambda: handed.append(written_position()), using="default")
    return review, handed[0]


def test_a_task_handed_the_position_reads_the_primary_until_a_replica_has_it(queued):
    review, position = queued
    read = in_another_thread(lambda: review_read_after(review.pk, position))
    assert read._state.db == "default"


def test_a_task_handed_the_position_reads_a_replica_once_it_has_replayed_it(queued):
    review, position = queued
    replicate()
    read = in_another_thread(lambda: review_read_after(review.pk, position))
    assert read._state.db in {"replica1", "replica2"}
