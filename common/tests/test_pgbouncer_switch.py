"""DEMO_PGBOUNCER=on: every alias Django would pool on the primary goes through PgBouncer
(postgres/up.sh), with no pool of Django's and no server-side cursors; the rest are left
as they were. The settings alone, no database used (common/tests_pgbouncer/ tests what
PgBouncer does with them)."""

import pytest

from common.postgres import BOUNCER, PRIMARY, SERVERS, database


@pytest.fixture
def switched_on(monkeypatch):
    monkeypatch.setenv("DEMO_PGBOUNCER", "on")


def test_a_pooled_alias_on_the_primary_goes_through_pgbouncer(switched_on):
    """PgBouncer's pool replaces Django's; libpq's options, which PgBouncer 1.18 refuses,
    are left out (it sets the same bounds itself)."""
    settings = database(PRIMARY, "shop")
    assert (settings["HOST"], settings["PORT"]) == (BOUNCER["HOST"], BOUNCER["PORT"])
    assert settings["OPTIONS"] == {"pool": False}
    assert settings["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_other_servers_and_unpooled_aliases_stay_direct(switched_on):
    """The standbys and shards have no PgBouncer; an alias without a pool (shadowing's
    snapshot, dropped whole) would find PgBouncer holding connections to its database."""
    assert database(SERVERS["shard1"], "shop")["PORT"] == SERVERS["shard1"]["PORT"]
    assert database(PRIMARY, "snapshot", pool=False)["PORT"] == PRIMARY["PORT"]


def test_without_the_switch_the_primary_is_reached_directly(monkeypatch):
    monkeypatch.delenv("DEMO_PGBOUNCER", raising=False)
    assert database(PRIMARY, "shop")["PORT"] == PRIMARY["PORT"]
