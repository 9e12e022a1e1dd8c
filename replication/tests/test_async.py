"""Async code reads its own writes too: use_primary() on an async function, and the
pinning middleware around an async view, served by Django's ASGI handler."""

import json

import pytest
from asgiref.sync import async_to_sync, iscoroutinefunction
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.http import HttpResponse

from reviews.models import Review
from shop.pinning import ReadYourWritesMiddleware, use_primary

from .helpers import ALIASES, create_author, create_review, in_another_thread

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@pytest.fixture
def unreplicated(product):
    """A review written by another thread (so this one is not pinned), on the primary only."""
    in_another_thread(lambda: create_review(product, create_author()))


async def database_of_the_review():
    return (await Review.objects.aget())._state.db


def test_use_primary_decorates_an_async_function(unreplicated):
    """A @contextmanager would leave its block before the coroutine ran: a replica."""
    assert async_to_sync(use_primary()(database_of_the_review))() == "default"


def test_async_with_use_primary_reads_the_primary(unreplicated):
    async def read():
        async with use_primary():
            return await database_of_the_review()

    assert async_to_sync(read)() == "default"


def test_with_use_primary_inside_an_async_function_reads_the_primary(unreplicated):
    """Each query's thread gets a copy of the context the block set."""

    async def read():
        with use_primary():
            return await database_of_the_review()

    assert async_to_sync(read)() == "default"


def test_the_middleware_pins_a_client_after_an_async_views_write(rf, product):
    async def view(request):
        review = await Review.objects.acreate(product_id=product.pk, author_id=1, text="A")
        return HttpResponse((await Review.objects.aget(pk=review.pk))._state.db)

    middleware = ReadYourWritesMiddleware(view)
    response = async_to_sync(middleware)(rf.post("/"))
    assert iscoroutinefunction(middleware)
    assert response.content == b"default"
    assert settings.REPLICATION_PIN_COOKIE in response.cookies


def test_by_position_the_middleware_gives_an_async_views_writer_its_position(rf, product, settings):
    """The position is read on the primary, a query the event loop may not run itself."""
    settings.REPLICATION_READ_YOUR_WRITES = "position"

    async def view(request):
        await Review.objects.acreate(product_id=product.pk, author_id=1, text="A")
        return HttpResponse()

    response = async_to_sync(ReadYourWritesMiddleware(view))(rf.post("/"))
    assert settings.REPLICATION_POSITION_COOKIE in response.cookies


def served_over_asgi(path, cookie=""):
    """GET a path from Django's ASGI handler as an ASGI server calls it: (status, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"cookie", cookie.encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def get():
        server = ApplicationCommunicator(get_asgi_application(), scope)
        await server.send_input({"type": "http.request", "body": b""})
        start = await server.receive_output(timeout=10)
        body = await server.receive_output(timeout=10)
        await server.wait(timeout=10)
        return start["status"], body["body"]

    return async_to_sync(get)()


def test_the_async_view_reads_the_primary_after_the_clients_write(client, product):
    """Served by Django's ASGI handler, as uvicorn or daphne would call it."""
    client.force_login(create_author("alice"))
    posted = client.post("/reviews/new/", {"product_id": product.pk, "rating": "5", "text": "A"})
    review = Review.objects.using("default").get()
    pin = posted.cookies[settings.REPLICATION_PIN_COOKIE]
    status, body = served_over_asgi(f"/reviews/{review.pk}.json", f"{pin.key}={pin.value}")
    assert (status, json.loads(body)["id"]) == (200, review.pk)  # on the primary only


def test_the_async_view_reads_a_replica_for_another_client(product):
    """Not replicated yet: a replica serves the read, and has no such review."""
    in_another_thread(lambda: create_review(product, create_author()))
    review = Review.objects.using("default").get()
    status, _ = served_over_asgi(f"/reviews/{review.pk}.json")
    assert status == 404
