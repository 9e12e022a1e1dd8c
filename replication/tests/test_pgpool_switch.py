"""DEMO_PGPOOL=on (with DEMO_DATABASE=postgres): the project on one alias, Pgpool-II's
endpoint, and no router; Pgpool splits reads from writes below it (README.rst,
"Pgpool-II: the split below the app"). The settings file alone, run afresh: no database
used (common/tests_pgpool tests what Pgpool does with them)."""

import runpy
from pathlib import Path

import pytest

from common.postgres import PGPOOL, PRIMARY

SETTINGS = Path(__file__).resolve().parents[1] / "shop" / "settings.py"


@pytest.fixture
def on_postgres(monkeypatch):
    monkeypatch.setenv("DEMO_DATABASE", "postgres")


def test_one_alias_through_pgpool_and_no_router(on_postgres, monkeypatch):
    monkeypatch.setenv("DEMO_PGPOOL", "on")
    settings = runpy.run_path(str(SETTINGS))
    assert list(settings["DATABASES"]) == ["default"]
    assert settings["DATABASES"]["default"]["PORT"] == PGPOOL["PORT"]
    assert settings["DATABASE_ROUTERS"] == []


def test_the_time_zone_comes_in_the_startup_packet(on_postgres, monkeypatch):
    """So Django sends no set_config on connect, which Pgpool would count as a write."""
    monkeypatch.setenv("DEMO_PGPOOL", "on")
    options = runpy.run_path(str(SETTINGS))["DATABASES"]["default"]["OPTIONS"]["options"]
    assert "-c TimeZone=UTC" in options


def test_without_the_switch_the_router_splits(on_postgres, monkeypatch):
    monkeypatch.delenv("DEMO_PGPOOL", raising=False)
    settings = runpy.run_path(str(SETTINGS))
    assert list(settings["DATABASES"]) == ["default", "replica1", "replica2"]
    assert settings["DATABASES"]["default"]["PORT"].split(",")[0] == PRIMARY["PORT"]
    assert settings["DATABASE_ROUTERS"] == ["shop.routers.PrimaryReplicaRouter"]
