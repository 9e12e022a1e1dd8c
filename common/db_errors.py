import logging

from django.core.management import CommandError
from django.db import InternalError, OperationalError, ProgrammingError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.connection import ConnectionDoesNotExist

from .db_panel import note

logger = logging.getLogger(__name__)

# A database that is not set up, as either engine reports it to a command: SQLite says
# "no such table" (an OperationalError), PostgreSQL 'relation "..." does not exist' (a
# ProgrammingError), and a server it cannot reach is an OperationalError.
NOT_SET_UP = (OperationalError, ProgrammingError)


def first_line(error):
    """PostgreSQL follows its message with the statement and a caret: the first line says it."""
    return str(error).splitlines()[0]


def reach(alias):
    """Connect to an alias's database, or stop the command with an error that says what to do."""
    try:
        connections[alias].ensure_connection()
    except OperationalError as error:
        raise CommandError(
            f"{alias}: cannot connect ({first_line(error)}). On PostgreSQL: make postgres-up first."
        ) from None


def alias_that_failed_to_connect(error):
    """The alias of the innermost database wrapper in the error's traceback, or None.

    Django's errors do not name their database. A failed statement is in the panel
    already; a connection that could not be opened ran none, so only its traceback
    tells, through the wrapper that tried to connect.
    """
    alias, frame = None, error.__traceback__
    while frame:
        wrapper = frame.tb_frame.f_locals.get("self")
        # type(), not isinstance(): a lazy object (request.user) would be evaluated.
        if issubclass(type(wrapper), BaseDatabaseWrapper):
            alias = wrapper.alias
        frame = frame.tb_next
    return alias


class DatabaseErrorMiddleware:
    """Answer a database that is missing or not set up with a 503 page that says so.

    SQLite creates an empty file where a database file is missing, so the first
    query then fails with "no such table"; PostgreSQL refuses the connection. A write
    that reaches a read-only database fails too (an InternalError on PostgreSQL). The
    database panel under the page shows which alias failed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # ConnectionDoesNotExist: an alias the code asks for is not in DATABASES.
        answered = (OperationalError, ProgrammingError, InternalError, ConnectionDoesNotExist)
        if not isinstance(exception, answered):
            return None
        logger.error("Database error on %s: %s", request.path, exception)
        alias = alias_that_failed_to_connect(exception)
        if alias:
            note(alias, f"failed: {first_line(exception)}")
        # Rendered without the site's base template: that one reads the user from the
        # database, which may be the one that is missing.
        page = render_to_string("common/database_error.html", {"error": exception})
        return HttpResponse(page, status=503)
