"""What a task queue's worker (Celery, RQ, Django's tasks) runs after a review is written.

The shop has no queue: the tests run each task in a thread of its own, after the write,
as a worker would. Nothing pins a worker: the writer's pin lives in a cookie and in the
request's context, and neither travels with the task, so a task that reads the review
through the router reads a replica that may not hold it yet. Queue it with
``transaction.on_commit(..., using="default")``, so it never runs before the write is
committed, and read the primary in it (tests/test_tasks.py).
"""

from shop.pinning import use_primary

from .models import Review
from .summary import refresh


@use_primary()
def review_written(review_id):
    """Read the new review and refresh its product's cached summary, on the primary."""
    review = Review.objects.get(pk=review_id)
    refresh(review.product_id)
    return review
