"""The tickets database is needed by every new review on every shard: a single point of
failure for writes, softened only by the block of tickets a process holds. On
PostgreSQL a sequence hands out numbers that no rollback takes back."""

import pytest
from django.db import connections, transaction

from common.faults import database_missing
from products.models import Product

from .helpers import (
    EVERY_DATABASE,
    GRINDER_ON_SHARD2,
    KETTLE_ON_SHARD1,
    ON_POSTGRES,
    create_author,
    create_review,
    holders,
    rows_per_shard,
)

# database_missing() takes the file or database away: nothing may hold it in a transaction.
on_every_database = pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True)


@on_every_database
def test_a_write_without_tickets_names_tickets_and_writes_nothing(client, tmp_path):
    """shard2 is up, but a new review needs a ticket first: the form names the database
    that failed, not the shard it would have gone to."""
    client.force_login(create_author("bob"))
    Product.objects.create(pk=GRINDER_ON_SHARD2, name="Burr grinder")
    with database_missing("tickets", tmp_path):
        response = client.post("/reviews/new/", {"product_id": GRINDER_ON_SHARD2, "text": "x"})
    assert response.status_code == 503
    assert "Your review was not saved: tickets is not available" in response.text
    assert sum(rows_per_shard().values()) == 0


@on_every_database
def test_a_block_of_tickets_in_hand_outlives_the_tickets_database(tmp_path):
    """A process writes from the block it took (100 tickets) while tickets is away; a
    process without one, as in the test above, cannot write at all."""
    author = create_author()
    kettle = Product.objects.create(pk=KETTLE_ON_SHARD1, name="Pour-over kettle")
    grinder = Product.objects.create(pk=GRINDER_ON_SHARD2, name="Burr grinder")
    create_review(kettle, author)  # takes this process's block
    with database_missing("tickets", tmp_path):
        review = create_review(grinder, author)
    assert holders(review.pk) == ["shard2"]


class RolledBack(Exception):
    pass


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL sequence")
@pytest.mark.django_db(databases=["default"])
def test_a_sequence_hands_out_numbers_that_no_rollback_takes_back():
    """PostgreSQL's docs (Sequence Manipulation Functions): nextval is never rolled back.
    A sequence could hand out blocks of 100 on "default", in the caller's transaction,
    and a rollback would still never give a block out twice."""
    with connections["default"].cursor() as cursor:
        cursor.execute("CREATE TEMPORARY SEQUENCE review_tickets INCREMENT BY 100")
        with pytest.raises(RolledBack), transaction.atomic(using="default"):
            cursor.execute("SELECT nextval('review_tickets')")
            assert cursor.fetchone() == (1,)
            raise RolledBack  # the caller's write fails: its transaction rolls back
        cursor.execute("SELECT nextval('review_tickets')")
        assert cursor.fetchone() == (101,)
