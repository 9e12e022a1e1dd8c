"""Losing a replica: one that is gone or too far behind is skipped, and no request fails
because of it. (Losing the primary, and promoting a standby in its place, is failover:
another lesson, not this project's.)"""

from contextlib import ExitStack

import pytest
from django.db import connections

from common.postgres import disconnect
from common.sqlite import database_file
from common.testing import panel_counts

from .helpers import (
    ALIASES,
    ON_POSTGRES,
    create_author,
    create_product,
    create_review,
    database_missing,
    make_replica_lag,
    panel_notes,
    replicate,
    retry_time_comes,
    sqlite_only,
)

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@pytest.fixture
def product():
    product = create_product()
    create_review(product, create_author(), text="Replicated.")
    replicate()
    return product


@pytest.fixture
def remove(tmp_path):
    """Take a replica away for the rest of the test, as `rm replica2.sqlite3` does while
    the site runs (on PostgreSQL: as if its server were down)."""
    with ExitStack() as stack:
        yield lambda alias: stack.enter_context(database_missing(alias, tmp_path))


# What the panel says of a replica that cannot be reached.
UNREACHABLE = (
    "skipped: it cannot be read: couldn't get a connection after 2.00 sec"
    if ON_POSTGRES
    else "skipped: it cannot be read: unable to open database file"
)


def served_by(client, product):
    response = client.get(f"/products/{product.pk}/")
    assert response.status_code == 200
    assert [review.text for review in response.context["page"].object_list] == ["Replicated."]
    return response, response.context["product"]._state.db


def test_a_missing_replica_is_skipped_and_named_in_the_panel(client, product, remove):
    remove("replica2")
    response, database = served_by(client, product)
    assert database == "replica1"
    [note] = panel_notes(response, "replica2")
    assert note.startswith(UNREACHABLE)


def test_a_missing_replica_is_then_skipped_without_being_asked(client, product, remove):
    remove("replica2")
    served_by(client, product)
    response, database = served_by(client, product)
    assert (database, panel_counts(response)["replica2"]) == ("replica1", 0)
    [note] = panel_notes(response, "replica2")
    assert note.startswith("skipped: down since ")


def test_a_lagging_replica_is_skipped_and_its_lag_named(client, product):
    make_replica_lag("replica1", 45)
    for _ in range(2):
        response, database = served_by(client, product)
        assert database == "replica2"
        note = panel_notes(response, "replica1")[-1]  # after its kept health's age
        assert note.startswith("skipped: its copy is 45.")
        assert note.endswith("s old, over REPLICA_MAX_LAG_SECONDS (30)")


def test_with_every_replica_gone_the_primary_serves_the_reads(client, product, remove):
    remove("replica1")
    make_replica_lag("replica2", 600)
    response, database = served_by(client, product)
    assert database == "default"
    assert panel_notes(response, "default") == ["serves the reads: no replica is usable"]


def test_the_panel_names_the_replica_that_served_the_page(client, product):
    response, database = served_by(client, product)
    [note] = panel_notes(response, database)
    assert note.startswith("serves the reads; its copy is ")
    assert panel_counts(response)[database] == 4  # heartbeat, product, count, page


@sqlite_only
def test_a_replica_with_no_data_yet_is_skipped(client, product, remove):
    """A replica file that exists but holds nothing, e.g. made by hand: skipped, named."""
    remove("replica1")
    database_file("replica1").touch()
    response, database = served_by(client, product)
    assert database == "replica2"
    assert panel_notes(response, "replica1")[0].startswith("skipped: it cannot be read: no such")


@pytest.mark.skipif(not ON_POSTGRES, reason="on SQLite: the test above")
def test_a_replica_without_the_tables_is_noted_in_one_line(client, product):
    """A server that answers but lacks the tables: skipped, with the error's first line
    (PostgreSQL follows it with the statement and a caret, which a note does not need)."""
    replica = connections["replica1"]
    name = replica.settings_dict["NAME"]
    replica.settings_dict["NAME"] = "postgres"  # a database on that server, with no tables
    disconnect("replica1")
    try:
        response, database = served_by(client, product)
    finally:
        replica.settings_dict["NAME"] = name
        disconnect("replica1")
    assert database == "replica2"
    assert panel_notes(response, "replica1") == [
        'skipped: it cannot be read: relation "shop_heartbeat" does not exist'
    ]


@sqlite_only
def test_replicate_brings_a_removed_replica_back_at_its_next_try(client, product, remove):
    remove("replica2")
    served_by(client, product)  # replica2 is found down, and remembered
    replicate()
    retry_time_comes()
    databases = {served_by(client, product)[1] for _ in range(2)}
    assert databases == {"replica1", "replica2"}
