"""Replication's async view served by an ASGI server (uvicorn), on temporary databases:
after a client writes, the pinning middleware sends that client's reads in the async
view to the primary; a client without the pin reads a replica, which has not copied the
review yet. What it shows: use_primary() and the middleware work on the event loop too."""

from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from served.browser import admin_who_wrote
from served.demo import review_ids, served

TEXT = "Written through uvicorn."


@pytest.fixture(scope="module")
def demo():
    with served("replication", workers="asgi", debug=False) as demo:
        yield demo


@pytest.fixture(scope="module")
def writer(demo, browser):
    """README step 3: admin writes a review of Burr grinder, on fresh replicas."""
    demo.manage("replicate")
    with admin_who_wrote(browser, demo.url, TEXT) as admin:
        yield admin


@pytest.fixture(scope="module")
def review_id(demo, writer):
    """The review's id, on the primary's file only: no replica has copied it yet."""
    [pk] = review_ids(demo.folder / "default.sqlite3", TEXT)
    assert review_ids(demo.folder / "replica1.sqlite3", TEXT) == []
    assert review_ids(demo.folder / "replica2.sqlite3", TEXT) == []
    return pk


def test_the_writer_reads_the_review_from_the_async_view(demo, writer, review_id):
    """The browser's pin cookie goes with the request: the read is the primary's."""
    response = writer.page.request.get(f"{demo.url}/reviews/{review_id}.json")
    assert (response.status, response.json()["id"]) == (200, review_id)


def test_a_client_without_the_pin_reads_a_replica_that_lacks_it(demo, review_id):
    with pytest.raises(HTTPError) as answer:
        urlopen(f"{demo.url}/reviews/{review_id}.json")
    answer.value.close()
    assert answer.value.code == 404
