"""take_snapshot called from a thread (a scheduler's, a worker's), on either engine."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections

from reviews.models import Review

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)


def test_take_snapshot_runs_in_a_thread_other_than_the_main_one(tmp_path):
    """Only the main thread may set signal handlers: elsewhere it runs without them."""
    dump = tmp_path / "later.sqlite3"
    call_command("build_dump", "shop/fixtures/later.snapshot.json", dump, stdout=StringIO())
    failed = []

    def take_snapshot():
        try:
            call_command("take_snapshot", "--from", dump, stdout=StringIO())
        except Exception as error:
            failed.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=take_snapshot)
    thread.start()
    thread.join()
    assert failed == []
    connections["snapshot"].close()  # on SQLite, this thread's still reads the old file
    assert Review._base_manager.using("snapshot").count() == 41
