"""Exercise 3: count() notices a claim without its kept version, at no cost when none is."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from tests.helpers import snapshot_review

from reviews.models import Review

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


@pytest.fixture
def reviews():
    """Reviews 1 to 4 in the snapshot, rated 4, 5, 4, 4; review 1 rated 1 here (its
    version kept)."""
    for pk, rating in [(1, 4), (2, 5), (3, 4), (4, 4)]:
        snapshot_review(pk, rating=rating)
    Review.objects.filter(pk=1).update(rating=1)


def swap_a_claim():
    """The README's two writes: review 1's copy deleted, review 2 put straight into
    "default" (no version kept): as many claims and versions as before."""
    local = Review._base_manager.using("default")
    local.filter(pk=1).delete()
    copy = Review._base_manager.using("snapshot").get(pk=2)
    copy.rating = 1
    local.bulk_create([copy])


@pytest.mark.parametrize("rating", [4, 5])
def test_a_swapped_claim_is_counted_right(reviews, rating):
    """After the swap, count() agrees with the merged rows themselves."""
    swap_a_claim()
    merged = Review.objects.filter(rating=rating)
    assert merged.count() == len(list(Review.objects.filter(rating=rating)))


def test_a_consistent_count_asks_the_snapshot_once(reviews):
    """With every claim's version kept, count() sends the snapshot one statement."""
    with CaptureQueriesContext(connections["snapshot"]) as snapshot:
        assert Review.objects.filter(rating=4).count() == 2
    assert len(snapshot) == 1
