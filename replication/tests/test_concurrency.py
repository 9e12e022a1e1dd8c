"""Several processes at once: no write is lost or refused, and every copy is whole.

The test databases are real files (TEST NAME in settings), or real PostgreSQL servers, so
forked processes share them the way a real server's worker processes and a `replicate
--follow` would.
"""

import multiprocessing
import sqlite3
import traceback
from contextlib import closing

import pytest
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.test import Client

from common.sqlite import database_file
from reviews.models import Review

from .helpers import (
    ALIASES,
    ON_POSTGRES,
    admin_review_form,
    create_author,
    create_product,
    replicate,
)

WRITERS = 4
PAIRS_EACH = 25
pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]
fork = multiprocessing.get_context("fork")


def in_processes(jobs):
    """Run each (function, args) in its own process, all starting together; their reports."""
    connections.close_all()  # a database connection must not cross a fork
    start, results = fork.Barrier(len(jobs)), fork.Queue()

    def run(function, args):
        try:
            start.wait(timeout=30)
            results.put(function(*args))
        except Exception:
            results.put(traceback.format_exc())

    processes = [fork.Process(target=run, args=job) for job in jobs]
    for process in processes:
        process.start()
    reports = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert [report for report in reports if isinstance(report, str)] == []
    return reports


def write_pairs(writer, product_pk):
    """Write reviews two at a time, each pair in one transaction on the primary."""
    for n in range(PAIRS_EACH):
        with transaction.atomic(using="default"):
            for half in "ab":
                text = f"{writer}/{n}{half}"
                Review.objects.create(product_id=product_pk, author_id=1, text=text)


def copy_repeatedly(copies):
    """Replicate over and over; the review count each copy of replica1 holds."""
    counts = []
    for _ in range(copies):
        replicate()
        if not ON_POSTGRES:  # a standby replays whole transactions; a file must be whole
            with closing(sqlite3.connect(database_file("replica1"))) as replica, replica:
                assert replica.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            replica.close()
        counts.append(Review.objects.using("replica1").count())
    return counts


def post_many(user_pk, url, forms):
    """Log in and post every form; the response statuses."""
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_pk))
    return [client.post(url, form).status_code for form in forms]


def test_replicate_copies_only_whole_transactions_while_writers_write():
    product = create_product()
    jobs = [(write_pairs, (w, product.pk)) for w in range(WRITERS)]
    reports = in_processes([*jobs, (copy_repeatedly, (10,))])
    [counts] = [report for report in reports if report is not None]
    assert all(count % 2 == 0 for count in counts)  # never half a pair
    assert counts == sorted(counts)  # each copy is at least as new as the one before


def test_no_write_is_lost_or_refused_while_replicate_runs():
    product = create_product()
    jobs = [(write_pairs, (w, product.pk)) for w in range(WRITERS)]
    in_processes([*jobs, (copy_repeatedly, (10,))])
    assert Review.objects.using("default").count() == WRITERS * PAIRS_EACH * 2
    replicate()
    assert Review.objects.using("replica2").count() == WRITERS * PAIRS_EACH * 2


def test_parallel_writers_through_the_site_store_every_review_once():
    author, product = create_author(), create_product()
    replicate()  # the form looks the product up on a replica
    url = "/reviews/new/"

    def form(w, n):
        return {"product_id": product.pk, "rating": "5", "text": f"{w}/{n}"}

    forms = [[form(w, n) for n in range(PAIRS_EACH)] for w in range(WRITERS)]
    statuses = in_processes([(post_many, (author.pk, url, batch)) for batch in forms])
    assert {status for batch in statuses for status in batch} == {302}
    stored = Review.objects.using("default").values_list("text", flat=True)
    assert sorted(stored) == sorted(f["text"] for batch in forms for f in batch)


def test_parallel_admin_edits_all_succeed():
    """The admin reads, then writes, in one transaction: IMMEDIATE makes those queue."""
    admin = get_user_model().objects.create_superuser("root", "", None)
    product = create_product()
    review = Review.objects.create(product_id=product.pk, author_id=admin.pk, text="v0")
    url = f"/admin/reviews/review/{review.pk}/change/"
    ids = {"product_id": product.pk, "author_id": admin.pk}
    forms = [
        [admin_review_form(**ids, text=f"edit {w}/{n}") for n in range(PAIRS_EACH)]
        for w in range(WRITERS)
    ]
    statuses = in_processes([(post_many, (admin.pk, url, batch)) for batch in forms])
    assert {status for batch in statuses for status in batch} == {302}
    assert Review.objects.using("default").get().text.startswith("edit ")
