"""Reads that must see the primary: a request that may write, a transaction, and code
outside a request after its own write. The rest keep reading replicas."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.db import connections, transaction
from django.http import HttpResponse

from products.models import Product
from reviews.models import Review
from shop.pinning import ReadYourWritesMiddleware, use_primary
from shop.replicas import REPLICAS

from .helpers import ALIASES, create_author, create_review, in_another_thread, replicate

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@pytest.fixture
def review(product):
    review = create_review(product, create_author(), rating=3, text="Replicated.")
    replicate()
    return review


def served(rf, method, view):
    """Run a view through the middleware, as the site would for that method."""
    return ReadYourWritesMiddleware(view)(rf.generic(method, "/")).content.decode()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_an_unsafe_request_never_saves_a_stale_copy_over_the_primary(rf, review, method):
    """A POST reads the primary from its start (django-multidb-router pins on POST), so a
    read-modify-write never saves a stale copy over the primary's newer row."""
    Review.objects.using("default").filter(pk=review.pk).update(rating=1)  # not replicated

    def edit_text(request):
        read = Review.objects.get(pk=review.pk)
        read.text = "Edited."
        read.save()
        return HttpResponse(read._state.db)

    assert served(rf, method, edit_text) == "default"
    assert Review.objects.using("default").values_list("rating", "text").get() == (1, "Edited.")


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_safe_request_keeps_reading_a_replica(rf, review, method):
    def read(request):
        return HttpResponse(Review.objects.get(pk=review.pk)._state.db)

    assert served(rf, method, read) in REPLICAS


def test_a_read_inside_a_transaction_on_the_primary_reads_the_primary(rf, review):
    """A select-then-update in one transaction never decides on a copy."""

    def read_in_transaction(request):
        with transaction.atomic(using="default"):
            return HttpResponse(Review.objects.get(pk=review.pk)._state.db)

    assert served(rf, "GET", read_in_transaction) == "default"


def test_outside_a_request_a_read_after_a_write_sees_it(product):
    """In the shell or a command, a write pins the rest of its thread to the primary."""
    Review.objects.create(product_id=product.pk, author_id=1, text="Fresh.")
    assert Review.objects.get(text="Fresh.")._state.db == "default"


def test_outside_a_request_reads_go_to_a_replica_until_a_write(product):
    assert Product.objects.get()._state.db in REPLICAS


def test_outside_a_request_a_write_pins_its_own_thread_only(product):
    """Pin state per thread (django_replicated keeps state per request): another thread's
    write leaves this one reading replicas."""
    in_another_thread(lambda: create_review(product, create_author()))
    assert Product.objects.get()._state.db in REPLICAS


def test_use_primary_works_as_a_decorator(product):
    """django-multidb-router's use_primary_db is a decorator and a context manager."""

    @use_primary()
    def read():
        return Product.objects.get()._state.db

    assert read() == "default"


def test_use_primary_ends_with_its_block_even_when_the_block_raises(product):
    """django-multidb-router: the pin is reset after an exception in the block."""
    with pytest.raises(ValueError), use_primary():
        raise ValueError
    assert Product.objects.get()._state.db in REPLICAS


def test_use_primary_nested_keeps_the_outer_block_on_the_primary(product):
    """django-multidb-router: leaving an inner block does not unpin the outer one."""
    with use_primary():
        with use_primary():
            pass
        assert Product.objects.get()._state.db == "default"


def test_outside_a_request_a_write_pins_its_own_asyncio_task_only(product):
    """Each task runs in a copy of the context: the writer's pin stays in the writer."""

    def write_then_read():
        create_review(product, create_author(), text="Task's own.")
        return Review.objects.get(text="Task's own.")._state.db

    def read():
        return Product.objects.get()._state.db

    async def both():
        wrote = await asyncio.create_task(sync_to_async(write_then_read)())
        other = await asyncio.create_task(sync_to_async(read)())
        await sync_to_async(connections.close_all)()  # the thread both ran in
        return wrote, other

    wrote, other = asyncio.run(both())
    assert (wrote, other in REPLICAS) == ("default", True)
