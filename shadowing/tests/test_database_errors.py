"""A missing database gets a page that says so, never a bare 500, and loses nothing."""

import pytest
from django.utils.html import escape

from common.faults import database_missing, missing_database_error

from .helpers import create_author, create_review, snapshot_missing, snapshot_product

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(databases=["default", "snapshot"], transaction=True),
]


def test_the_snapshot_rows_are_back_with_the_snapshot(client, tmp_path):
    """Without it the pages show the local rows only (test_missing_snapshot.py); nothing is lost."""
    review = create_review(snapshot_product(), create_author(), text="Still here.")
    with snapshot_missing(tmp_path):
        assert client.get("/").context["products"] == []
    assert [product.pk for product in client.get("/").context["products"]] == [1]
    assert "Still here." in client.get(f"/reviews/{review.pk}/").text


def test_missing_default_database_answers_503_for_a_logged_in_user(client, tmp_path):
    """The session and the user live on "default": losing it is named, not a 500."""
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        response = client.get("/reviews/new/")
    assert response.status_code == 503
    assert response.context["alias"] == "default"
    assert escape(missing_database_error("default")) in response.text


def test_login_survives_a_lost_default_once_the_database_is_back(client, tmp_path):
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        client.get("/reviews/new/")
    assert client.get("/reviews/new/").status_code == 200
