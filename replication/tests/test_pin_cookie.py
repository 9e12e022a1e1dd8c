"""The cookie that pins a client after a write: safe flags, and a name you choose."""

import time

import pytest
from django.http import HttpResponse

from products.models import Product
from shop.pinning import ReadYourWritesMiddleware

from .helpers import ALIASES

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


def write_and_read(request):
    Product.objects.create(name="Scale")
    return HttpResponse(Product.objects.get(name="Scale")._state.db)


def pin_cookie(request, settings):
    return ReadYourWritesMiddleware(write_and_read)(request).cookies[
        settings.REPLICATION_PIN_COOKIE
    ]


@pytest.mark.parametrize("secure", [True, False])
def test_the_pin_cookie_is_secure_when_the_request_is(rf, settings, secure):
    assert bool(pin_cookie(rf.get("/", secure=secure), settings)["secure"]) is secure


def test_the_pin_cookie_is_http_only_and_same_site_lax(rf, settings):
    """Scripts cannot read it, and other sites' requests do not carry it."""
    cookie = pin_cookie(rf.get("/"), settings)
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")


def test_the_pin_cookie_is_named_by_a_setting(rf, settings):
    settings.REPLICATION_PIN_COOKIE = "just_wrote"
    assert "just_wrote" in ReadYourWritesMiddleware(write_and_read)(rf.get("/")).cookies


def test_a_pin_cookie_under_the_configured_name_pins_the_reads(rf, settings, product):
    settings.REPLICATION_PIN_COOKIE = "just_wrote"
    request = rf.get("/")
    request.COOKIES["just_wrote"] = str(time.time() + 10)

    def read(request):
        return HttpResponse(Product.objects.get(pk=product.pk)._state.db)

    assert ReadYourWritesMiddleware(read)(request).content == b"default"
