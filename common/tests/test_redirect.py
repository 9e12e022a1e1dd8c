"""A redirected request's statements reach the next page, whichever worker serves it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import signing
from django.http import HttpResponse

from common.db_panel_redirect import COOKIE, keep_for_next_page

pytestmark = pytest.mark.django_db(databases=["default", "other"])

# Another worker: a process of its own that posts the form on the test databases and
# prints the cookies of its answer.
WORKER = """
import json, django
from django.conf import settings
for database in settings.DATABASES.values():
    database["NAME"] = database["TEST"]["NAME"]
django.setup()
from django.test import Client
response = Client().post("/add/", {"name": "Posted in another worker"})
print(json.dumps({name: morsel.value for name, morsel in response.cookies.items()}))
"""


def post_in_another_process():
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "common.tests.settings"}
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", WORKER],
        env=environment,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.django_db(databases=["default", "other"], transaction=True)
def test_the_redirect_sql_shows_on_a_page_another_process_serves(client):
    """A POST answered by one worker, the page after it by another: the INSERT shows
    (under several workers the redirect's SQL kept in a per-process cache went missing)."""
    client.cookies.load(post_in_another_process())
    response = client.get("/accounts/login/")  # a page that does not list the groups
    assert "Posted in another worker" in response.text
    redirected = response.db_panel[0]
    assert redirected["request"] == "POST /add/"


def test_the_redirect_is_shown_once(client):
    """The cookie is spent by the page it led to: the one after shows this page only."""
    client.post("/add/", {"name": "Once"}, follow=True)
    assert [shown["request"] for shown in client.get("/").db_panel] == ["GET /"]


def test_a_redirect_that_ran_no_sql_leaves_no_cookie(client):
    """The admin's redirect to its login page ran no statement: nothing to carry."""
    response = client.get("/admin/")
    assert response.status_code == 302
    assert COOKIE not in response.cookies


def test_a_cookie_someone_changed_is_ignored(client):
    """A cookie whose signature does not match is not shown (nor is it an error)."""
    forged = signing.dumps({"request": "POST /forged/"}, salt="another salt")
    client.cookies[COOKIE] = forged
    response = client.get("/")
    assert [shown["request"] for shown in response.db_panel] == ["GET /"]


def test_a_cookie_from_another_project_is_ignored(client):
    """Every project runs on 127.0.0.1 with the demo's key: a redirect of another one, with
    other aliases, is not shown here (nor is it an error)."""
    database = {"alias": "shard1", "statements": [], "count": 1, "dropped": 0}
    other_project = {"request": "POST /reviews/new/", "status": 302, "databases": [database]}
    client.cookies[COOKIE] = signing.dumps(other_project, salt=COOKIE, compress=True)
    response = client.get("/")
    assert [shown["request"] for shown in response.db_panel] == ["GET /"]


def test_a_redirect_too_big_for_a_cookie_keeps_its_counts():
    """Statements that would pass the 4 KB a cookie holds are left out, their numbers kept
    and said: the page never loses the cookie to the browser's limit."""
    statements = [
        {
            "sql": f"INSERT INTO t VALUES ({n}, '{os.urandom(20).hex()}')",
            "ms": 0.1,
            "error": None,
            "write": True,
        }
        for n in range(300)
    ]
    database = {"alias": "other", "statements": statements, "count": 300, "dropped": 0}
    response = HttpResponse(status=302)
    keep_for_next_page(response, {"request": "POST /add/", "databases": [database]})
    value = response.cookies[COOKIE].value
    assert len(value) < 4000
    [kept] = signing.loads(value, salt=COOKIE)["databases"]
    assert (kept["count"], len(kept["statements"]) + kept["dropped"]) == (300, 300)
    assert kept["dropped"] > 0
    assert len(statements) == 300  # the redirect's own summary keeps them all
