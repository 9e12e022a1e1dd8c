"""What the database's join of the shards does not keep (postgres_fdw, PostgreSQL 15):
each shard checks its own rows and commits on its own, and the partitions' bounds are
the bucket map as it was when the coordinator was built. Each row is looked for on the
shards themselves."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connections, transaction

from reviews.models import Review
from shop.coordinator import COORDINATOR, TABLE, as_superuser
from shop.models import Bucket
from shop.sharding import bucket_for_product

from .coordinator_helpers import execute, on_coordinator, through_coordinator
from .helpers import GRINDER_ON_SHARD2, KETTLE_ON_SHARD1, holders, product_on, reviews_at

pytestmark = [on_coordinator, through_coordinator]

SAME_ID = 600  # ticket 10, bucket 0
INSERT = f"INSERT INTO {TABLE} VALUES (%s, %s, %s, 1, 5, %s, now())"
REFUSED = "refused at commit"
# A constraint checked at COMMIT, as a deferred foreign key or exclusion would be.
REFUSE_AT_COMMIT = [
    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{REFUSED}'; END $$",
    f"CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON {TABLE} DEFERRABLE INITIALLY DEFERRED "
    f"FOR EACH ROW WHEN (NEW.text = '{REFUSED}') EXECUTE FUNCTION refuse()",
]


def test_the_same_id_is_accepted_on_two_shards(coordinator):
    """Through one table, two rows with one id, in buckets of two shards: each shard's
    primary key checks its own rows only."""
    execute(INSERT, [SAME_ID, 0, KETTLE_ON_SHARD1, "on shard1"])
    execute(INSERT, [SAME_ID, 39, GRINDER_ON_SHARD2, "on shard2"])
    assert holders(SAME_ID) == ["shard1", "shard2"]


def test_no_unique_index_across_foreign_partitions(coordinator):
    """Nor can the coordinator add one: PostgreSQL refuses a unique index on a table whose
    partitions are foreign tables, even to a superuser."""
    import psycopg  # installed only for DEMO_DATABASE=postgres, hence the late import

    refused = pytest.raises(psycopg.errors.WrongObjectType, match="foreign tables")
    with refused, as_superuser() as superuser:
        superuser.execute(f"CREATE UNIQUE INDEX ON {TABLE} (id)")


@pytest.mark.parametrize(
    "where",
    ["id = %s", "id = %s AND random() >= 0"],
    ids=["sent whole to the shards", "row by row, by ctid"],
)
def test_an_update_of_the_bucket_leaves_the_row_on_its_old_shard(coordinator, where):
    """PostgreSQL 15 neither moves the row nor refuses: sent to the shards whole, or row
    by row (random() cannot be sent), the UPDATE runs on the row's shard, where no
    partition bound is checked. The row stays on shard1 with bucket 39, shard2's, where
    pruning never looks for it."""
    execute(INSERT, [SAME_ID, 0, KETTLE_ON_SHARD1, "x"])
    execute(f"UPDATE {TABLE} SET bucket = 39 WHERE {where}", [SAME_ID])
    assert list(Review._base_manager.using("shard1").values_list("pk", "bucket")) == [(SAME_ID, 39)]
    assert not Review._base_manager.using(COORDINATOR).filter(bucket=39, pk=SAME_ID).exists()


def failed_commit(pk, refused_on, committed_on):
    """One coordinator transaction writing a row to two shards, one refusing at COMMIT."""
    rows = {"shard1": [pk, 0, KETTLE_ON_SHARD1], "shard2": [pk, 39, GRINDER_ON_SHARD2]}
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic(using=COORDINATOR):
        execute(INSERT, [*rows[refused_on], REFUSED])
        execute(INSERT, [*rows[committed_on], "committed"])


def test_a_commit_refused_by_one_shard_may_leave_another_committed(coordinator):
    """No two-phase commit: the coordinator commits each shard in turn, so a refusal from
    the shard committed second leaves the first one's row. Refused by each in turn, the
    transaction fails twice, and one of the two runs leaves a row behind."""
    for shard in ["shard1", "shard2"]:
        with connections[shard].cursor() as cursor:
            for statement in REFUSE_AT_COMMIT:
                cursor.execute(statement)
    failed_commit(SAME_ID, refused_on="shard1", committed_on="shard2")
    failed_commit(SAME_ID + 60, refused_on="shard2", committed_on="shard1")
    assert (
        len(Review._base_manager.using("shard1").filter(text="committed"))
        + len(Review._base_manager.using("shard2").filter(text="committed"))
        == 1
    )


def test_a_moved_bucket_is_not_followed_until_the_coordinator_is_rebuilt(coordinator):
    """`reshard` moves the one bucket of shard2 with reviews to shard4 (plan_moves: the
    nearest even share of rows), which no partition names: its reviews vanish from the
    coordinator until `fdw_coordinator` rebuilds it from the map."""
    grinder, _ = product_on("shard2")
    reviews_at(grinder, [1, 2])
    call_command("reshard", verbosity=0)
    bucket = Bucket.objects.get(number=bucket_for_product(grinder.pk))
    assert bucket.shard == "shard4"
    through = Review.objects.using(COORDINATOR).filter(product_id=grinder.pk)
    assert through.count() == 0
    call_command("fdw_coordinator", verbosity=0)
    assert through.count() == 2
