"""SnapshotMissing answered as a database error is: the 503 page that names the snapshot.

common's DatabaseErrorMiddleware answers the errors a database raises; SnapshotMissing is
the overlay's own, raised before any query, and not an OperationalError (shop/shadow.py),
so this one answers it, with the same page and the same mark on the panel.
"""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string

from common.db_errors import DatabaseErrorMiddleware
from common.db_panel import note

from .shadow import SnapshotMissing

logger = logging.getLogger(__name__)


class SnapshotMissingMiddleware(DatabaseErrorMiddleware):
    def process_exception(self, request, exception):
        if not isinstance(exception, SnapshotMissing):
            return None
        logger.error("Snapshot missing on %s: %s", request.path, exception)
        note(exception.alias, f"failed: {exception}", state="failed")
        context = {"error": exception, "alias": exception.alias}
        return HttpResponse(render_to_string("common/database_error.html", context), status=503)
