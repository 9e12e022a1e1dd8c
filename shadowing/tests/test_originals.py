"""count() takes the claimed snapshot rows away on "default", among the snapshot versions
kept there (shop/originals.py): kept by each first claim, rebuilt by take_snapshot,
emptied by shadow_reset, and a fallback for rows inserted straight into "default"."""

import pytest
from django.core.management import call_command

from reviews.models import Review, ReviewOriginal
from shop.originals import rebuild_originals

from .helpers import snapshot_review

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


@pytest.fixture
def reviews():
    """Reviews 1 to 6 in the snapshot, rated 1 to 5 and then 5."""
    for pk in range(1, 7):
        snapshot_review(pk, rating=min(pk, 5))


def kept():
    return dict(ReviewOriginal.objects.using("default").values_list("pk", "rating"))


def save_rated_1(pk):
    review = Review.objects.get(pk=pk)
    review.rating = 1
    review.save()


CLAIMS = {
    "save": save_rated_1,
    "update": lambda pk: Review.objects.filter(pk=pk).update(rating=1),
    "delete": lambda pk: Review.objects.get(pk=pk).delete(),
}


@pytest.mark.parametrize("claim", CLAIMS)
def test_the_first_claim_keeps_the_snapshot_version_of_the_row(reviews, claim):
    """Saved, updated or deleted: the row's snapshot version is kept on "default"."""
    CLAIMS[claim](4)
    assert kept() == {4: 4}


def test_a_second_change_keeps_the_first_version(reviews):
    """The kept version is the snapshot's, not the local copy's."""
    save_rated_1(5)
    Review.objects.filter(pk=5).update(rating=2)
    assert kept() == {5: 5}


def test_new_local_rows_keep_no_version(reviews):
    """A row made here claims no snapshot row: nothing to take away."""
    Review.objects.create(product_id=1, author_id=1, rating=5, text="New.")
    assert kept() == {}


def test_counts_with_filters_take_the_claimed_rows_away(reviews):
    """Rated 5: review 5 moved out, review 6 deleted, a new one added."""
    save_rated_1(5)
    Review.objects.get(pk=6).delete()
    Review.objects.create(product_id=1, author_id=1, rating=5, text="New.")
    assert Review.objects.filter(rating=5).count() == 1
    assert Review.objects.exclude(rating=5).count() == 5


def test_take_snapshot_keeps_the_new_snapshot_versions(reviews):
    """take_snapshot's rebuild: production rated review 2 a 5 and dropped review 3, both
    claimed here; the counts stay those of the merged rows."""
    save_rated_1(2)
    Review.objects.get(pk=3).delete()
    snapshot = Review._base_manager.using("snapshot")
    snapshot.filter(pk=2).update(rating=5)
    snapshot.filter(pk=3).delete()
    rebuild_originals(Review)
    assert kept() == {2: 5}
    assert Review.objects.filter(rating=5).count() == 2
    assert Review.objects.filter(rating=1).count() == 2


def test_shadow_reset_empties_the_kept_versions(reviews):
    """Discarded changes claim nothing: the snapshot shows through, counted whole."""
    save_rated_1(2)
    Review.objects.get(pk=3).delete()
    call_command("shadow_reset", interactive=False, stdout=None)
    assert kept() == {}
    assert Review.objects.filter(rating=5).count() == 2


def test_rows_inserted_straight_are_counted_by_their_keys(reviews):
    """A copy put straight into "default" keeps no version: count() sends its key."""
    Review._base_manager.using("default").bulk_create(
        [Review(pk=5, product_id=1, author_id=1, rating=1, text="Straight in.")]
    )
    assert kept() == {}
    assert Review.objects.filter(rating=5).count() == 1
    assert Review.objects.filter(rating=1).count() == 2


def test_a_key_both_tombstoned_and_copied_is_counted_once(reviews):
    """A row deleted locally and then put straight back into "default" is claimed twice,
    by its tombstone and by its copy: count() takes it away once."""
    Review.objects.get(pk=5).delete()
    Review._base_manager.using("default").bulk_create(
        [Review(pk=5, product_id=1, author_id=1, rating=1, text="Straight in.")]
    )
    assert kept() == {5: 5}
    assert Review.objects.filter(rating=5).count() == 1
    assert Review.objects.filter(rating=1).count() == 2
