"""A cache refilled from a lagging replica keeps the stale value for its whole timeout;
a write refreshes it from the primary instead (Django's local-memory cache)."""

import pytest
from django.core.cache import cache

from reviews.summary import refresh, summary

from .helpers import ALIASES, create_author, create_review, in_another_thread, replicate

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def written_elsewhere(product):
    """A review written by another thread: on the primary only, and this one not pinned."""
    in_another_thread(lambda: create_review(product, create_author(), rating=5))


def test_a_summary_refilled_from_a_lagging_replica_stays_stale_after_it_catches_up(product):
    written_elsewhere(product)
    assert summary(product.pk)["count"] == 0  # a replica, before the copy
    replicate()
    assert summary(product.pk)["count"] == 0  # the replica has it; the cache does not


def test_refresh_after_a_write_caches_the_primarys_summary(product):
    written_elsewhere(product)
    refresh(product.pk)
    assert summary(product.pk) == {"count": 1, "average": 5.0}
