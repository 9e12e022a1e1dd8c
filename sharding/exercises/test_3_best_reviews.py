"""Exercise 3: a top-N of rows, merged from each shard's own top N."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from tests.helpers import EVERY_DATABASE, SHARDS, create_author, create_review, product_on

from reviews import shards
from reviews.models import Review

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


@pytest.fixture
def reviews():
    """Ratings 1 to 5, twice, on each of shard1 to shard3."""
    author = create_author()
    for shard in SHARDS[:3]:
        product = product_on(shard)[0]
        for rating in [1, 2, 3, 4, 5] * 2:
            create_review(product, author, rating=rating)


def every_review():
    return [review for shard in SHARDS for review in Review._base_manager.using(shard)]


def best(n):
    assert hasattr(shards, "best_reviews"), "reviews/shards.py has no best_reviews()"
    return list(shards.best_reviews(shards.FanOut(), n))


def test_the_best_reviews_of_every_shard(reviews):
    """The 5 best: the highest ratings of all shards, the newest id first among equals."""
    ranked = sorted(every_review(), key=lambda review: (-review.rating, -review.pk))
    assert [review.pk for review in best(5)] == [review.pk for review in ranked[:5]]


def test_each_shard_sends_at_most_n_rows(reviews):
    """Each shard's query has a LIMIT of n: it never sends all its reviews."""
    with CaptureQueriesContext(connections["shard1"]) as shard1:
        best(4)
    assert len(shard1) == 1
    assert "LIMIT 4" in shard1[0]["sql"]
