"""The overlay's rules, one at a time, on a snapshot of three reviews."""

import pytest

from reviews.models import Review
from shop.models import Tombstone
from shop.overlay import Overlay
from shop.shadow import LOCAL_KEYS_START

from .helpers import snapshot_review

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


@pytest.fixture
def reviews():
    """Reviews 1, 2 and 3 in the snapshot, rated 5, 4 and 3."""
    return [snapshot_review(pk, rating=6 - pk, text=f"Snapshot {pk}.") for pk in (1, 2, 3)]


def pks(rows):
    return [row.pk for row in rows]


def test_snapshot_rows_are_read_from_the_snapshot(reviews):
    assert {row._state.db for row in Review.objects.all()} == {"snapshot"}


def test_a_local_row_wins_over_the_snapshot_row_with_its_key(reviews):
    reviews[0].text = "Edited locally."
    reviews[0].save()
    row = Review.objects.get(pk=1)
    assert (row.text, row._state.db) == ("Edited locally.", "default")
    assert Review.objects.count() == 3


def test_a_tombstone_hides_a_snapshot_row(reviews):
    reviews[1].delete()
    assert pks(Review.objects.order_by("pk")) == [1, 3]
    assert Tombstone.objects.get().object_pk == 2
    assert Review._base_manager.using("snapshot").filter(pk=2).exists()


def test_a_row_edited_out_of_a_filter_does_not_come_back_from_the_snapshot(reviews):
    """Review 1 is rated 5 in the snapshot and 1 locally: "rating 5" must not find it."""
    reviews[0].rating = 1
    reviews[0].save()
    assert not Review.objects.filter(rating=5).exists()
    assert pks(Review.objects.filter(rating=1)) == [1]


def test_new_local_rows_take_keys_from_the_local_range(reviews):
    row = Review.objects.create(product_id=1, author_id=1, text="New.")
    assert row.pk == LOCAL_KEYS_START + 1
    assert pks(Review.objects.order_by("pk")) == [1, 2, 3, LOCAL_KEYS_START + 1]


def test_orderings_and_slices_merge_both_sides(reviews):
    Review.objects.create(product_id=1, author_id=1, rating=4, text="New.")
    new = LOCAL_KEYS_START + 1
    assert pks(Review.objects.order_by("-rating", "pk")) == [1, 2, new, 3]
    assert pks(Review.objects.order_by("-rating", "pk")[1:3]) == [2, new]
    assert pks(Review.objects.order_by("rating", "-pk")[2:]) == [2, 1]


def test_count_and_exists_see_the_merged_rows(reviews):
    reviews[2].delete()
    Review.objects.create(product_id=1, author_id=1, rating=3, text="New.")
    assert Review.objects.count() == 3
    assert Review.objects.filter(rating=3).count() == 1
    assert Review.objects.order_by("pk")[1:].count() == 2
    assert Review.objects.filter(rating=3).exists()


def test_a_count_of_a_filter_that_matches_nothing_is_0(reviews):
    """pk__in=[] compiles to no SQL (Django answers 0 without asking): the count that
    asks "default" for several counts at once answers 0 too, with rows changed locally."""
    Review.objects.filter(pk=1).update(text="Edited locally.")
    assert Review.objects.filter(pk__in=[]).count() == 0


def test_get_refuses_none_and_many(reviews):
    with pytest.raises(Review.DoesNotExist):
        Review.objects.get(rating=1)
    with pytest.raises(Review.MultipleObjectsReturned):
        Review.objects.get(text__startswith="Snapshot")


def test_a_sliced_overlay_cannot_be_filtered(reviews):
    with pytest.raises(TypeError, match="once a slice has been taken"):
        Review.objects.all()[:2].filter(rating=5)


def test_negative_indexes_are_refused_like_a_queryset(reviews):
    with pytest.raises(ValueError, match="Negative indexing"):
        Review.objects.all()[-1]


def test_a_row_copied_locally_while_it_is_read_is_found_once_in_its_local_version(
    reviews, monkeypatch
):
    """Another process copies the row between the read of its chunk's claimed keys and the
    read of the local rows (PostgreSQL's statements each see the latest commits)."""
    read_claims = Overlay.claimed_among

    def claims_then_a_copy(overlay, keys):
        claimed = read_claims(overlay, keys)
        monkeypatch.setattr(Overlay, "claimed_among", read_claims)
        copy = Review(pk=1, product_id=1, author_id=1, rating=5, text="Copied meanwhile.")
        Review._base_manager.using("default").bulk_create([copy])
        return claimed

    monkeypatch.setattr(Overlay, "claimed_among", claims_then_a_copy)
    row = Review.objects.get(pk=1)
    assert (row.text, row._state.db) == ("Copied meanwhile.", "default")


def test_slicing_runs_no_query_until_the_rows_are_read(reviews, django_assert_num_queries):
    """A slice is a window, not a read (django-querysetsequence's test_multiple_slices:
    no queries until the sequence is evaluated)."""
    with django_assert_num_queries(0, using="snapshot"):
        window = Review.objects.order_by("pk")[1:3][1:]
    assert pks(window) == [3]


def test_a_slice_of_a_slice_is_the_window_of_both(reviews):
    """[0:3] then [1:2] is [1:2] (django-querysetsequence's test_multiple_slices_complex)."""
    Review.objects.create(product_id=1, author_id=1, rating=4, text="New.")
    assert pks(Review.objects.order_by("-rating", "pk")[0:3][1:2]) == [2]


def test_rows_read_once_are_not_read_again(reviews, django_assert_num_queries):
    """len() reads the rows, and asking again reads nothing (django-querysetsequence's
    test_len)."""
    overlay = Review.objects.all()
    assert len(overlay) == 3
    with django_assert_num_queries(0, using="snapshot"), django_assert_num_queries(0):
        assert len(overlay) == 3
