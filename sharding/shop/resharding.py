"""Moving one bucket of reviews to another shard, in steps that are safe to repeat.

mark → wait for writes → copy → verify → switch → delete. Until the switch, pages read
the bucket from its source (the copy on the target is ignored: the map does not give it
the bucket); after it, from the target (the rows left on the source are ignored).
Interrupted anywhere, the next run deletes the rows left on a shard the map no longer
points to, then `plan()` finds the bucket again and the steps are run once more.
"""

import hashlib
import time

from django.db import DatabaseError, OperationalError, connections, transaction
from django.db.models import Count

from common.db_errors import first_line
from reviews.models import Review

from .models import Bucket, OnlineMove
from .sharding import buckets_by_shard, plan_moves

BATCH = 2000
# How long the lock waits behind the transactions that wrote to the source's reviews
# (every writer that comes after it waits behind it as long), how many times it is
# tried, and the pause between tries, in which the writers go on.
LOCK_TIMEOUT_MS, LOCK_TRIES, LOCK_PAUSE = 1000, 5, 1.0
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout
COLUMNS = ["id", "bucket", "product_id", "author_id", "rating", "text", "created"]
INSERT = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
    Review._meta.db_table,
    ", ".join(f'"{column}"' for column in COLUMNS),
    ", ".join(["%s"] * len(COLUMNS)),
)


def plan(shards):
    """[(bucket, source, target)]: buckets to move, chosen by their rows, a half-moved
    one included."""
    layout = Bucket.objects.layout()
    moving = dict(Bucket.objects.exclude(moving_to="").values_list("number", "moving_to"))
    return plan_moves(layout, shards, sizes(layout), moving)


def sizes(layout):
    """{bucket: rows}, each counted on the shard the map gives it: one query per shard."""
    counted = {}
    for shard, buckets in buckets_by_shard(layout).items():
        rows = rows_of(shard).filter(bucket__in=buckets).values_list("bucket")
        counted.update(rows.annotate(Count("pk")).order_by())
    return counted


def unknown_shards():
    """{shard: [buckets]} for every shard in the map that is not in DATABASES."""
    by_shard = buckets_by_shard(Bucket.objects.layout())
    return {shard: buckets for shard, buckets in by_shard.items() if shard not in connections}


def not_ready(shard):
    """Why a shard cannot take rows (its database or its table is missing), or None."""
    connection = connections[shard]
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as error:
        return first_line(error)
    if Review._meta.db_table not in tables:
        return f"no table {Review._meta.db_table}"
    return None


def release_unplanned(moves):
    """A bucket marked for a move no longer planned (settings changed) takes writes again."""
    planned = [bucket for bucket, _, _ in moves]
    Bucket.objects.exclude(moving_to="").exclude(number__in=planned).update(moving_to="")


def rows_of(shard):
    return Review._base_manager.using(shard)


def rows(shard, bucket):
    return rows_of(shard).filter(bucket=bucket)


class WritesInTheWay(Exception):
    """The lock that waits out the writes to the source was not had within its tries."""


def mark(bucket, target):
    """Writes to the bucket are refused from now: a row written to the source after the
    copy would be lost."""
    Bucket.objects.filter(number=bucket).update(moving_to=target)


def wait_for_writes(source, say=lambda line: None):
    """Wait out the writes to the source that began before the mark.

    A write holds a lock on its shard until it commits and confirms the map just before
    (`Bucket.objects.confirm_write`): one that missed the mark commits before this
    returns, so the copy sees its row; one that sees the mark rolls back. On SQLite,
    the atomic block's BEGIN IMMEDIATE waits for the file's write lock; on PostgreSQL,
    SHARE mode waits for every transaction that has written to the table, and every
    writer that comes after waits behind it: so it waits LOCK_TIMEOUT_MS at most, and
    is tried again LOCK_PAUSE later, LOCK_TRIES times in all.
    """
    for attempt in range(1, LOCK_TRIES + 1):
        try:
            return lock_out_writes(source)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
        say(
            f"{source}: the lock waited {LOCK_TIMEOUT_MS} ms behind a transaction that "
            f"wrote to its reviews (try {attempt} of {LOCK_TRIES})"
        )
        time.sleep(LOCK_PAUSE)
    raise WritesInTheWay(
        f"a transaction that wrote to {source}'s reviews stayed open through {LOCK_TRIES} "
        f"tries of {LOCK_TIMEOUT_MS} ms"
    )


def lock_out_writes(source):
    connection = connections[source]
    with transaction.atomic(using=source), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(Review._meta.db_table)
            cursor.execute(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}")
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")


def unmark(bucket):
    """The bucket takes writes again: its move stopped before anything was copied."""
    Bucket.objects.filter(number=bucket).update(moving_to="")


def insert_rows(shard, rows):
    """Write rows of values in COLUMNS order with one statement run for them all.

    The caller holds the transaction. bulk_create() would prepare every value through
    its field and fit 140 rows in an INSERT on SQLite: 4 times the cost.
    """
    connection = connections[shard]
    adapt = connection.ops.adapt_datetimefield_value  # "created", the last column
    with connection.cursor() as cursor:
        cursor.executemany(INSERT, [(*row[:-1], adapt(row[-1])) for row in rows])


def copy(bucket, source, target):
    """Copy the bucket's rows as they are (same ids); a half-finished copy is replaced."""
    with transaction.atomic(using=target):
        rows(target, bucket).delete()
        batch = []
        found = rows(source, bucket).order_by("pk").values_list(*COLUMNS)
        for row in found.iterator(chunk_size=BATCH):
            batch.append(row)
            if len(batch) == BATCH:
                insert_rows(target, batch)
                batch = []
        insert_rows(target, batch)
    return rows(target, bucket).count()


def fingerprint(shard, bucket):
    """(rows, checksum of every column of every row, in id order)."""
    digest, count = hashlib.sha256(), 0
    for row in rows(shard, bucket).order_by("pk").values_list(*COLUMNS).iterator(BATCH):
        digest.update(repr(row).encode())
        count += 1
    return count, digest.hexdigest()


def verify(bucket, source, target):
    """True if the target holds exactly the source's rows of the bucket."""
    return fingerprint(source, bucket) == fingerprint(target, bucket)


def switch(bucket, source, target):
    """One UPDATE on "default": from now on every process reads and writes the target."""
    Bucket.objects.filter(number=bucket, shard=source).update(shard=target, moving_to="")


def delete_source(bucket, source):
    return rows(source, bucket).delete()[0]


def leftovers(shards):
    """[(bucket, shard)]: rows on a shard the map no longer gives their bucket to.

    A bucket being copied to a shard is not a leftover there: the copy step owns it, or
    the online move (shop/online_moves.py) until its switch.
    """
    found = []
    moving = dict(Bucket.objects.exclude(moving_to="").values_list("number", "moving_to"))
    copying = OnlineMove.objects.exclude(state=OnlineMove.SWITCHED)
    moving |= dict(copying.values_list("bucket", "target"))
    for shard, buckets in buckets_by_shard(Bucket.objects.layout(), shards).items():
        stray = Review._base_manager.using(shard).exclude(bucket__in=buckets)
        for bucket in stray.values_list("bucket", flat=True).distinct().order_by("bucket"):
            if moving.get(bucket) != shard:
                found.append((bucket, shard))
    return found


def only_copies(bucket, shard):
    """How many of the bucket's rows on ``shard`` the shard the map gives it lacks. A row
    left on the old shard of a finished move has its copy on the new one; a row that has
    none is no leftover: the map is older than the shards (restored from a backup)."""
    owner = Bucket.objects.get(number=bucket).shard
    ids = list(rows(shard, bucket).values_list("pk", flat=True))
    batches = (ids[start : start + BATCH] for start in range(0, len(ids), BATCH))
    return len(ids) - sum(rows(owner, bucket).filter(pk__in=batch).count() for batch in batches)
