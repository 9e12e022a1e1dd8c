"""A missing database gets a page that says so, never a bare 500, and loses nothing."""

import pytest
from django.db import IntegrityError, InternalError, OperationalError, ProgrammingError
from django.utils.html import escape

from common.db_errors import DatabaseErrorMiddleware

from .helpers import (
    ON_POSTGRES,
    create_author,
    create_product,
    create_review,
    database_missing,
    missing_database_error,
    panel_section,
)

pytestmark = pytest.mark.django_db(databases=["default", "reviews"], transaction=True)


def test_missing_reviews_database_answers_503_naming_the_problem(client, tmp_path):
    with database_missing("reviews", tmp_path):
        response = client.get("/")
    assert response.status_code == 503
    assert "<h1>A database could not answer</h1>" in response.text
    assert escape(missing_database_error("reviews", "reviews_review")) in response.text
    assert "setup_demo" in response.text


@pytest.mark.skipif(ON_POSTGRES, reason="a connection that fails to open runs no statement")
def test_missing_reviews_database_is_named_in_the_panel(client, tmp_path):
    with database_missing("reviews", tmp_path):
        response = client.get("/")
    error = missing_database_error("reviews", "reviews_review")
    assert f"OperationalError: {error}" in panel_section(response, "reviews")


def test_writing_while_the_file_is_missing_fails_cleanly(client, tmp_path):
    client.force_login(create_author())
    data = {"product_id": create_product().pk, "text": "Lost?"}
    with database_missing("reviews", tmp_path):
        response = client.post("/reviews/new/", data)
    assert response.status_code == 503


def test_nothing_is_lost_once_the_file_is_back(client, tmp_path):
    review = create_review(create_product(), create_author(), text="Still here.")
    with database_missing("reviews", tmp_path):
        assert client.get(f"/reviews/{review.pk}/").status_code == 503
    assert "Still here." in client.get(f"/reviews/{review.pk}/").text


def test_missing_default_database_answers_503_for_a_logged_in_user(client, tmp_path):
    """The session and the user live on "default": losing it is named, not a 500."""
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        response = client.get("/reviews/new/")
    assert response.status_code == 503
    assert escape(missing_database_error("default", "django_session")) in response.text


def test_login_survives_a_lost_default_once_the_file_is_back(client, tmp_path):
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        client.get("/reviews/new/")
    assert client.get("/reviews/new/").status_code == 200


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("no such table: reviews_review"),
        ProgrammingError('relation "reviews_review" does not exist'),
        InternalError("cannot execute INSERT in a read-only transaction"),
    ],
)
def test_each_kind_of_database_failure_gets_the_503_page(rf, error):
    """Missing (SQLite, PostgreSQL), not set up, or read-only: named, never a bare 500."""
    middleware = DatabaseErrorMiddleware(lambda request: None)
    response = middleware.process_exception(rf.get("/"), error)
    assert response.status_code == 503
    assert escape(str(error)) in response.text


def test_other_errors_are_left_to_django(rf):
    middleware = DatabaseErrorMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/"), IntegrityError("duplicate")) is None
