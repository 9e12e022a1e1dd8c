"""The consistency lab's scenarios (bench/replication_lab.py) through Pgpool-II, inside
the process of bench/replication_pgpool.py: one alias, no router, no strategy. The alias
is the same for every read, so which server answered a read of the shop's tables is
asked on its session right after it (common/pgpool.py's server_of)."""

import logging
from collections import Counter
from unittest.mock import patch

from common.pgpool import NODES, server_of, session, until
from common.postgres import PRIMARY, SERVERS
from common.sql import is_write

from . import replication_lab

SERVED = Counter()  # server name: reads of the shop's tables it answered
LOGGED_IN = replication_lab.client  # a browser just logged in


def count_by_server(execute, sql, params, many, context):
    """An execute wrapper: after each read of the shop's tables, its server, asked on the
    same session (Pgpool keeps a session's reads on one server)."""
    result = execute(sql, params, many, context)
    if not is_write(sql) and any(table in sql for table in replication_lab.SHOP_TABLES):
        with context["connection"].connection.cursor() as same_session:
            SERVED[server_of(same_session)] += 1
    return result


def watch(sender, connection, **kwargs):
    if count_by_server not in connection.execute_wrappers:
        connection.execute_wrappers.append(count_by_server)


def from_primary(model, **lookup):
    """The lab's on_primary, read on the primary itself: through Pgpool it may not be.
    Empty (the scenario's next step fails, and counts it) when the write never came: its
    request read the login's session on a standby that had yet to replay it, and was sent
    to log in (a stale read too)."""
    from django.db import connections

    ((field, value),) = lookup.items()
    query = f'SELECT id FROM "{model._meta.db_table}" WHERE "{field}" = %s'
    with session(PRIMARY, connections["default"].settings_dict["NAME"]) as primary:
        found = primary.execute(query, [value]).fetchone()
    return found[0] if found else ""


def logged_in_everywhere(user):
    """The lab's client, once both standbys have replayed its login: the scenarios then
    measure a write and its read, as under the app's strategies, which read sessions on
    the primary. What a fresh login meets is fresh_login's."""
    browser = LOGGED_IN(user)
    key = browser.session.session_key
    until(lambda: all(has_session(standby, key) for standby in NODES[1:]), "the login replayed")
    return browser


def has_session(standby, key):
    from django.db import connections

    with session(SERVERS[standby], connections["default"].settings_dict["NAME"]) as direct:
        query = "SELECT 1 FROM django_session WHERE session_key = %s"
        return direct.execute(query, [key]).fetchone() is not None


def fresh_login(user):
    """A login, then the next page, which needs it: was the user sent to log in again?"""
    return LOGGED_IN(user).get("/reviews/new/").status_code != 200


def afresh(scenario, user, product):
    """One run of a scenario, then its sessions closed: each run draws its servers anew,
    as each request does (a command's session would keep its draw for every run)."""
    from django.db import connections

    try:
        return scenario(user, product, "none")
    finally:
        connections.close_all()


def share():
    return SERVED["primary"] / max(sum(SERVED.values()), 1)


def lab(user, product, runs, seconds):
    """{scenario: (stale, runs, primary share)}, and browsing's (stale, primary share);
    then fresh logins, each followed by a page: how many were sent to log in again. No
    strategy: with one alias the app has no replica to steer away from."""
    from django.test import override_settings

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the stale reads' 404s
    found = {}
    with (
        override_settings(REPLICATION_READ_YOUR_WRITES="none"),
        patch.object(replication_lab, "on_primary", from_primary),
        patch.object(replication_lab, "client", logged_in_everywhere),
    ):
        for name, scenario in replication_lab.SCENARIOS.items():
            SERVED.clear()
            stale = sum(afresh(scenario, user, product) for _ in range(runs))
            found[name] = (stale, runs, share())
        SERVED.clear()
        stale, _ = replication_lab.browsing(user, product, seconds)
        browsed = (stale, share())
    logged_out = sum(fresh_login(user) for _ in range(runs))
    found["a login, then the next page"] = (logged_out, runs, None)  # sent to log in again
    return found, browsed
