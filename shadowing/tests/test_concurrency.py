"""Several processes writing at once: every write stored once, none "database is locked".

The test databases are real files (TEST NAME in settings), so forked processes share
them the way a real server's worker processes would.
"""

import multiprocessing
import traceback

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client

from reviews.models import Review
from shop.shadow import LOCAL_KEYS_START

from .helpers import (
    admin_review_form,
    create_author,
    create_product,
    snapshot_product,
    snapshot_review,
)

WRITERS = 4
POSTS_EACH = 25
pytestmark = pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)
fork = multiprocessing.get_context("fork")


def post_many(user_pk, url, forms, start, results):
    """In a child process: log in, wait for the others, post every form; report statuses."""
    try:
        client = Client()
        client.force_login(get_user_model().objects.get(pk=user_pk))
        start.wait(timeout=30)
        results.put([client.post(url, form).status_code for form in forms])
    except Exception:
        results.put(traceback.format_exc())


def post_in_parallel(user, url, make_form):
    """Each of WRITERS processes posts POSTS_EACH forms at once; return every status."""
    connections.close_all()  # a SQLite connection must not cross a fork
    start, results = fork.Barrier(WRITERS), fork.Queue()
    writers = [
        fork.Process(
            target=post_many,
            args=(user.pk, url, [make_form(w, n) for n in range(POSTS_EACH)], start, results),
        )
        for w in range(WRITERS)
    ]
    for process in writers:
        process.start()
    reports = [results.get(timeout=120) for _ in writers]
    for process in writers:
        process.join(timeout=30)
    assert [report for report in reports if isinstance(report, str)] == []
    return [status for statuses in reports for status in statuses]


def test_parallel_writers_store_every_review_once():
    author, product = create_author(), create_product()

    def review_form(writer, n):
        return {"product_id": product.pk, "rating": "5", "text": f"{writer}/{n}"}

    statuses = post_in_parallel(author, "/reviews/new/", review_form)
    assert set(statuses) == {302}  # a 503 would be "database is locked"
    stored = Review._base_manager.using("default").values_list("pk", "text")
    assert sorted(text for _, text in stored) == sorted(
        f"{w}/{n}" for w in range(WRITERS) for n in range(POSTS_EACH)
    )
    keys = {pk for pk, _ in stored}
    assert len(keys) == WRITERS * POSTS_EACH and min(keys) > LOCAL_KEYS_START  # each once


def test_parallel_admin_edits_of_one_snapshot_row_make_one_local_copy():
    """Each edit reads, then writes, in one transaction: IMMEDIATE makes those queue, so
    the first copies the row to "default" and the others update that copy."""
    admin = get_user_model().objects.create_superuser("root", "", None)
    product = snapshot_product()
    review = snapshot_review(1, product.pk, admin.pk, text="v0")

    def change_form(writer, n):
        return admin_review_form(
            product_id=product.pk, author_id=admin.pk, text=f"edit {writer}/{n}"
        )

    url = f"/admin/reviews/review/{review.pk}/change/"
    assert set(post_in_parallel(admin, url, change_form)) == {302}
    assert Review._base_manager.using("default").get().text.startswith("edit ")
    assert Review._base_manager.using("snapshot").get().text == "v0"
