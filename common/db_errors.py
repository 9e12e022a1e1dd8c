import logging

from django.db import InternalError, OperationalError, ProgrammingError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


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
        if not isinstance(exception, (OperationalError, ProgrammingError, InternalError)):
            return None
        logger.error("Database error on %s: %s", request.path, exception)
        # Rendered without the site's base template: that one reads the user from the
        # database, which may be the one that is missing.
        page = render_to_string("common/database_error.html", {"error": exception})
        return HttpResponse(page, status=503)
