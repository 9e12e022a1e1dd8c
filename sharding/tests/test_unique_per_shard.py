"""A unique constraint holds on each shard, never across them: each shard's database
checks only its own rows. The rule: every unique constraint includes the shard key."""

import pytest
from django.db import IntegrityError, transaction

from reviews.models import Review

from .helpers import GRINDER_ON_SHARD2, KETTLE_ON_SHARD1, SHARDS, holders

pytestmark = pytest.mark.django_db(databases=["default", *SHARDS])  # holders() asks each shard

SAME_ID = 600  # ticket 10, bucket 0: shard1's by the map; the databases do not know that


def written_as_is(shard, product_id):
    """A review with SAME_ID written to `shard` as `reshard` copies rows (the plain
    manager, past save()), so that nothing but the shard's own constraint checks it."""
    review = Review(pk=SAME_ID, bucket=0, product_id=product_id, author_id=1, text="x")
    Review._base_manager.using(shard).bulk_create([review])


def test_one_shard_refuses_a_repeated_id():
    """The primary key is a unique constraint, and on one shard it holds."""
    written_as_is("shard1", KETTLE_ON_SHARD1)
    with pytest.raises(IntegrityError), transaction.atomic(using="shard1"):
        written_as_is("shard1", GRINDER_ON_SHARD2)
    assert holders(SAME_ID) == ["shard1"]


def test_two_shards_accept_the_same_id():
    """shard2 never sees shard1's rows: both accept the id, and it now names two reviews.
    Ids stay unique only because each is made with its bucket (ticket * 60 + bucket), so
    that two reviews with one id would be in one bucket, on one shard, whose key refuses."""
    written_as_is("shard1", KETTLE_ON_SHARD1)
    written_as_is("shard2", GRINDER_ON_SHARD2)
    assert holders(SAME_ID) == ["shard1", "shard2"]
