"""The database panel: every alias a request touched, and the SQL it ran there.

The middleware wraps every connection with ``connection.execute_wrapper()`` for the
length of the request, so it sees each statement the routers sent to each database,
with DEBUG on or off. It must come first in MIDDLEWARE, so that the session and auth
queries of the other middleware are seen too.

A form's POST answers with a redirect, which has no page to show its panel; so the
queries of a redirected request, if it ran any, are kept for a minute (in the cache,
behind a cookie) and shown on the page it led to.

A pattern can say more about an alias than its SQL: ``note(alias, text)`` adds a line
under that alias in the panel of the current request (which replica served the page,
why another was skipped, a shard that is missing).
"""

import secrets
import time
from contextlib import ExitStack
from contextvars import ContextVar

from django.core.cache import cache
from django.db import connections
from django.template.loader import render_to_string

COOKIE = "db_panel_redirect"
_current_log = ContextVar("db_panel_log", default=None)


def note(alias, text):
    """Add a line under ``alias`` in this request's panel; outside a request, do nothing."""
    log = _current_log.get()
    if log is not None:
        log.notes.setdefault(alias, []).append(text)


class QueryLog:
    """An execute wrapper that records (alias, sql, milliseconds, error) per statement."""

    def __init__(self):
        self.statements = {alias: [] for alias in connections}
        self.notes = {}

    def __call__(self, execute, sql, params, many, context):
        connection = context["connection"]
        start = time.perf_counter()
        error = None
        try:
            return execute(sql, params, many, context)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            milliseconds = (time.perf_counter() - start) * 1000
            shown = self.readable_sql(connection, context["cursor"], sql, params, many)
            self.statements[connection.alias].append((shown, milliseconds, error))

    @staticmethod
    def readable_sql(connection, cursor, sql, params, many):
        """The statement with its parameters filled in, as the database saw it."""
        if many:
            return f"{sql}  -- executed for {len(params)} rows"
        try:
            return connection.ops.last_executed_query(cursor, sql, params)
        except Exception:  # a failed statement may not be formattable; show it raw
            return f"{sql}  -- params {params!r}"

    def summary(self):
        """Per alias: its statements, their count and total time."""
        return [
            {
                "alias": alias,
                "statements": statements,
                "count": len(statements),
                "milliseconds": sum(ms for _, ms, _ in statements),
                "notes": self.notes.get(alias, []),
            }
            for alias, statements in self.statements.items()
        ]


class DatabasePanelMiddleware:
    """Show, at the foot of every HTML page, the SQL each database alias ran for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        log = QueryLog()
        token = _current_log.set(log)
        try:
            with ExitStack() as stack:
                for alias in connections:
                    stack.enter_context(connections[alias].execute_wrapper(log))
                response = self.get_response(request)
        finally:
            _current_log.reset(token)
        this_request = {
            "request": f"{request.method} {request.path}",
            "status": response.status_code,
            "databases": log.summary(),
        }
        if response.status_code in (301, 302, 303, 307, 308):
            if any(db["count"] for db in this_request["databases"]):
                self.keep_for_next_page(response, this_request)
        elif self.is_html_page(response):
            token = request.COOKIES.get(COOKIE)
            redirected = cache.get(f"{COOKIE}:{token}") if token else None
            self.insert_panel(request, response, [redirected, this_request])
            if token:
                response.delete_cookie(COOKIE)
        return response

    @staticmethod
    def keep_for_next_page(response, this_request):
        token = secrets.token_urlsafe(16)
        cache.set(f"{COOKIE}:{token}", this_request, timeout=60)
        response.set_cookie(COOKIE, token, max_age=60, httponly=True, samesite="Lax")

    @staticmethod
    def is_html_page(response):
        return (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"</body>" in response.content
        )

    @staticmethod
    def insert_panel(request, response, requests):
        panel = render_to_string(
            "common/db_panel.html", {"requests": [r for r in requests if r]}, request=request
        )
        head, _, tail = response.content.rpartition(b"</body>")
        response.content = head + panel.encode(response.charset) + b"</body>" + tail
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
