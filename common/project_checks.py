"""What every pattern's project promises in the same words, written once: each class is
subclassed by a test file of each project (as Django's own cache tests run BaseCacheTests
once per backend), so the checks run on that project's code and test databases, SQLite
or PostgreSQL. A subclass brings what is its own: ServedChecks asks for a ``product``
fixture, a product the product list shows."""

import os
import subprocess
import sys
from io import StringIO
from wsgiref.util import setup_testing_defaults

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.conf import settings as site
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands, load_command_class
from django.db import connections

from .project_copy import count, manage

# The product list's view fails as a bug would; the request goes through the whole stack.
FAILING_PAGE = (
    "from unittest import mock; from django.test import Client; "
    "from django.test.utils import setup_test_environment; setup_test_environment(); "
    "mock.patch('products.views.product_list', side_effect=RuntimeError('boom')).start(); "
    "print(Client(raise_request_exception=False).get('/').status_code)"
)


def admins():
    return get_user_model().objects.using("default").filter(username="admin").count()


def in_the_project(*command, **environment):
    """A command run in the project's folder, as a learner's shell runs it, in a process
    of its own: the settings are read afresh from the environment given."""
    inherited = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DEMO_PANEL")}
    project = site.BASE_DIR  # with the folder above it, as pytest.ini's pythonpath
    path = os.pathsep.join([str(project), str(project.parent)])
    return subprocess.run(
        [sys.executable, *command],
        env=inherited | {"PYTHONPATH": path, "DJANGO_SECRET_KEY": "k" * 50} | environment,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )


def panel_setting(**environment):
    """DEMO_PANEL as the settings read it from the environment."""
    code = "from shop import settings; print(settings.DEMO_PANEL)"
    done = in_the_project("-c", code, **environment)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip() == "True"


class ServedChecks:
    """Served like a real site: shop/wsgi.py and shop/asgi.py serve the shop, a 500 with
    DEBUG off leaves its traceback on stderr, setup_demo makes no admin / admin on a site
    that is not debugging unless asked, and the panel is off there unless asked."""

    @pytest.mark.django_db(databases="__all__", transaction=True)
    def test_the_wsgi_application_serves_the_product_list(self, product):
        """shop/wsgi.py is what gunicorn imports: its application answers a real WSGI call."""
        from shop.wsgi import application

        environ, started = {"PATH_INFO": "/"}, []
        setup_testing_defaults(environ)
        body = b"".join(application(environ, lambda status, headers: started.append(status)))
        assert started == ["200 OK"]
        assert product.name.encode() in body

    @pytest.mark.django_db(databases="__all__", transaction=True)
    def test_the_asgi_application_serves_the_product_list(self, product):
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
        assert product.name.encode() in body

    def test_a_500_with_debug_off_prints_its_traceback_to_stderr(self):
        """LOGGING sends django.request's errors to the console: by default Django prints
        them only with DEBUG on, so a 500 on a served site left no trace anywhere."""
        result = in_the_project("manage.py", "shell", "-c", FAILING_PAGE, DJANGO_DEBUG="off")
        assert result.stdout.split()[-1:] == ["500"], result.stderr
        assert "Internal Server Error: /" in result.stderr
        assert "Traceback" in result.stderr
        assert "RuntimeError: boom" in result.stderr

    @pytest.mark.django_db(databases="__all__", transaction=True)
    def test_setup_demo_with_debug_off_creates_no_admin(self, settings):
        """A site with DEBUG off may be reachable by others: admin / admin would let them in."""
        settings.DEBUG = False
        output = StringIO()
        call_command("setup_demo", stdout=output)
        assert admins() == 0
        assert "setup_demo --admin" in output.getvalue()

    @pytest.mark.django_db(databases="__all__", transaction=True)
    def test_setup_demo_admin_creates_admin_with_debug_off(self, settings):
        """--admin is the way to ask for it on a site that is not debugging."""
        settings.DEBUG = False
        call_command("setup_demo", "--admin", stdout=StringIO())
        assert admins() == 1

    @pytest.mark.django_db(databases="__all__", transaction=True)
    def test_setup_demo_with_debug_on_creates_admin(self, settings):
        """As `make demo` runs it: admin / admin, for the README's steps."""
        settings.DEBUG = True
        call_command("setup_demo", stdout=StringIO())
        assert admins() == 1

    def test_the_panel_is_off_with_debug_off(self):
        """DJANGO_DEBUG=off turns the panel off: it shows every visitor's data."""
        assert not panel_setting(DJANGO_DEBUG="off")

    def test_demo_panel_turns_it_on_with_debug_off(self):
        """DEMO_PANEL=on shows the panel on a site served with DEBUG off."""
        assert panel_setting(DJANGO_DEBUG="off", DEMO_PANEL="on")


# A copy of the project runs on its own SQLite files, when every alias is one (on
# PostgreSQL it would share the servers' databases).
in_a_copy = pytest.mark.skipif(
    any(connection.vendor != "sqlite" for connection in connections.all()),
    reason="in a copy of the project, on its own SQLite files",
)


class CommandChecks:
    """The project's own management commands, as `manage.py help` and `makemigrations`
    see them. A subclass's module brings a ``project`` fixture, a copy of the project."""

    # What setup_demo -v 0 leaves in the copy: a file, a table of it, and its rows.
    set_up_demo = ("default.sqlite3", "products_product", 5)
    # What db_status says on stderr when every database is there but empty, and its exit
    # code: nothing and 0, where the pattern's facts need no table of its own.
    status_before_migrate = ("", 0)

    @in_a_copy
    def test_setup_demo_v0_prints_nothing_on_success(self, project):
        """-v 0 is for scripts (Django's verbosity): no output, and everything still set up."""
        result = manage(project, "setup_demo", "--reset", "-v", "0")
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
        path, table, rows = self.set_up_demo
        assert count(project / path, table) == rows

    @in_a_copy
    def test_db_status_before_migrate_names_what_it_cannot_read(self, project):
        """Every file there but empty: each alias up with its migrations unapplied, and
        facts that need the pattern's tables said not read (exit 2: the site cannot
        serve) or a replica that cannot be read (exit 1), never a traceback."""
        for path in project.glob("*.sqlite3*"):
            path.unlink()
        for alias in connections:
            (project / f"{alias}.sqlite3").touch()
        result = manage(project, "db_status")
        assert "unapplied migrations" in result.stdout
        line, code = self.status_before_migrate
        assert result.stderr.splitlines() == ([line] if line else [])
        assert result.returncode == code

    def test_every_option_of_every_command_has_help(self):
        """`manage.py help <command>` explains each option, as Django's own commands do."""
        for name, app in get_commands().items():
            if app == "shop":
                parser = load_command_class(app, name).create_parser("manage.py", name)
                assert [action.dest for action in parser._actions if not action.help] == [], name

    @pytest.mark.django_db(databases="__all__")
    def test_every_model_change_has_its_migration(self):
        """makemigrations --check finds nothing to write. It runs here, on the test databases:
        run by `make test` on the site's own files, it warned on a fresh clone, which has none."""
        output = StringIO()
        call_command("makemigrations", "--check", "--dry-run", stdout=output)
        assert output.getvalue() == "No changes detected\n"
