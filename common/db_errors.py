import logging

from django.conf import settings
from django.core.management import CommandError
from django.db import (
    DatabaseError,
    InternalError,
    OperationalError,
    ProgrammingError,
    connections,
)
from django.db.utils import DatabaseErrorWrapper
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.connection import ConnectionDoesNotExist

from .db_panel import note

logger = logging.getLogger(__name__)

# A database that is not set up, as either engine reports it to a command: SQLite says
# "no such table" (an OperationalError), PostgreSQL 'relation "..." does not exist' (a
# ProgrammingError), and a server it cannot reach is an OperationalError: missing_table()
# tells the two apart.
NOT_SET_UP = (OperationalError, ProgrammingError)


def missing_table(error):
    """Whether a database error says a table is missing: the database answered, but is not
    set up, and only then is "run setup_demo" the advice. SQLite says "no such table" (an
    OperationalError), PostgreSQL 'relation "..." does not exist' (UndefinedTable, a
    ProgrammingError). A server that cannot be reached, or a file that cannot be opened, is
    an OperationalError too: setting the database up again would not help it."""
    if isinstance(error, ProgrammingError):
        return getattr(error.__cause__, "sqlstate", None) == "42P01"  # undefined_table
    return isinstance(error, OperationalError) and str(error).startswith("no such table")


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


class Unavailable(Exception):  # noqa: N818 (named for what it says, as Http404)
    """A database the code itself found it cannot use, before any query (shadowing's
    SnapshotMissing): answered with the same 503 page as the database's own errors, and
    naming the alias its subclass sets as .alias. Not a DatabaseError, so that code which
    retries database errors does not retry it."""

    alias = None


def unanswered(error):
    """A database that could not answer, rather than data it refused: missing, not set up,
    read-only, a file that is not a database (SQLite's plain DatabaseError), an alias the
    code asks for that is not in DATABASES (ConnectionDoesNotExist), or one the code found
    it cannot use (Unavailable). DatabaseError's other subclasses, IntegrityError and
    DataError, are the data's fault: left to Django."""
    kinds = (OperationalError, ProgrammingError, InternalError, ConnectionDoesNotExist, Unavailable)
    return isinstance(error, kinds) or type(error) is DatabaseError


def failed_alias(error):
    """The alias whose database raised ``error``, or None if it did not come from one.

    Django turns a driver's error into its own inside ``wrap_database_errors``, on the
    way out of a connection or a cursor, and says nothing of the alias in the error
    itself; the wrapper that did it is in the traceback and knows its connection.
    """
    alias, frame = None, error.__traceback__
    while frame is not None:
        # Matched by its code, not isinstance(): another frame's "self" may be a lazy
        # object (request.user) that would query the failed database to answer.
        if frame.tb_frame.f_code is DatabaseErrorWrapper.__exit__.__code__:
            alias = frame.tb_frame.f_locals["self"].wrapper.alias
        frame = frame.tb_next
    return alias


class DatabaseErrorMiddleware:
    """Answer a database that is missing or not set up with a 503 page that says so.

    The settings open SQLite files with "?mode=rw", so a missing file cannot be opened,
    and a file that is not a database cannot be read; PostgreSQL refuses the connection
    to a database that is gone. A write that reaches a read-only database fails too (an
    InternalError on PostgreSQL). The page names the alias that failed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not unanswered(exception):
            return None
        # An error the code raises for a database it found missing says which, as .alias.
        alias = failed_alias(exception) or getattr(exception, "alias", None)
        logger.error("Database error on %s, alias %s: %s", request.path, alias, exception)
        if alias:
            note(alias, f"failed: {first_line(exception)}", state="failed")
        # Rendered with no request, so no context processor reads a database (the user,
        # the messages), which may be the one that is missing; the page's header names
        # the pattern, as every page's does.
        context = {"error": exception, "alias": alias, "pattern_title": settings.PATTERN_TITLE}
        page = render_to_string("common/database_error.html", context)
        return HttpResponse(page, status=503)
