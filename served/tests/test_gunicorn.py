"""Replication's walkthrough served like a real site: gunicorn with three worker
processes, DEBUG off, on temporary databases. What a process keeps in memory is not
shared between workers, so the pin after a write must live in the browser's cookie."""

from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest

from served.browser import admin_who_wrote, visitor
from served.demo import ROOT, review_ids, served

WORKERS = 3
TEXT = "Written through gunicorn."
RELOADS = 2 * WORKERS  # enough for the requests to reach more than one worker


@pytest.fixture(scope="module")
def demo():
    with served("replication", workers=WORKERS, debug=False) as demo:
        yield demo


@pytest.fixture(scope="module")
def writer(demo, browser):
    """README step 3: admin writes a review of Burr grinder, on fresh replicas."""
    demo.manage("replicate")
    with admin_who_wrote(browser, demo.url, TEXT) as admin:
        yield admin


def test_the_stylesheets_are_served_with_debug_off(demo):
    """WhiteNoise serves each app's static/ folder as it is (its test_django_whitenoise.py:
    a file served from the finders is the file): neither gunicorn nor Django does."""
    with urlopen(f"{demo.url}/static/common/style.css") as response:
        assert response.headers["Content-Type"].startswith("text/css")
        assert response.read() == (ROOT / "common/static/common/style.css").read_bytes()


def test_the_admins_stylesheets_are_served_too(demo):
    """Every app's static/ folder, Django's admin's included, with no collectstatic."""
    with urlopen(f"{demo.url}/static/admin/css/base.css") as response:
        assert response.status == 200


def test_a_stylesheet_is_cached_for_a_minute_only(demo):
    """Its name has no hash of its content, so a browser must ask again soon: WhiteNoise's
    test_unversioned_file_not_cached_forever."""
    with urlopen(f"{demo.url}/static/common/style.css") as response:
        assert response.headers["Cache-Control"] == "max-age=60, public"


@pytest.mark.parametrize("path", ["common/missing.css", "common/", "common"])
def test_a_missing_static_file_or_a_folder_is_a_404(demo, path):
    """Never a 500 or a listing (WhiteNoise's test_404_in_prod and
    test_requests_for_directory_safely_ignored)."""
    with pytest.raises(HTTPError) as answer:
        urlopen(f"{demo.url}/static/{path}")
    answer.value.close()
    assert answer.value.code == 404


def test_a_review_written_through_gunicorn_lands_on_the_primary_only(demo, writer):
    """The files read directly: the primary has it, no replica has copied it yet."""
    assert len(review_ids(demo.folder / "default.sqlite3", TEXT)) == 1
    assert review_ids(demo.folder / "replica1.sqlite3", TEXT) == []
    assert review_ids(demo.folder / "replica2.sqlite3", TEXT) == []


def test_the_writer_reads_their_review_whichever_worker_answers(demo, writer):
    """The pin is a cookie (REPLICATION_PIN_COOKIE), so whichever process answers, the
    writer reads the primary (django-multidb-router's test_pin_on_cookie); a pin kept in
    one process would miss on the others."""
    path = urlsplit(writer.page.url).path
    seen = []
    for _ in range(RELOADS):
        writer.open(writer.page.url)
        seen.append(TEXT in writer.page.content())
    assert seen == [True] * RELOADS
    assert len(workers_that_served(demo, f"GET {path} ")) > 1


def workers_that_served(demo, request_line):
    """The pids gunicorn's access log gives for that request line."""
    lines = demo.log.read_text().splitlines()
    return {line.split()[0] for line in lines if request_line in line}


def test_another_visitor_sees_it_after_the_next_copy_only(demo, writer, browser):
    """README step 4: replication lag on every worker, those that served the writer too,
    since without the cookie nothing pins (django-multidb-router's test_unpin_on_no_cookie);
    then `manage.py replicate` ends it."""
    other = visitor(browser)
    before = set()
    for _ in range(RELOADS):
        other.open(writer.page.url)
        before.add(TEXT in other.page.content())
    demo.manage("replicate")
    other.open(writer.page.url)
    assert (before, TEXT in other.page.content()) == ({False}, True)
    other.page.context.close()


def test_losing_a_replica_leaves_every_worker_answering(demo):
    """README step 7: each worker finds replica2 gone and reads replica1; the read-only
    connection never creates an empty file in its place."""
    (demo.folder / "replica2.sqlite3").unlink()
    statuses = []
    for _ in range(RELOADS):
        with urlopen(demo.url) as response:
            statuses.append((response.status, b"Burr grinder" in response.read()))
    assert statuses == [(200, True)] * RELOADS
    assert not (demo.folder / "replica2.sqlite3").exists()
