"""A lost primary gets a page that says so, never a bare 500, and loses nothing.

(A missing replica is no error at all: see test_losing_a_replica.py.)
"""

import pytest
from django.utils.html import escape

from common.testing import panel_sql
from reviews.models import Review

from .helpers import ALIASES, ON_POSTGRES, create_author, database_missing, missing_database_error

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


def test_missing_primary_answers_503_for_a_logged_in_user(client, tmp_path):
    """The session and the user live on the primary: losing it is named, not a 500."""
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        response = client.get("/reviews/new/")
    assert response.status_code == 503
    assert escape(missing_database_error("django_session")) in response.text


@pytest.mark.skipif(ON_POSTGRES, reason="a connection that fails to open runs no statement")
def test_missing_primary_is_named_in_the_panel(client, tmp_path):
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        response = client.get("/")
    assert "OperationalError: no such table: django_session" in panel_sql(response, "default")


def test_the_product_list_is_still_served_by_the_replicas(client, product, tmp_path):
    """Visitors who only read shop data never touch the primary."""
    with database_missing("default", tmp_path):
        response = client.get("/")
    assert response.status_code == 200
    assert response.context["products"][0]._state.db in {"replica1", "replica2"}


def test_writing_while_the_primary_is_missing_fails_cleanly(client, product, tmp_path):
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        response = client.post("/reviews/new/", {"product_id": product.pk, "text": "Lost?"})
    assert response.status_code == 503
    assert not Review.objects.using("default").exists()


def test_login_survives_a_lost_primary_once_the_file_is_back(client, tmp_path):
    client.force_login(create_author())
    with database_missing("default", tmp_path):
        client.get("/reviews/new/")
    assert client.get("/reviews/new/").status_code == 200
