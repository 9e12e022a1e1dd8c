"""Exercise 4: first() and last() on the overlay, in its merged order."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from tests.helpers import snapshot_review

from reviews.models import Review

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


@pytest.fixture
def merged():
    """Reviews 1 to 5 in the snapshot; the newest new one here; 1 (the oldest) edited."""
    for pk in range(1, 6):
        snapshot_review(pk, text=f"Review {pk}.")
    oldest = Review.objects.get(pk=1)
    oldest.text = "Edited here."
    oldest.save()
    return Review.objects.create(product_id=1, author_id=1, text="New.")


def test_first_is_the_first_merged_row(merged):
    """first() is the first row of the overlay's order, whichever side it is on."""
    assert hasattr(Review.objects.all(), "first"), "the overlay has no first()"
    assert Review.objects.first().pk == list(Review.objects.all())[0].pk


def test_last_is_the_last_merged_row_with_its_local_version(merged):
    """last() is the last row of the overlay's order, read as its local version."""
    assert hasattr(Review.objects.all(), "last"), "the overlay has no last()"
    everything = list(Review.objects.all())
    last = Review.objects.last()
    assert (last.pk, last.text) == (everything[-1].pk, everything[-1].text)


def test_an_empty_overlay_has_no_first_or_last(merged):
    """As QuerySet says: None, not an error, when no row matches."""
    nothing = Review.objects.filter(text="Nobody wrote this.")
    assert hasattr(nothing, "last"), "the overlay has no last()"
    assert (nothing.first(), nothing.last()) == (None, None)


def test_last_reads_the_snapshot_with_a_limit(merged):
    """last() never reads every snapshot row: its statement there has a LIMIT."""
    assert hasattr(Review.objects.all(), "last"), "the overlay has no last()"
    with CaptureQueriesContext(connections["snapshot"]) as snapshot:
        Review.objects.last()
    assert snapshot and all("LIMIT" in query["sql"] for query in snapshot)
