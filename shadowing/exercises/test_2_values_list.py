"""Exercise 2: values_list() on the overlay, read from the merged rows."""

import pytest
from tests.helpers import snapshot_review

from reviews.models import Review

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


@pytest.fixture
def merged():
    """Reviews 1 to 3 in the snapshot; 2 rated 1 here, 3 deleted here, and one new."""
    for pk in (1, 2, 3):
        snapshot_review(pk, rating=4)
    changed = Review.objects.get(pk=2)
    changed.rating = 1
    changed.save()
    Review.objects.get(pk=3).delete()
    return Review.objects.create(product_id=1, author_id=1, rating=5, text="New.")


def values_list(query, *fields, **flat):
    assert hasattr(query, "values_list"), "the overlay has no values_list()"
    return list(query.values_list(*fields, **flat))


def test_values_list_gives_the_merged_rows_fields_in_order(merged):
    """values_list("pk", "rating") is the merged rows' fields, in the overlay's order."""
    expected = [(review.pk, review.rating) for review in Review.objects.all()]
    assert values_list(Review.objects.all(), "pk", "rating") == expected


def test_the_local_version_wins_and_a_deleted_row_is_left_out(merged):
    """Review 2 has its local rating, 3 is gone, the new one is there."""
    rows = dict(values_list(Review.objects.all(), "pk", "rating"))
    assert rows == {1: 4, 2: 1, merged.pk: 5}


def test_flat_gives_the_values_of_one_field(merged):
    """flat=True with one field: its values, after a filter on both sides."""
    assert sorted(values_list(Review.objects.filter(rating__gte=4), "pk", flat=True)) == sorted(
        [1, merged.pk]
    )


def test_flat_with_two_fields_is_refused(merged):
    """As QuerySet.values_list says: flat is for one field only."""
    with pytest.raises(TypeError):
        values_list(Review.objects.all(), "pk", "rating", flat=True)
