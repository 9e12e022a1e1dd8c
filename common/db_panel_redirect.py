"""What a redirected request ran, carried to the page it leads to, in a signed cookie.

Every worker of a server can read a cookie, where a per-process cache finds what it
kept only when the same worker answers the next request. A cookie holds 4 KB: the
statements that do not fit are left out, their number kept and said. It holds what the
panel shows, secrets already hidden, and its signature keeps a visitor from making the
panel show what no request ran. Neither the session nor a database cache would do:
each would be SQL of its own on "default", and a session for every visitor.
"""

import copy

from django.core import signing
from django.db import connections

COOKIE = "db_panel_redirect"
# Under the 4 KB browsers keep per cookie, with room for its name and attributes.
COOKIE_BYTES = 3500


def keep_for_next_page(response, shown):
    """Put a redirected request's summary in a signed cookie, dropping its last
    statements (their counts stay) until it fits."""
    shown = copy.deepcopy(shown)  # the redirect's own response.db_panel keeps them all
    while True:
        value = signing.dumps(shown, salt=COOKIE, compress=True)
        biggest = max(shown["databases"], key=lambda db: len(db["statements"]))
        if len(value) <= COOKIE_BYTES or not biggest["statements"]:
            break
        biggest["statements"].pop()
        biggest["dropped"] += 1
    response.set_cookie(COOKIE, value, max_age=60, httponly=True, samesite="Lax")


def kept(request):
    """The summary a redirect left for this page, or None if it is stale, forged, or from
    another project served on the same host (the four share the demo's secret key)."""
    try:
        shown = signing.loads(request.COOKIES[COOKIE], salt=COOKIE, max_age=60)
    except signing.BadSignature:
        return None
    return shown if [db["alias"] for db in shown["databases"]] == list(connections) else None
