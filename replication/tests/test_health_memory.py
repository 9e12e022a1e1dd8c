"""Each replica's health is read once per REPLICA_HEALTH_SECONDS per process, not at every
request, and its lag is measured by the databases' clocks. Uses default (the primary),
replica1 and replica2."""

from contextlib import ExitStack
from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop.replicas import HEALTH, REPLICAS, check_health

from .helpers import ALIASES, panel_notes

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


def heartbeat_reads(client, requests):
    """How many times each replica's heartbeat is read over that many page requests."""
    with ExitStack() as stack:
        logs = {a: stack.enter_context(CaptureQueriesContext(connections[a])) for a in REPLICAS}
        for _ in range(requests):
            assert client.get("/").status_code == 200
    return {alias: sum("shop_heartbeat" in q["sql"] for q in log) for alias, log in logs.items()}


def test_requests_within_its_lifetime_read_each_heartbeat_once(client, settings):
    settings.REPLICA_HEALTH_SECONDS = 60  # far more than five requests take
    assert heartbeat_reads(client, 5) == {"replica1": 1, "replica2": 1}


def test_a_health_past_its_lifetime_is_read_again(client, settings):
    settings.REPLICA_HEALTH_SECONDS = 0
    assert heartbeat_reads(client, 3) == {"replica1": 3, "replica2": 3}


def test_the_panel_shows_how_old_a_kept_health_is(client, settings):
    settings.REPLICA_HEALTH_SECONDS = 60
    client.get("/")
    [kept] = [n for n in panel_notes(client.get("/"), "replica1") if n.startswith("health ")]
    assert kept.endswith(" s ago (kept for REPLICA_HEALTH_SECONDS)")


def test_a_kept_lag_grows_with_its_age(settings):
    """Never younger than the copy could be: the router skips a replica on time."""
    settings.REPLICA_HEALTH_SECONDS = 60
    health = check_health("replica1")
    HEALTH["replica1"] = replace(health, read_at=health.read_at - 20)  # read 20 s ago
    assert check_health("replica1").lag >= health.lag + 20


def test_the_lag_does_not_depend_on_the_web_servers_clock(monkeypatch):
    """A web server whose clock is an hour ahead measures the same lag: the heartbeat is
    written and read by the databases' clocks (replicate ran with the right time)."""
    ahead = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: ahead)
    assert check_health("replica1").lag < 60
