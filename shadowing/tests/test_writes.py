"""Every kind of write lands on "default"; the snapshot's bytes never change."""

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from products.models import Product
from reviews.models import Review
from shop.models import Tombstone
from shop.shadow import LOCAL_KEYS_START, ReadOnlySnapshot

from .helpers import rows_per_alias, snapshot_checksum, snapshot_product, snapshot_review

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])
SNAPSHOT_MODE = override_settings(SHADOW_MODES={"reviews.Review": "snapshot"})
LOCAL_MODE = override_settings(SHADOW_MODES={"reviews.Review": "local"})


def new_review(text="New."):
    return Review(product_id=1, author_id=1, text=text)


def local_review(pk):
    return Review._base_manager.using("default").get(pk=pk)


def test_saving_a_snapshot_row_copies_it_to_default():
    review = snapshot_review(1, text="Production's.")
    review.text = "Mine."
    review.save()
    assert review._state.db == "default"
    assert local_review(1).text == "Mine."
    assert Review._base_manager.using("snapshot").get(pk=1).text == "Production's."


def test_create_stores_a_new_row_on_default():
    review = Review.objects.create(product_id=1, author_id=1, text="New.")
    assert rows_per_alias(Review) == {"default": 1, "snapshot": 0}
    assert review.pk == LOCAL_KEYS_START + 1


def test_update_copies_matching_snapshot_rows_and_updates_local_ones():
    snapshot_review(1, rating=2)
    Review.objects.create(product_id=1, author_id=1, rating=2, text="New.")
    assert Review.objects.filter(rating=2).update(rating=3) == 2
    assert sorted(Review._base_manager.using("default").values_list("pk", "rating")) == [
        (1, 3),
        (LOCAL_KEYS_START + 1, 3),
    ]
    assert Review._base_manager.using("snapshot").get(pk=1).rating == 2


def test_deleting_a_snapshot_row_leaves_a_tombstone():
    snapshot_review(1).delete()
    assert Tombstone.objects.get().object_pk == 1
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 1}


def test_deleting_a_changed_row_removes_the_copy_and_hides_the_original():
    review = snapshot_review(1)
    review.save()
    Review.objects.get(pk=1).delete()
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 1}
    assert not Review.objects.filter(pk=1).exists()


def test_deleting_a_local_row_leaves_no_tombstone():
    Review.objects.create(product_id=1, author_id=1, text="New.").delete()
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 0}
    assert not Tombstone.objects.exists()


def test_queryset_delete_hides_rows_of_both_origins():
    snapshot_review(1, rating=1)
    Review.objects.create(product_id=1, author_id=1, rating=1, text="New.")
    assert Review.objects.filter(rating=1).delete() == (2, {"reviews.Review": 2})
    assert Review.objects.count() == 0
    assert list(Tombstone.objects.values_list("object_pk", flat=True)) == [1]


def test_bulk_create_numbers_rows_from_the_local_range():
    Review.objects.bulk_create([new_review("a"), new_review("b")])
    assert sorted(Review._base_manager.using("default").values_list("pk", flat=True)) == [
        LOCAL_KEYS_START + 1,
        LOCAL_KEYS_START + 2,
    ]


def test_get_or_create_creates_on_default():
    snapshot_product(1, "Pour-over kettle")
    Product.objects.get_or_create(name="Milk jug")
    assert rows_per_alias(Product) == {"default": 1, "snapshot": 1}


def test_no_write_statement_ever_reaches_the_snapshot():
    review = snapshot_review(1)
    with CaptureQueriesContext(connections["snapshot"]) as snapshot:
        review.save()
        Review.objects.create(product_id=1, author_id=1, text="New.")
        Review.objects.filter(pk=1).update(rating=1)
        Review.objects.bulk_create([new_review()])
        Review.objects.get(pk=1).delete()
    assert [q["sql"].split()[0] for q in snapshot.captured_queries] == ["SELECT"] * len(snapshot)


@pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)
def test_the_snapshot_file_keeps_its_bytes_through_every_kind_of_write():
    snapshot_review(1)
    snapshot_review(2)
    before = snapshot_checksum()
    Review.objects.get(pk=1).save()
    Review.objects.create(product_id=1, author_id=1, text="New.")
    Review.objects.all().update(text="All changed.")
    Review.objects.bulk_create([new_review()])
    Review.objects.get(pk=2).delete()
    Review.objects.all().delete()
    assert snapshot_checksum() == before


@SNAPSHOT_MODE
@pytest.mark.parametrize(
    "write",
    [
        lambda: Review.objects.get(pk=1).save(),
        lambda: Review.objects.create(product_id=1, author_id=1, text="New."),
        lambda: Review.objects.filter(pk=1).update(rating=1),
        lambda: Review.objects.all().delete(),
        lambda: Review.objects.get(pk=1).delete(),
        lambda: Review.objects.bulk_create([new_review()]),
    ],
)
def test_snapshot_mode_refuses_every_write_and_says_why(write):
    snapshot_review(1)
    with pytest.raises(ReadOnlySnapshot, match="reviews.Review is in snapshot mode"):
        write()
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 1}
    assert not Tombstone.objects.exists()


@SNAPSHOT_MODE
def test_snapshot_mode_reads_only_the_snapshot():
    snapshot_review(1)
    Review._base_manager.using("default").bulk_create([new_review()])
    assert [review._state.db for review in Review.objects.all()] == ["snapshot"]


@LOCAL_MODE
def test_local_mode_ignores_the_snapshot():
    snapshot_review(1)
    review = Review.objects.create(product_id=1, author_id=1, text="Only here.")
    assert list(Review.objects.all()) == [review]
    assert review._state.db == "default"


@SNAPSHOT_MODE
def test_a_refused_write_is_not_an_operational_error():
    """Code that retries OperationalError (a server restarting) would retry it forever."""
    with pytest.raises(ReadOnlySnapshot) as refused:
        Review.objects.create(product_id=1, author_id=1, text="New.")
    assert not isinstance(refused.value, OperationalError)


@SNAPSHOT_MODE
def test_a_review_posted_in_snapshot_mode_gets_a_page_saying_it_is_read_only(client):
    """Forbidden (403), whoever asks: not a database that failed to answer (503)."""
    client.force_login(get_user_model().objects.create_user("alice"))
    data = {"product_id": snapshot_product().pk, "text": "Refused."}
    response = client.post("/reviews/new/", data)
    assert response.status_code == 403
    assert "reviews.Review is in snapshot mode" in response.text
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 0}
