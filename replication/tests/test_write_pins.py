"""Every write on the primary pins, whether or not the router was asked where to write."""

import pytest
from django.conf import settings
from django.db import connections
from django.http import HttpResponse

from reviews.models import Review
from shop.pinning import ReadYourWritesMiddleware
from shop.writes import is_write

from .helpers import ALIASES, create_author, create_review, replicate

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]


@pytest.fixture
def review(product):
    review = create_review(product, create_author(), text="Replicated.")
    replicate()
    return review


def save_using(review):
    review.text = "Saved."
    review.save(using="default")


def update_using(review):
    Review.objects.using("default").filter(pk=review.pk).update(text="Updated.")


def create_with_db_manager(review):
    Review.objects.db_manager("default").create(product_id=review.product_id, author_id=1)


def raw_sql(review):
    with connections["default"].cursor() as cursor:
        cursor.execute("UPDATE reviews_review SET text = %s", ["Raw."])


@pytest.mark.parametrize("write", [save_using, update_using, create_with_db_manager, raw_sql])
def test_a_write_the_router_never_sees_pins_the_client(rf, review, write):
    """The primary's connection marks the write, so it pins like a routed one."""

    def view(request):
        write(review)
        return HttpResponse(Review.objects.filter(pk=review.pk).get()._state.db)

    response = ReadYourWritesMiddleware(view)(rf.get("/"))
    assert response.content == b"default"
    assert settings.REPLICATION_PIN_COOKIE in response.cookies


def test_a_read_on_the_primary_pins_nothing(rf, review):
    def view(request):
        return HttpResponse(Review.objects.using("default").count())

    assert (
        settings.REPLICATION_PIN_COOKIE not in ReadYourWritesMiddleware(view)(rf.get("/")).cookies
    )


@pytest.mark.parametrize(
    "sql",
    ["SELECT 1", " (SELECT 1) UNION (SELECT 2)", "select 1", "SAVEPOINT s1", "BEGIN IMMEDIATE"],
)
def test_reads_and_transaction_control_are_not_writes(sql):
    assert not is_write(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO t VALUES (1)",
        "update t set a = 1",
        "DELETE FROM t",
        "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
        "CREATE TABLE t (a int)",
    ],
)
def test_anything_else_is_a_write(sql):
    """A statement not known to read pins: a needless pin costs less than a stale page."""
    assert is_write(sql)
