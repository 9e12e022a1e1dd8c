"""After a client writes, its reads go to the primary for a while; nobody else's do."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.http import HttpResponse
from django.test import Client

from products.models import Product
from reviews.models import Review
from shop.pinning import ReadYourWritesMiddleware, use_primary

from .helpers import (
    ALIASES,
    create_author,
    create_review,
    in_another_thread,
    panel_notes,
    replicate,
)

COOKIE = settings.REPLICATION_PIN_COOKIE

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@pytest.fixture
def writer(client):
    client.force_login(create_author("alice"))
    return client


def write_review(client, product, text="Just written."):
    data = {"product_id": product.pk, "rating": "5", "text": text}
    return client.post("/reviews/new/", data)


def shown(page):
    """The texts of the reviews a product page lists (the panel may quote others)."""
    return [review.text for review in page.context["page"].object_list]


def test_the_writer_sees_the_new_review_at_once(writer, product):
    page = writer.get(write_review(writer, product).url)
    assert shown(page) == ["Just written."]
    assert page.context["product"]._state.db == "default"
    assert "pinned here after your write" in panel_notes(page, "default")[0]


def test_another_client_does_not_see_it_until_replication(writer, product):
    write_review(writer, product)
    other = Client()
    assert shown(other.get(f"/products/{product.pk}/")) == []
    replicate()
    assert shown(other.get(f"/products/{product.pk}/")) == ["Just written."]


def test_the_write_itself_lands_on_the_primary_only(writer, product):
    write_review(writer, product)
    assert Review.objects.using("default").filter(text="Just written.").exists()
    assert not Review.objects.using("replica1").exists()
    assert not Review.objects.using("replica2").exists()


def test_the_pin_lasts_replication_pin_seconds(writer, product):
    cookie = write_review(writer, product).cookies[COOKIE]
    assert cookie["max-age"] == settings.REPLICATION_PIN_SECONDS
    assert float(cookie.value) == pytest.approx(time.time() + cookie["max-age"], abs=5)


def test_once_the_pin_has_expired_reads_go_to_a_replica_again(writer, product):
    write_review(writer, product)
    writer.cookies[COOKIE] = str(time.time() - 1)  # the window has passed
    page = writer.get(f"/products/{product.pk}/")
    assert page.context["product"]._state.db in {"replica1", "replica2"}
    assert shown(page) == []  # not replicated yet: the stale read is real


@pytest.mark.parametrize("value", ["abc", "", "1e400", "99999999999"])
def test_an_odd_or_forged_pin_cookie_is_harmless(client, product, value):
    client.cookies[COOKIE] = value
    response = client.get(f"/products/{product.pk}/")
    assert response.status_code == 200
    expected = {"replica1", "replica2", "default"}  # a far future pin is cut to the window
    assert response.context["product"]._state.db in expected


def test_reading_pins_nothing(writer, product):
    assert COOKIE not in writer.get(f"/products/{product.pk}/").cookies


def test_a_refused_form_pins_nothing_because_it_wrote_nothing(writer, product):
    """Validating the rating constraint asks db_for_write, but only reads the primary."""
    response = writer.post("/reviews/new/", {"product_id": product.pk, "text": ""})
    assert response.context["form"].errors
    assert COOKIE not in response.cookies


def test_logging_in_pins_too_as_every_write_on_the_primary_does(client, product):
    """The session and last_login are written on the primary: a pin, though not needed."""
    get_user_model().objects.create_user("bob", password="pw")
    response = client.post("/accounts/login/", {"username": "bob", "password": "pw"})
    assert response.status_code == 302  # logged in
    assert COOKIE in response.cookies


def test_a_read_after_a_write_in_the_same_request_goes_to_the_primary(rf, product):
    def view(request):
        review = Review.objects.create(product_id=product.pk, author_id=1, text="Fresh.")
        return HttpResponse(Review.objects.get(pk=review.pk)._state.db)

    assert ReadYourWritesMiddleware(view)(rf.get("/")).content == b"default"


def test_use_primary_reads_what_is_not_replicated_yet(product):
    """Written by another thread, so this one is not pinned by the write."""
    in_another_thread(lambda: create_review(product, create_author()))
    assert not Review.objects.exists()  # a replica
    with use_primary():
        assert Review.objects.get()._state.db == "default"


def test_get_or_create_looks_on_the_primary_so_makes_no_duplicate(product):
    Review.objects.create(product_id=product.pk, author_id=1, text="Once.")
    review, created = Review.objects.get_or_create(product_id=product.pk, text="Once.")
    assert (created, review._state.db) == (False, "default")
    assert Review.objects.using("default").count() == 1


def test_one_requests_pin_does_not_leak_into_another_running_at_once(rf, product):
    """The state lives in a context variable: each thread (or async task) has its own."""
    both_in_the_view = threading.Barrier(2)

    def view(request):
        if request.method == "POST":
            Review.objects.create(product_id=product.pk, author_id=1, text="Pinned.")
        both_in_the_view.wait(timeout=10)
        database = Product.objects.get(pk=product.pk)._state.db
        connections.close_all()
        return HttpResponse(database)

    middleware = ReadYourWritesMiddleware(view)
    with ThreadPoolExecutor(2) as pool:
        writer = pool.submit(middleware, rf.post("/"))
        reader = pool.submit(middleware, rf.get("/"))
        assert writer.result().content == b"default"
        assert reader.result().content in {b"replica1", b"replica2"}
