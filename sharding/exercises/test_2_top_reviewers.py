"""Exercise 2: a top-N over every shard, where each shard's own top N is not enough."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from tests.helpers import EVERY_DATABASE, create_author, create_review, product_on

from reviews import shards

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


@pytest.fixture
def authors():
    """bob has 3 reviews on shard1, carol 3 on shard2, alice 2 on each: 4 in all."""
    alice, bob, carol = (create_author(name) for name in ["alice", "bob", "carol"])
    one, two = product_on("shard1")[0], product_on("shard2")[0]
    for author, product, times in [
        (bob, one, 3),
        (carol, two, 3),
        (alice, one, 2),
        (alice, two, 2),
    ]:
        for _ in range(times):
            create_review(product, author)
    return alice, bob, carol


def top(n):
    assert hasattr(shards, "top_reviewers"), "reviews/shards.py has no top_reviewers()"
    return shards.top_reviewers(shards.FanOut(), n)


def test_the_top_reviewer_overall_is_first_on_no_shard(authors):
    """alice, second on each shard, is first overall with 4 reviews."""
    alice, _, _ = authors
    assert top(1) == [(alice.pk, 4)]


def test_the_list_is_cut_to_n_most_first(authors):
    """top_reviewers(fanout, 3): three (author, count) pairs, most first."""
    alice, bob, carol = authors
    found = top(3)
    assert found[0] == (alice.pk, 4)
    assert sorted(found[1:]) == sorted([(bob.pk, 3), (carol.pk, 3)])


def test_each_shard_is_asked_once(authors):
    """One query a shard, however many authors it has."""
    with CaptureQueriesContext(connections["shard1"]) as shard1:
        top(1)
    assert len(shard1) == 1
