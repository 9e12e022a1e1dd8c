"""No password hash, session key or session data reaches the panel, on either engine:
each value is replaced, before the statement is formatted, by a mark naming its column."""

import pytest
from django.contrib.auth import get_user_model
from django.core import signing

from common.db_panel_redirect import COOKIE
from common.sql import redact

from .panel_html import Panel

pytestmark = pytest.mark.django_db(databases=["default", "other"])


@pytest.fixture
def user():
    return get_user_model().objects.create_user("alice", password="first secret")


def shown_sql(response):
    """Every statement the panel shows on a page, as text."""
    return [sql for chip in Panel(response.text).chips for sql in chip["sql"]]


def log_in(client):
    return client.post("/accounts/login/", {"username": "alice", "password": "first secret"})


def secrets_of(client, user):
    """The user's password hash, the session's key and its data as stored."""
    session = client.session
    stored = session.model.objects.get(session_key=session.session_key).session_data
    return [user.password, session.session_key, stored]


def test_a_login_shows_no_session_key_and_no_hash(client, user):
    """The login's session INSERT is shown with its secrets as marks naming the columns."""
    response = client.get(log_in(client)["Location"])
    sql = shown_sql(response)
    assert any("<hidden session_key>" in statement for statement in sql)
    assert any("<hidden session_data>" in statement for statement in sql)
    for secret in secrets_of(client, user):
        assert secret not in response.text


def test_the_cookie_that_carries_a_login_holds_no_secret(client, user):
    """What travels to the next page in the cookie was hidden before it left."""
    carried = str(signing.loads(log_in(client).cookies[COOKIE].value, salt=COOKIE))
    for secret in secrets_of(client, user):
        assert secret not in carried


def test_a_password_change_shows_no_hash(client, user):
    """The admin's password change: its UPDATE shows the column, never the new hash."""
    user.is_staff = user.is_superuser = True
    user.save()
    client.post("/accounts/login/", {"username": "alice", "password": "first secret"})
    form = {
        "old_password": "first secret",
        "new_password1": "second secret 123",
        "new_password2": "second secret 123",
    }
    response = client.post("/admin/password_change/", form, follow=True)
    user.refresh_from_db()
    assert user.check_password("second secret 123")
    assert user.password not in response.text
    assert client.session.session_key not in response.text
    assert any("\"password\" = '<hidden password>'" in sql for sql in shown_sql(response))


def test_insert_values_are_matched_to_their_columns():
    """An INSERT's column list says which value is secret; the others stay readable."""
    sql = 'INSERT INTO "s" ("session_key", "expire_date") VALUES (%s, %s), (%s, %s)'
    shown = redact(sql, ["k1", "d1", "k2", "d2"])
    assert shown == ["<hidden session_key>", "d1", "<hidden session_key>", "d2"]


def test_compared_values_are_matched_to_their_columns():
    """WHERE "col" = %s and "col" IN (%s, %s) hide the secret column's values only."""
    sql = 'SELECT 1 FROM "s" WHERE "s"."expire_date" > %s AND "s"."session_key" IN (%s, %s)'
    hidden = "<hidden session_key>"
    assert redact(sql, ["now", "k1", "k2"]) == ["now", hidden, hidden]


def test_a_value_it_cannot_place_is_hidden():
    """A statement about a secret column whose parameter has no column it can tell is
    shown with that parameter hidden, rather than risk a leak."""
    sql = 'UPDATE "auth_user" SET "password" = lower(%s) WHERE "id" = %s'
    assert redact(sql, ["hash", 1]) == ["<hidden>", 1]


def test_a_statement_with_no_secret_column_is_shown_whole():
    """Most statements name no secret column: their parameters are all shown."""
    assert redact('SELECT 1 FROM "t" WHERE "name" = %s', ["Baristas"]) == ["Baristas"]
