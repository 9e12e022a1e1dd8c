"""A replica found unreachable is remembered, and not asked again for a while."""

import pytest

from common.testing import panel_counts

from .helpers import ALIASES, create_author, create_review, database_missing, panel_notes, replicate

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@pytest.fixture
def page(product):
    create_review(product, create_author())
    replicate()
    return f"/products/{product.pk}/"


def test_a_replica_found_down_is_not_asked_again_until_its_retry(client, page, tmp_path):
    """django_replicated remembers a dead database for its downtime: no query, no
    connect timeout, even once it is back."""
    with database_missing("replica2", tmp_path):
        client.get(page)
    response = client.get(page)
    assert panel_counts(response)["replica2"] == 0
    [note] = panel_notes(response, "replica2")
    assert note.startswith("skipped: down since ")
    assert ", next try at " in note


def test_a_replica_is_asked_again_once_its_retry_time_has_come(client, page, tmp_path, settings):
    settings.REPLICA_RETRY_SECONDS = 0
    with database_missing("replica2", tmp_path):
        client.get(page)
    response = client.get(page)
    assert panel_counts(response)["replica2"] >= 1  # its heartbeat at least: asked again
    assert not panel_notes(response, "replica2")[0].startswith("skipped")


def test_a_replica_that_answers_is_not_remembered(client, page, settings):
    """django_replicated caches only failures: a usable replica is checked every time.
    Its health is read at every request here: kept for a second, it left replica1 without
    a statement whenever the turn gave the page to replica2."""
    settings.REPLICA_HEALTH_SECONDS = 0
    for _ in range(2):
        assert panel_counts(client.get(page))["replica1"] >= 1
