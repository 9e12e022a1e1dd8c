"""A missing database gets a page that says so, never a bare 500, and loses nothing."""

import pytest
from django.db import (
    DatabaseError,
    IntegrityError,
    InternalError,
    OperationalError,
    ProgrammingError,
    connections,
)
from django.utils.html import escape

from common.db_errors import DatabaseErrorMiddleware
from common.faults import database_missing, missing_database_error, server_unreachable
from common.pytest_leaks import django_leaks_a_failed_connection

from .helpers import (
    ON_POSTGRES,
    create_author,
    create_product,
    create_review,
    database_garbled,
    sqlite_only,
)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(databases=["default", "reviews"], transaction=True),
]


@pytest.mark.parametrize("alias", ["default", "reviews"])
def test_a_missing_database_answers_503_naming_the_alias(client, tmp_path, alias):
    """A lost SQLite file (or PostgreSQL database) is named on the 503 page, alias and error."""
    with database_missing(alias, tmp_path):
        response = client.get("/")
    assert response.status_code == 503
    assert response.context["alias"] == alias
    assert escape(missing_database_error(alias)) in response.text
    assert "setup_demo" in response.text


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite has no server to be unreachable")
@pytest.mark.parametrize("alias", ["default", "reviews"])
def test_an_unreachable_server_answers_503_naming_the_alias(client, alias):
    """PostgreSQL's analogue of a lost file: no server at the alias's port."""
    with server_unreachable(alias):
        response = client.get("/")
    assert response.status_code == 503
    assert response.context["alias"] == alias


@django_leaks_a_failed_connection
@sqlite_only
@pytest.mark.parametrize("alias", ["default", "reviews"])
def test_a_file_that_is_not_a_database_answers_503_naming_the_alias(client, tmp_path, alias):
    """Garbage bytes where a database file should be: SQLite's "file is not a database"
    gets the 503 page naming the alias, never a 500."""
    with database_garbled(alias, tmp_path):
        response = client.get("/")
    assert response.status_code == 503
    assert response.context["alias"] == alias
    assert "file is not a database" in response.text


@django_leaks_a_failed_connection
@sqlite_only
def test_a_garbled_file_is_left_as_it_was(client, tmp_path):
    """The page only reads: the bytes that are not a database are not overwritten."""
    with database_garbled("reviews", tmp_path):
        client.get("/")
        path = connections["reviews"].settings_dict["NAME"]
        assert path.read_bytes() == b"not a database" * 300


@django_leaks_a_failed_connection
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
    assert response.context["alias"] == "default"


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
        DatabaseError("file is not a database"),
    ],
)
def test_each_kind_of_database_failure_gets_the_503_page(rf, error):
    """Missing (SQLite, PostgreSQL), not set up, read-only, or not a database: named,
    never a bare 500."""
    middleware = DatabaseErrorMiddleware(lambda request: None)
    response = middleware.process_exception(rf.get("/"), error)
    assert response.status_code == 503
    assert escape(str(error)) in response.text


def test_other_errors_are_left_to_django(rf):
    middleware = DatabaseErrorMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/"), IntegrityError("duplicate")) is None
