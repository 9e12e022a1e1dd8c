"""A missing database gets a page that says so, never a bare 500, and loses nothing."""

import pytest
from django.utils.html import escape

from reviews.models import Review

from .helpers import (
    ON_POSTGRES,
    create_author,
    create_review,
    database_missing,
    missing_database_error,
    panel_section,
    rows_per_alias,
    snapshot_product,
)

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)


def test_missing_snapshot_answers_503_naming_the_problem(client, tmp_path):
    snapshot_product()
    with database_missing("snapshot", tmp_path):
        response = client.get("/")
    assert response.status_code == 503
    assert escape(missing_database_error("snapshot", "products_product")) in response.text
    assert "setup_demo" in response.text


@pytest.mark.skipif(ON_POSTGRES, reason="a connection that fails to open runs no statement")
def test_missing_snapshot_is_named_in_the_panel(client, tmp_path):
    with database_missing("snapshot", tmp_path):
        response = client.get("/")
    error = missing_database_error("snapshot", "products_product")
    assert f"OperationalError: {error}" in panel_section(response, "snapshot")


def test_writing_while_the_snapshot_is_missing_fails_cleanly_and_writes_nothing(client, tmp_path):
    """The form checks the product on the merged view, which needs the snapshot."""
    client.force_login(create_author())
    data = {"product_id": snapshot_product().pk, "text": "Lost?"}
    with database_missing("snapshot", tmp_path):
        response = client.post("/reviews/new/", data)
    assert response.status_code == 503
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 0}


def test_nothing_is_lost_once_the_snapshot_is_back(client, tmp_path):
    review = create_review(snapshot_product(), create_author(), text="Still here.")
    with database_missing("snapshot", tmp_path):
        assert client.get(f"/reviews/{review.pk}/").status_code == 503
    assert "Still here." in client.get(f"/reviews/{review.pk}/").text


def test_missing_default_database_answers_503_for_a_logged_in_user(client, tmp_path):
    """The session and the user live on "default": losing it is named, not a 500."""
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        response = client.get("/reviews/new/")
    assert response.status_code == 503
    assert escape(missing_database_error("default", "django_session")) in response.text


def test_login_survives_a_lost_default_once_the_database_is_back(client, tmp_path):
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        client.get("/reviews/new/")
    assert client.get("/reviews/new/").status_code == 200
