"""A missing primary gets a page that says so, never a bare 500, and loses nothing.

(A missing replica is no error at all: see test_failover.py.)
"""

from contextlib import contextmanager

import pytest
from django.db import connections

from reviews.models import Review

from .helpers import ALIASES, create_author, panel_section

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@contextmanager
def file_missing(alias, tmp_path):
    """Move an alias's test database away; SQLite makes an empty one in its place."""
    connection = connections[alias]
    path = connection.settings_dict["NAME"]
    connection.close()
    kept = tmp_path / path.name
    path.rename(kept)
    try:
        yield
    finally:
        connection.close()
        for end in ("", "-wal", "-shm"):
            path.with_name(path.name + end).unlink(missing_ok=True)
        kept.rename(path)


def test_missing_primary_answers_503_for_a_logged_in_user(client, tmp_path):
    """The session and the user live on the primary: losing it is named, not a 500."""
    client.force_login(create_author())
    with file_missing("default", tmp_path):
        response = client.get("/reviews/new/")
    assert response.status_code == 503
    assert "no such table: django_session" in response.text


def test_missing_primary_is_named_in_the_panel(client, tmp_path):
    client.force_login(create_author())
    with file_missing("default", tmp_path):
        response = client.get("/")
    assert "OperationalError: no such table: django_session" in panel_section(response, "default")


def test_the_product_list_is_still_served_by_the_replicas(client, product, tmp_path):
    """Visitors who only read shop data never touch the primary."""
    with file_missing("default", tmp_path):
        response = client.get("/")
    assert response.status_code == 200
    assert response.context["products"][0]._state.db in {"replica1", "replica2"}


def test_writing_while_the_primary_is_missing_fails_cleanly(client, product, tmp_path):
    client.force_login(create_author())
    with file_missing("default", tmp_path):
        response = client.post("/reviews/new/", {"product_id": product.pk, "text": "Lost?"})
    assert response.status_code == 503
    assert not Review.objects.using("default").exists()


def test_login_survives_a_lost_primary_once_the_file_is_back(client, tmp_path):
    client.force_login(create_author())
    with file_missing("default", tmp_path):
        client.get("/reviews/new/")
    assert client.get("/reviews/new/").status_code == 200
