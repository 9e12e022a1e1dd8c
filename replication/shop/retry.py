"""A read that fails on a replica is run again, once, on another usable replica or the
primary, rather than answered with a 503.

A replica can fail a read that its health allowed: it went down after its health was
read (a health is kept for REPLICA_HEALTH_SECONDS), a pooled connection to it died with
its server, or a hot standby cancelled the read ("conflict with recovery"). Only a
request that cannot have changed anything is run again: GET or HEAD, and nothing written
(ReadYourWritesMiddleware marks the response, shop/pinning.py). The replica is remembered
as down first (replicas.DOWN), so the second run reads elsewhere; a second failure gets
the 503 page.
"""

from contextvars import ContextVar

from common.db_errors import DatabaseErrorMiddleware, failed_alias, unanswered
from common.db_panel import note

from .replicas import REPLICAS, remember_down

# Running these twice does nothing twice (RFC 9110 calls GET and HEAD safe).
RETRIED_METHODS = {"GET", "HEAD"}
_retrying = ContextVar("retrying", default=False)


def may_run_again(request, response):
    """Whether a request whose read failed may be run again: safe, and it wrote nothing."""
    return request.method in RETRIED_METHODS and not getattr(response, "wrote", False)


class ReadRetryMiddleware:
    """Listed after DatabaseErrorMiddleware, so that its process_exception sees a failed
    read first; before ReadYourWritesMiddleware, so that the second run chooses anew."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.error_page = DatabaseErrorMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        alias = getattr(response, "failed_replica", None)
        if alias is None or not may_run_again(request, response):
            return response
        remember_down(alias)
        note(alias, "the read is run again on another replica or the primary", state="failed")
        token = _retrying.set(True)
        try:
            return self.get_response(request)
        finally:
            _retrying.reset(token)

    def process_exception(self, request, exception):
        """The 503 page, marked with the replica that failed: __call__ runs the request
        again if it may, or answers with the page."""
        if _retrying.get() or not unanswered(exception):
            return None
        alias = failed_alias(exception)
        if alias not in REPLICAS:
            return None
        response = self.error_page.process_exception(request, exception)
        response.failed_replica = alias
        return response
