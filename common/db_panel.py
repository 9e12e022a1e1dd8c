"""The database panel: every alias a request touched, and the SQL it ran there.

The middleware wraps every connection with ``connection.execute_wrapper()`` for the
length of the request, so it sees each statement the routers sent to each database,
with DEBUG on or off. It must come first in MIDDLEWARE, so that the session and auth
queries of the other middleware are seen too. It is on with ``DEMO_PANEL`` (which the
settings turn on with DEBUG): the SQL it shows holds every visitor's data.

A form's POST answers with a redirect, which has no page to show its panel; so what a
redirected request ran travels to the next page (common/db_panel_redirect.py).

A pattern can say more about an alias than its SQL: ``note(alias, text)`` adds a line
under that alias in the panel of the current request (which replica served the page,
why another was skipped, a shard that is missing); ``state="skipped"``, ``"missing"``
or ``"failed"`` marks its box in the diagram too.
"""

import re
import time
from contextlib import ExitStack
from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.template.loader import render_to_string

from .db_diagram import diagram, state_of, words
from .db_panel_redirect import COOKIE, keep_for_next_page, kept
from .sql import is_write, redact

BODY = re.compile(rb"<body[^>]*>", re.I)
_current_log = ContextVar("db_panel_log", default=None)


def note(alias, text, state=None):
    """Add a line under ``alias`` in this request's panel; outside a request, do nothing."""
    log = _current_log.get()
    if log is not None:
        log.notes.setdefault(alias, []).append(text)
        if state:
            log.states[alias] = state


class QueryLog:
    """An execute wrapper that records each statement under its alias, secrets hidden."""

    def __init__(self):
        self.statements = {alias: [] for alias in connections}
        self.notes = {}
        self.states = {}

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        error = None
        try:
            return execute(sql, params, many, context)
        except Exception as exc:
            # The first line: PostgreSQL's DETAIL lines may quote a row's values.
            error = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
            raise
        finally:
            connection = context["connection"]
            self.statements[connection.alias].append(
                {
                    "sql": self.readable_sql(connection, context["cursor"], sql, params, many),
                    "ms": (time.perf_counter() - start) * 1000,
                    "error": error,
                    "write": is_write(sql),
                }
            )

    @staticmethod
    def readable_sql(connection, cursor, sql, params, many):
        """The statement with its parameters filled in, secret ones as marks."""
        if many:
            return f"{sql}  -- executed for {len(params)} rows"
        shown = redact(sql, params)
        try:
            if connection.vendor == "postgresql":
                # Its last_executed_query() reads the statement back from the cursor,
                # with the real values: it is composed again, from the hidden ones.
                return connection.ops.compose_sql(sql, shown)
            return connection.ops.last_executed_query(cursor, sql, shown)
        except Exception:  # a failed statement may not be formattable; show it raw
            return f"{sql}  -- params {shown!r}"

    def summary(self, request, status):
        """What the panel shows of a request: per alias, its statements and their kind."""
        return {
            "request": f"{request.method} {request.get_full_path()}",
            "status": status,
            "databases": [self.alias_summary(alias) for alias in self.statements],
        }

    def alias_summary(self, alias):
        statements = self.statements[alias]
        writes = sum(s["write"] for s in statements)
        reads = len(statements) - writes
        state = state_of(reads, writes, self.states.get(alias))
        return {
            "alias": alias,
            "statements": statements,
            "count": len(statements),
            "reads": reads,
            "writes": writes,
            "dropped": 0,
            "notes": self.notes.get(alias, []),
            "state": state,
            "says": words(reads, writes, state),
        }


class DatabasePanelMiddleware:
    """Show, at the top of every HTML page, the SQL each database alias ran for it; keep
    what it showed as ``response.db_panel`` (the tests read it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DEMO_PANEL:
            return self.get_response(request)
        log = QueryLog()
        token = _current_log.set(log)
        try:
            with ExitStack() as stack:
                for alias in connections:
                    stack.enter_context(connections[alias].execute_wrapper(log))
                response = self.get_response(request)
        finally:
            _current_log.reset(token)
        this_request = log.summary(request, response.status_code)
        response.db_panel = [this_request]
        if response.status_code in (301, 302, 303, 307, 308):
            if any(db["count"] for db in this_request["databases"]):
                keep_for_next_page(response, this_request)
        elif is_html_page(response):
            if COOKIE in request.COOKIES:
                response.delete_cookie(COOKIE)
                if redirected := kept(request):
                    response.db_panel.insert(0, redirected)
            insert_panel(request, response, response.db_panel)
        return response


def is_html_page(response):
    """A whole HTML page, with a body to put the panel in (not a file, not a fragment,
    not bytes a middleware inside this one compressed)."""
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and response.get("Content-Type", "").startswith("text/html")
        and BODY.search(response.content) is not None
    )


def insert_panel(request, response, requests):
    """Put the panel right after <body>, so that it is in the first screen of every page."""
    context = {"requests": requests, "diagram": diagram(requests)}
    panel = render_to_string("common/db_panel.html", context, request=request)
    # A character the page's charset lacks (an arrow in Latin-1) is written as &#8594;.
    panel = panel.encode(response.charset, "xmlcharrefreplace")
    at = BODY.search(response.content).end()
    response.content = response.content[:at] + panel + response.content[at:]
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
