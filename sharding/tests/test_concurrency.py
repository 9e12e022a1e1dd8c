"""Several processes writing at once: unique ids, every review stored once, none locked out.

The test databases are real files (TEST NAME in settings) or real PostgreSQL databases,
so forked processes share them the way a real server's worker processes would.
"""

import contextlib
import multiprocessing
import traceback

import pytest
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.test import Client

from reviews.models import Review
from shop.ids import take_tickets
from shop.models import Ticket
from shop.sharding import NUM_BUCKETS

from .helpers import (
    EVERY_DATABASE,
    SHARDS,
    admin_review_form,
    create_author,
    create_product,
    create_review,
)

WRITERS = 4
POSTS_EACH = 25
pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True)
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
    finally:
        connections.close_all()


def post_in_parallel(user, url, make_form):
    """Each of WRITERS processes posts POSTS_EACH forms at once; return every status."""
    return in_parallel(
        post_many,
        [(user.pk, url, [make_form(w, n) for n in range(POSTS_EACH)]) for w in range(WRITERS)],
    )


def in_parallel(target, arguments):
    """Run target(*args, start, results) in a process per args; return every result."""
    # A connection must not cross a fork: parent and child would share one SQLite file
    # handle, or one PostgreSQL socket, each speaking over the other.
    connections.close_all()
    start, results = fork.Barrier(len(arguments)), fork.Queue()
    processes = [fork.Process(target=target, args=(*args, start, results)) for args in arguments]
    for process in processes:
        process.start()
    reports = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert [report for report in reports if isinstance(report, str)] == []
    return [result for report in reports for result in report]


def stored_reviews():
    """[(id, text)] of every row on every shard, duplicates included."""
    return [
        row
        for shard in SHARDS
        for row in Review._base_manager.using(shard).values_list("pk", "text")
    ]


def test_parallel_writers_get_unique_ids_and_store_every_review_once():
    """The parent holds a block of tickets before the fork: no child may reuse it."""
    author = create_author()
    products = [create_product(f"Product {n}") for n in range(8)]
    create_review(products[0], author, text="parent")

    def review_form(writer, n):
        product = products[(writer + n) % len(products)]
        return {"product_id": product.pk, "rating": "5", "text": f"{writer}/{n}"}

    statuses = post_in_parallel(author, "/reviews/new/", review_form)
    assert set(statuses) == {302}  # a 503 would be "database is locked"
    stored = stored_reviews()
    assert len({pk // NUM_BUCKETS for pk, _ in stored}) == len(stored)  # every ticket once
    expected = ["parent", *(f"{w}/{n}" for w in range(WRITERS) for n in range(POSTS_EACH))]
    assert sorted(text for _, text in stored) == sorted(expected)


def take_many(count, start, results):
    """In a child process: wait for the others, then take one ticket at a time."""
    try:
        start.wait(timeout=30)
        results.put([take_tickets(1) for _ in range(count)])
    except Exception:
        results.put(traceback.format_exc())
    finally:
        connections.close_all()


def test_parallel_ticket_takers_never_share_a_ticket_or_skip_one():
    """Each take is an UPDATE, then a read of the row, in one transaction. The UPDATE
    locks first (SQLite: the whole file, from BEGIN IMMEDIATE; PostgreSQL: the row, until
    commit), so no process reads a `next` that another has also moved past."""
    taken = in_parallel(take_many, [(50,)] * WRITERS)
    assert sorted(taken) == list(range(1, 50 * WRITERS + 1))
    assert Ticket.objects.get().next == 50 * WRITERS + 1


def test_parallel_admin_edits_all_succeed():
    """The admin reads, then writes, in one transaction on "default": on SQLite, IMMEDIATE
    makes those queue; PostgreSQL locks rows, not the database."""
    admin = get_user_model().objects.create_superuser("root", "", None)
    product = create_product()
    review = create_review(product, admin, text="v0")

    def change_form(writer, n):
        return admin_review_form(
            product_id=product.pk, author_id=admin.pk, text=f"edit {writer}/{n}"
        )

    url = f"/admin/reviews/review/{review.pk}/change/"
    assert set(post_in_parallel(admin, url, change_form)) == {302}
    assert Review.objects.using(review._state.db).get().text.startswith("edit ")


class RolledBack(Exception):
    pass


def write_some(product_pk, author_pk, count, start, results):
    """In a child process: write `count` reviews of the product; report where they landed."""
    try:
        start.wait(timeout=30)
        reviews = [
            Review(product_id=product_pk, author_id=author_pk, text="child") for _ in range(count)
        ]
        results.put([(review.save(), review.pk, review._state.db)[1:] for review in reviews])
    except Exception:
        results.put(traceback.format_exc())
    finally:
        connections.close_all()


def test_tickets_taken_in_a_transaction_that_rolls_back_are_never_given_again():
    """An id is never handed out twice (django-sharding's id generators promise it): the
    admin's add view and ATOMIC_REQUESTS wrap a write in a transaction on "default"; when
    it rolls back, the review already committed on its shard keeps its id, and another
    process must not be given the same one."""
    product, author = create_product(), create_author()
    with contextlib.suppress(RolledBack), transaction.atomic(using="default"):
        kept = create_review(product, author, text="parent")
        raise RolledBack
    [(pk, shard)] = in_parallel(write_some, [(product.pk, author.pk, 1)])
    assert pk != kept.pk
    assert sorted(Review.objects.using(shard).values_list("text", flat=True)) == [
        "child",
        "parent",
    ]


def test_a_block_taken_before_the_sequence_was_reset_is_dropped_on_its_first_clash():
    """`setup_demo --reset` while the server runs: a worker's block from before the reset
    clashes with the ids others take after it. The clash is noticed, the block dropped,
    and the review written with a fresh id, instead of "UNIQUE constraint failed"."""
    product, author = create_product(), create_author()
    shard = create_review(product, author)._state.db  # this process holds tickets 2-100
    Review._base_manager.using(shard).all().delete()
    Ticket.objects.update(next=1)  # what --reset leaves, the demo's rows apart
    in_parallel(write_some, [(product.pk, author.pk, 2)])  # tickets 1 and 2
    mine = create_review(product, author, text="after the reset")
    assert Review.objects.using(shard).count() == 3
    assert Review.objects.using(shard).get(pk=mine.pk).text == "after the reset"
