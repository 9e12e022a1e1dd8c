"""A shard restored from a backup lacks the buckets moved to it since: their rows were
deleted from the old shard after the switch, and the map still gives them to this one.
Shards, map and tickets are restored to one point in time, or not at all."""

import sqlite3
from contextlib import closing

import pytest
from django.core.management import CommandError, call_command

from common.postgres import disconnect
from common.sqlite import database_file
from shop import resharding
from shop.models import Bucket

from .helpers import EVERY_DATABASE, create_author, create_review, holders, product_on, sqlite_only

# The move commits on each database, as `reshard` does, so the backup sees it.
pytestmark = [sqlite_only, pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True)]


def copied(source, target):
    """SQLite's online backup API: a consistent copy, WAL included, while others use it."""
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def moved(bucket, source, target):
    """One bucket moved as `reshard` moves it, step by step."""
    resharding.mark(bucket, target)
    resharding.copy(bucket, source, target)
    assert resharding.verify(bucket, source, target)
    resharding.switch(bucket, source, target)
    resharding.delete_source(bucket, source)


def test_a_shard_restored_from_before_a_move_lacks_the_moved_bucket(tmp_path):
    product, bucket = product_on("shard1")
    review = create_review(product, create_author())
    backup = tmp_path / "shard4-before.sqlite3"
    copied(database_file("shard4"), backup)
    moved(bucket, "shard1", "shard4")
    assert holders(review.pk) == ["shard4"]
    disconnect("shard4")
    copied(backup, database_file("shard4"))  # shard4 restored from last night's backup
    assert Bucket.objects.get(number=bucket).shard == "shard4"
    assert holders(review.pk) == []


def test_reshard_keeps_the_only_copy_when_the_map_is_older_than_the_shards(tmp_path):
    """The map (on "default") restored from before a move gives the bucket back to its
    old shard, which no longer has its rows: to `reshard` they look left over on the new
    one. It deletes none of them and says which map and rows disagree."""
    product, bucket = product_on("shard1")
    review = create_review(product, create_author())
    backup = tmp_path / "default-before.sqlite3"
    copied(database_file("default"), backup)
    moved(bucket, "shard1", "shard4")
    disconnect("default")
    copied(backup, database_file("default"))  # the map restored from last night's backup
    with pytest.raises(CommandError, match=f"bucket {bucket}: 1 of its rows on shard4 are not"):
        call_command("reshard")
    assert holders(review.pk) == ["shard4"]
