"""Served like a real site: shop/wsgi.py and shop/asgi.py serve the shop, a 500 with
DEBUG off leaves its traceback on stderr, and setup_demo makes no admin / admin on a
site that is not debugging unless asked."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.contrib.auth import get_user_model
from django.core.management import call_command

from .helpers import ALIASES

HERE = Path(__file__).resolve().parent.parent
# The product list's view fails as a bug would; the request goes through the whole stack.
FAILING_PAGE = (
    "from unittest import mock; from django.test import Client; "
    "from django.test.utils import setup_test_environment; setup_test_environment(); "
    "mock.patch('products.views.product_list', side_effect=RuntimeError('boom')).start(); "
    "print(Client(raise_request_exception=False).get('/').status_code)"
)


def admins():
    return get_user_model().objects.using("default").filter(username="admin").count()


@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_the_wsgi_application_serves_the_product_list(product):
    """shop/wsgi.py is what gunicorn imports: its application answers a real WSGI call."""
    from shop.wsgi import application

    environ, started = {"PATH_INFO": "/"}, []
    setup_testing_defaults(environ)
    body = b"".join(application(environ, lambda status, headers: started.append(status)))
    assert started == ["200 OK"]
    assert b"Burr grinder" in body


@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_the_asgi_application_serves_the_product_list(product):
    """shop/asgi.py is what uvicorn imports: its application answers a real ASGI call."""
    from shop.asgi import application

    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b""}
    scope |= {"headers": [(b"host", b"127.0.0.1")], "server": ("127.0.0.1", 8000)}

    async def get():
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(timeout=10)
        body = await communicator.receive_output(timeout=10)
        await communicator.wait(timeout=10)  # to its end, which closes the request's body
        return start["status"], body["body"]

    status, body = async_to_sync(get)()
    assert status == 200
    assert b"Burr grinder" in body


def test_a_500_with_debug_off_prints_its_traceback_to_stderr():
    """LOGGING sends django.request's errors to the console: by default Django prints
    them only with DEBUG on, so a 500 on a served site left no trace anywhere."""
    environment = os.environ | {"DJANGO_DEBUG": "off", "DJANGO_SECRET_KEY": "k" * 50}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", FAILING_PAGE],
        cwd=HERE,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split()[-1:] == ["500"], result.stderr
    assert "Internal Server Error: /" in result.stderr
    assert "Traceback" in result.stderr
    assert "RuntimeError: boom" in result.stderr


@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_setup_demo_with_debug_off_creates_no_admin(settings):
    """A site with DEBUG off may be reachable by others: admin / admin would let them in."""
    settings.DEBUG = False
    output = StringIO()
    call_command("setup_demo", stdout=output)
    assert admins() == 0
    assert "setup_demo --admin" in output.getvalue()


@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_setup_demo_admin_creates_admin_with_debug_off(settings):
    """--admin is the way to ask for it on a site that is not debugging."""
    settings.DEBUG = False
    call_command("setup_demo", "--admin", stdout=StringIO())
    assert admins() == 1


@pytest.mark.django_db(databases=ALIASES, transaction=True)
def test_setup_demo_with_debug_on_creates_admin(settings):
    """As `make demo` runs it: admin / admin, for the README's steps."""
    settings.DEBUG = True
    call_command("setup_demo", stdout=StringIO())
    assert admins() == 1
