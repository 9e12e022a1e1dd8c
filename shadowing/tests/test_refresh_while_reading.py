"""A page read while take_snapshot loads a new snapshot answers at once, from the old
one: on SQLite the load fills a file beside the snapshot, on PostgreSQL a schema beside
it, and neither is read until it is swapped in whole."""

import statistics
import time

import pytest
from django.db import connections

from .helpers import ON_POSTGRES
from .test_commands_take_snapshot_postgres import (
    later_dump,
    snapshot_sessions,
    take_snapshot_in_a_process,
)

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)

KETTLE = 1
MORE = 50_000  # reviews of the kettle the new snapshot adds: a load of a few seconds
PAGE_BUDGET = 0.100  # seconds


def loading(process):
    """Whether the load has begun: its file beside the snapshot, or its transaction."""
    if ON_POSTGRES:
        return snapshot_sessions("backend_xid IS NOT NULL") > 0
    from shop.snapshot import building, snapshot_file

    return building(snapshot_file())[0].exists()


def timed_page(client):
    started = time.perf_counter()
    response = client.get(f"/products/{KETTLE}/")
    return time.perf_counter() - started, response.context["page"].paginator.count


def test_a_page_read_during_a_refresh_answers_within_100_ms_from_the_old_snapshot(demo, tmp_path):
    timed_page(demo)  # the first page compiles the templates: not the load's doing
    process = take_snapshot_in_a_process(later_dump(tmp_path, reviews=MORE))
    while not loading(process):
        assert process.poll() is None, process.communicate()
        time.sleep(0.005)
    pages = [timed_page(demo) for _ in range(5)]
    still_loading = process.poll() is None
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert still_loading  # every page was read during the load
    assert {count for _, count in pages} == {25}  # the old snapshot's reviews of the kettle
    assert statistics.median(seconds for seconds, _ in pages) < PAGE_BUDGET, pages
    # The test client keeps its connections across requests, where a served request
    # closes them: on SQLite this one still holds the old file (README, Traps).
    connections["snapshot"].close()
    assert timed_page(demo)[1] == 25 + MORE
