"""What a task queue's worker (Celery, RQ, Django's tasks) runs after a review is written.

The shop has no queue: the tests run each task in a thread of its own, after the write,
as a worker would. Nothing pins a worker: the writer's pin lives in a cookie and in the
request's context, and neither travels with the task, so a task that reads the review
through the router reads a replica that may not hold it yet. Queue it with
``transaction.on_commit(..., using="default")``, so it never runs before the write is
committed, and read the primary in it, or hand it the write's position, taken once the
write is committed, and read a replica that has replayed it (tests/test_tasks.py).
"""

from shop.causal import reads_after
from shop.pinning import use_primary

from .models import Review
from .summary import refresh


@use_primary()
def review_written(review_id):
    """Read the new review and refresh its product's cached summary, on the primary."""
    review = Review.objects.get(pk=review_id)
    refresh(review.product_id)
    return review


def review_read_after(review_id, position):
    """Read the new review on a replica that has replayed the write at ``position``, or,
    until one has, on the primary: the task queued with ``written_position()``."""
    with reads_after(position):
        return Review.objects.get(pk=review_id)
