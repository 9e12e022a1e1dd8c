"""Writes that race a bucket move: each lands before the copy, or is refused and undone.

`reshard` marks the bucket, then waits out the writes in flight on its source
(`resharding.wait_for_writes`); every write confirms the map just before it commits.
"""

import threading
from contextlib import contextmanager

import pytest
from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save

from reviews.models import Review
from shop import resharding
from shop.sharding import BucketMoving, bucket_for_product

from .helpers import (
    EVERY_DATABASE,
    create_author,
    create_product,
    create_review,
    holders,
    shard_of_product,
)

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)
TARGET = "shard4"


@pytest.fixture
def review():
    return create_review(create_product(), create_author(), text="As written.")


@contextmanager
def reshard_steps_in(signal, review, *steps):
    """Run these steps of a move of the review's bucket from inside a write of it:
    after its statement, before its commit."""
    bucket, source = bucket_for_product(review.product_id), shard_of_product(review.product_id)

    def move(sender, **kwargs):
        for step in steps:
            step(bucket, source)

    signal.connect(move, sender=Review)
    try:
        yield
    finally:
        signal.disconnect(move, sender=Review)


def mark(bucket, source):
    resharding.mark(bucket, TARGET)


def switch(bucket, source):
    resharding.switch(bucket, source, TARGET)


def stored(review):
    return Review._base_manager.using(shard_of_product(review.product_id)).filter(pk=review.pk)


def test_a_new_review_that_meets_the_mark_is_rolled_back():
    product = create_product()
    in_flight = Review(product_id=product.pk, author_id=create_author().pk, text="Racing.")
    with reshard_steps_in(post_save, in_flight, mark), pytest.raises(BucketMoving):
        in_flight.save()
    assert not Review._base_manager.using(shard_of_product(product.pk)).exists()


def test_an_edit_that_meets_the_mark_is_rolled_back(review):
    review.text = "Edited."
    with reshard_steps_in(post_save, review, mark), pytest.raises(BucketMoving):
        review.save()
    assert stored(review).get().text == "As written."


def test_a_delete_that_meets_the_mark_is_rolled_back(review):
    pk, shard = review.pk, shard_of_product(review.product_id)
    with reshard_steps_in(post_delete, review, mark), pytest.raises(BucketMoving):
        review.delete()
    assert holders(pk) == [shard]


def test_a_write_that_read_the_map_before_a_switch_is_rolled_back(review):
    source = stored(review)
    review.text = "Edited."
    with reshard_steps_in(post_save, review, mark, switch):
        with pytest.raises(BucketMoving, match="has just moved to shard4"):
            review.save()
    assert source.get().text == "As written."


@pytest.mark.parametrize("write", ["update", "delete"])
def test_a_queryset_write_to_a_bucket_being_moved_is_refused(review, write):
    rows = Review.objects.for_product(review.product_id)
    resharding.mark(review.bucket, TARGET)
    with pytest.raises(BucketMoving, match="being moved"):
        rows.update(text="Edited.") if write == "update" else rows.delete()
    assert stored(review).get().text == "As written."


@pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True)
def test_the_copy_waits_for_a_write_in_flight_and_takes_its_row():
    """The write confirmed the map before the mark; the copy starts after its commit."""
    product = create_product()
    bucket, source = bucket_for_product(product.pk), shard_of_product(product.pk)
    copied = []

    def move():
        try:
            resharding.mark(bucket, TARGET)
            resharding.wait_for_writes(source)
            copied.append(resharding.copy(bucket, source, TARGET))
        finally:
            connections.close_all()

    mover = threading.Thread(target=move)
    with transaction.atomic(using=source):
        in_flight = create_review(product, create_author())
        mover.start()
        mover.join(timeout=1)
        assert mover.is_alive(), "the move went on while a write to the bucket was open"
    mover.join(timeout=30)
    assert copied == [1]
    assert Review._base_manager.using(TARGET).filter(pk=in_flight.pk).exists()
