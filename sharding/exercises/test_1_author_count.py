"""Exercise 1: a number that needs every shard, an author's count of reviews."""

from contextlib import ExitStack

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from tests.helpers import EVERY_DATABASE, SHARDS, create_author, create_review, product_on

from reviews import shards
from reviews.models import Review

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


@pytest.fixture
def alice():
    """alice reviews a product on each of shard1 to shard3; bob one on shard1."""
    alice, bob = create_author("alice"), create_author("bob")
    for shard in SHARDS[:3]:
        create_review(product_on(shard)[0], alice)
    create_review(product_on("shard1")[0], bob)
    return alice


def count(author):
    assert hasattr(shards, "review_count_by_author"), "reviews/shards.py has no such function"
    return shards.review_count_by_author(shards.FanOut(), author.pk)


def test_the_count_adds_up_every_shard(alice):
    """alice's three reviews, one on each of three shards, count 3."""
    assert count(alice) == 3


def test_each_shard_is_asked_once(alice):
    """One query on each shard that holds buckets, however many reviews it has."""
    with ExitStack() as stack:
        captured = {
            shard: stack.enter_context(CaptureQueriesContext(connections[shard]))
            for shard in SHARDS
        }
        count(alice)
    asked = {shard for shard, capture in captured.items() if len(capture)}
    assert all(len(captured[shard]) == 1 for shard in asked)
    assert asked == set(shards.FanOut().by_shard)


def test_a_copy_left_on_another_shard_is_not_counted(alice):
    """A row of a bucket the map gives another shard (a move's copy) is counted once."""
    review = Review._base_manager.using("shard1").filter(author_id=alice.pk).get()
    Review._base_manager.using("shard2").bulk_create([review])
    assert count(alice) == 3
