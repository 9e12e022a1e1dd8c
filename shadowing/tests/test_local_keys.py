"""New local rows take keys from a sequence above LOCAL_KEYS_START; production's never reach it."""

import threading
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connections, transaction

from products.models import Product
from reviews.models import Review
from shop.dumps import build_dump
from shop.overlay import Overlay
from shop.shadow import LOCAL_KEYS_START

from .helpers import ON_POSTGRES, rows_per_alias, snapshot_checksum

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)


def test_a_dump_whose_keys_reach_the_local_range_is_refused(tmp_path):
    """Its row would be taken for one made here, and could take a local row's key."""
    dump, before = tmp_path / "production.sqlite3", snapshot_checksum()
    build_dump(dump, [Review(pk=LOCAL_KEYS_START, product_id=1, author_id=1, text="Far.")])
    with pytest.raises(CommandError, match=f"reviews_review has keys up to {LOCAL_KEYS_START}"):
        call_command("take_snapshot", "--from", dump)
    assert snapshot_checksum() == before


def test_two_concurrent_get_or_create_make_one_row_and_no_error():
    """Each creator, having found no row, waits (half a second at most) for the other to
    find none too: without turns, both then create. With them, the second looks once the
    first has committed, and finds its row (Django's get_or_create promises one row). The
    wait stays under the 1 s lock_timeout of every PostgreSQL alias (common/postgres.py),
    which the second creator's turn would otherwise run into."""
    found_none, real_get, answers = threading.Barrier(2, timeout=0.5), Overlay.get, []

    def get(overlay, *args, **kwargs):
        try:
            return real_get(overlay, *args, **kwargs)
        except Product.DoesNotExist:
            try:
                found_none.wait()
            except threading.BrokenBarrierError:  # the other waits for its turn
                pass
            raise

    def creator():
        try:
            answers.append(Product.objects.get_or_create(name="Scale", description="")[1])
        except Exception as error:  # noqa: BLE001 (reported below, in the test's thread)
            answers.append(error)
        finally:
            connections.close_all()

    with mock.patch.object(Overlay, "get", get):
        threads = [threading.Thread(target=creator) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(answers, key=str) == [False, True]
    assert rows_per_alias(Product) == {"default": 1, "snapshot": 0}


def test_a_deleted_local_rows_key_is_never_given_again():
    """A key names one row for good (a link, a log entry, a cached page): MAX(pk) + 1
    gave the newest row's key again once it was deleted; a sequence does not."""
    Product.objects.create(name="Scale", description="")
    newest = Product.objects.create(name="Kettle", description="")
    newest.delete()
    assert Product.objects.create(name="Tray", description="").pk == newest.pk + 1


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite has one writer at a time anyway")
def test_a_new_row_does_not_wait_for_another_writers_transaction():
    """nextval() waits for no one: MAX(pk) + 1 needed a table lock held to commit."""
    holding, done = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic(using="default"):
                Product.objects.create(name="Scale", description="")
                holding.set()
                done.wait(timeout=10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        with transaction.atomic(using="default"), connections["default"].cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")  # a wait fails the test
            Product.objects.create(name="Tray", description="")
    finally:
        done.set()
        thread.join(timeout=10)
    assert rows_per_alias(Product) == {"default": 2, "snapshot": 0}
