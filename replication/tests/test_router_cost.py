"""What choosing a replica costs a request: one plain statement per replica, read as the
ORM would read it (figure 2 of ``make bench`` measures it)."""

import sqlite3

import pytest
from django.db.models import QuerySet
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from common.sqlite import database_file
from shop.models import Heartbeat
from shop.pinning import ReadYourWritesMiddleware, read_database
from shop.replicas import PRIMARY, check_health, read_lag

from .helpers import ALIASES, ON_POSTGRES, standby_catch_up

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


def querysets_built(function, monkeypatch):
    """How many querysets one call of `function` builds."""
    built = []
    original = QuerySet.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "__init__", counting)
    function()
    monkeypatch.undo()
    return len(built)


def test_choosing_a_replica_builds_no_queryset(monkeypatch):
    """The heartbeat reads are plain statements: a queryset per replica cost as much as
    the request's own lookups, and made the router 1.10x an explicit .using()."""
    middleware = ReadYourWritesMiddleware(lambda request: HttpResponse(read_database()))
    assert querysets_built(lambda: middleware(RequestFactory().get("/")), monkeypatch) == 0


@pytest.mark.parametrize("alias", ["replica1", "replica2"])
def test_the_lag_is_read_as_the_orm_reads_the_heartbeat(alias):
    """Seconds between the beat the replica holds, as the ORM reads it, and its clock:
    under the time since replicate ran, on SQLite (text) and PostgreSQL alike."""
    before = Heartbeat.objects.using(alias).get(pk=1).beat
    lag = read_lag(alias)
    assert 0 <= lag <= (timezone.now() - before).total_seconds()


def test_a_replica_without_a_heartbeat_is_skipped_and_says_why():
    if ON_POSTGRES:
        Heartbeat.objects.using(PRIMARY).all().delete()
        standby_catch_up()
    else:
        with sqlite3.connect(database_file("replica1")) as replica:
            replica.execute("DELETE FROM shop_heartbeat")
        replica.close()
    health = check_health("replica1")
    assert health.problem == "it holds no heartbeat yet: run manage.py replicate"
