"""A missing database file gets a page that says so, never a bare 500, and loses nothing."""

from contextlib import contextmanager

import pytest
from django.db import connections

from reviews.models import Review

from .helpers import create_author, create_review, panel_section, rows_per_alias, snapshot_product

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)


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


def test_missing_snapshot_answers_503_naming_the_problem(client, tmp_path):
    snapshot_product()
    with file_missing("snapshot", tmp_path):
        response = client.get("/")
    assert response.status_code == 503
    assert "no such table: products_product" in response.text
    assert "setup_demo" in response.text


def test_missing_snapshot_is_named_in_the_panel(client, tmp_path):
    with file_missing("snapshot", tmp_path):
        response = client.get("/")
    expected = "OperationalError: no such table: products_product"
    assert expected in panel_section(response, "snapshot")


def test_writing_while_the_snapshot_is_missing_fails_cleanly_and_writes_nothing(client, tmp_path):
    """The form checks the product on the merged view, which needs the snapshot."""
    client.force_login(create_author())
    data = {"product_id": snapshot_product().pk, "text": "Lost?"}
    with file_missing("snapshot", tmp_path):
        response = client.post("/reviews/new/", data)
    assert response.status_code == 503
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 0}


def test_nothing_is_lost_once_the_snapshot_is_back(client, tmp_path):
    review = create_review(snapshot_product(), create_author(), text="Still here.")
    with file_missing("snapshot", tmp_path):
        assert client.get(f"/reviews/{review.pk}/").status_code == 503
    assert "Still here." in client.get(f"/reviews/{review.pk}/").text


def test_missing_default_database_answers_503_for_a_logged_in_user(client, tmp_path):
    """The session and the user live on "default": losing it is named, not a 500."""
    client.force_login(create_author())
    with file_missing("default", tmp_path):
        response = client.get("/reviews/new/")
    assert response.status_code == 503
    assert "no such table: django_session" in response.text


def test_login_survives_a_lost_default_once_the_file_is_back(client, tmp_path):
    client.force_login(create_author())
    with file_missing("default", tmp_path):
        client.get("/reviews/new/")
    assert client.get("/reviews/new/").status_code == 200
