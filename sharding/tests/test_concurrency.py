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

from .helpers import admin_review_form, create_author, create_product

WRITERS = 4
POSTS_EACH = 25
pytestmark = pytest.mark.django_db(databases=["default", "reviews"], transaction=True)
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
    stored = Review.objects.using("reviews").values_list("text", flat=True)
    assert sorted(stored) == sorted(f"{w}/{n}" for w in range(WRITERS) for n in range(POSTS_EACH))


def test_parallel_admin_edits_all_succeed():
    """The admin reads, then writes, in one transaction: IMMEDIATE makes those queue."""
    admin = get_user_model().objects.create_superuser("root", "", None)
    product = create_product()
    review = Review.objects.create(product_id=product.pk, author_id=admin.pk, text="v0")

    def change_form(writer, n):
        return admin_review_form(
            product_id=product.pk, author_id=admin.pk, text=f"edit {writer}/{n}"
        )

    url = f"/admin/reviews/review/{review.pk}/change/"
    assert set(post_in_parallel(admin, url, change_form)) == {302}
    assert Review.objects.using("reviews").get().text.startswith("edit ")
