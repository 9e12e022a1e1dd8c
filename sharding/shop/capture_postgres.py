"""An online move's change capture on PostgreSQL: logical replication of the bucket's rows
(PostgreSQL 15 docs, 31.3 Row Filters), a publication on the source and a subscription on
the target, both named ``online_move_<bucket>``, created and dropped by the move.

The subscription copies the rows itself (copy_data) from the snapshot of the slot it
creates on the source, and then streams every change committed after it: nothing falls
between the copy and the capture. A row filter on UPDATE and DELETE may use only columns
of the replica identity (docs, 31.3 Row Filters): with the primary key as identity, every
UPDATE of the table is refused while the publication exists, so the source's table is
given REPLICA IDENTITY FULL for the move, in the publication's own transaction.

CREATE SUBSCRIPTION needs a superuser in PostgreSQL 15 (16 adds pg_create_subscription):
the sites connect as ``shop``, no superuser, so the move connects as
settings.ONLINE_MOVE_ADMIN for the subscription and the slot only.
"""

import time

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from reviews.models import Review

from .sharding import NUM_BUCKETS

TABLE = Review._meta.db_table
PREFIX = "online_move_"
WAIT = 10.0  # seconds: the most a step waits for the subscription before it gives up
READY = "r"  # pg_subscription_rel.srsubstate: the table's copy is done, changes stream


class CaptureStuck(Exception):
    """The subscription did not get where it was waited for within WAIT seconds."""


def admin(alias):
    """A superuser's connection to the alias's database, autocommit, its waits bounded."""
    import psycopg  # here: the SQLite demo runs without the driver installed

    shard = connections[alias].settings_dict
    return psycopg.connect(
        host=shard["HOST"],
        port=shard["PORT"],
        dbname=shard["NAME"],
        user=settings.ONLINE_MOVE_ADMIN,
        autocommit=True,
        connect_timeout=2,
        options="-c statement_timeout=30s -c lock_timeout=1s",
    )


def run(alias, sql, params=()):
    with admin(alias) as connection:
        cursor = connection.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


class Subscription:
    def __init__(self, move):
        self.move, self.name = move, f"{PREFIX}{move.bucket}"

    def start(self):
        """Publish the bucket on the source, subscribe on the target (which copies it)."""
        source, target = self.move.source, self.move.target
        if run(target, "SELECT 1 FROM pg_subscription WHERE subname = %s", [self.name]):
            return None  # a re-run: the subscription goes on from where it was
        with transaction.atomic(using=source), connections[source].cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{TABLE}" REPLICA IDENTITY FULL')
            cursor.execute("SELECT 1 FROM pg_publication WHERE pubname = %s", [self.name])
            if not cursor.fetchone():
                cursor.execute(
                    f'CREATE PUBLICATION {self.name} FOR TABLE "{TABLE}" '
                    f"WHERE (bucket = {int(self.move.bucket)})"
                )
        self.drop_slot()  # left by a run killed inside CREATE SUBSCRIPTION
        Review._base_manager.using(target).filter(bucket=self.move.bucket).delete()
        shard = connections[source].settings_dict
        conninfo = (
            f"host={shard['HOST']} port={shard['PORT']} dbname={shard['NAME']} "
            f"user={settings.ONLINE_MOVE_ADMIN}"
        )
        run(
            target,
            f"CREATE SUBSCRIPTION {self.name} CONNECTION '{conninfo}' "
            f"PUBLICATION {self.name} WITH (copy_data = true)",
        )
        return None  # the copy runs in the subscription's own worker

    def catch_up(self):
        """None while the subscription copies the rows; then no ids: the subscription
        applies the changes as they come, and which rows they were is not known here."""
        state = run(
            self.move.target,
            "SELECT srsubstate FROM pg_subscription_rel r JOIN pg_subscription s "
            "ON s.oid = r.srsubid WHERE s.subname = %s",
            [self.name],
        )
        if state != [(READY,)]:
            time.sleep(0.1)
            return None
        return set()

    def drain(self):
        """Under the fence: a change of the bucket's own, inserted and deleted in one
        transaction (no reader sees it), and a wait until the target has applied it: the
        subscription applies transactions in the order they committed. No ids: which rows
        changed since the last catch-up is not known here."""
        sentinel = self.move.bucket - NUM_BUCKETS  # a negative id, in the bucket
        with transaction.atomic(using=self.move.source):
            with connections[self.move.source].cursor() as cursor:
                cursor.execute(
                    f'INSERT INTO "{TABLE}" (id, bucket, product_id, author_id, text, created)'
                    " VALUES (%s, %s, 0, 0, '', %s)",
                    [sentinel, self.move.bucket, timezone.now()],
                )
                cursor.execute(f'DELETE FROM "{TABLE}" WHERE id = %s', [sentinel])
                cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
                after = cursor.fetchone()[0]
        deadline = time.monotonic() + WAIT
        while not self.applied_past(after):
            if time.monotonic() > deadline:
                raise CaptureStuck(f"{self.name}: {self.move.target} did not apply {after}")
            time.sleep(0.002)
        return set()

    def applied_past(self, lsn):
        return run(
            self.move.target,
            "SELECT o.remote_lsn >= %s::pg_lsn FROM pg_replication_origin_status o "
            "JOIN pg_subscription s ON o.external_id = 'pg_' || s.oid WHERE s.subname = %s",
            [lsn, self.name],
        ) == [(True,)]

    def stop(self):
        """Drop the subscription (and with it its slot), the publication, the identity."""
        run(self.move.target, f"DROP SUBSCRIPTION IF EXISTS {self.name}")
        self.drop_slot()
        with transaction.atomic(using=self.move.source):
            with connections[self.move.source].cursor() as cursor:
                cursor.execute(f"DROP PUBLICATION IF EXISTS {self.name}")
                cursor.execute(f'ALTER TABLE "{TABLE}" REPLICA IDENTITY DEFAULT')

    def drop_slot(self):
        run(
            self.move.source,
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
            "WHERE slot_name = %s AND NOT active",
            [self.name],
        )


def slots_left_behind(alias, moving):
    """The online moves' slots on this shard's server of no move in flight (`moving`,
    the bucket numbers): each keeps WAL on the server until it is dropped."""
    with connections[alias].cursor() as cursor:  # the view is readable by every role
        cursor.execute(
            "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE %s",
            [f"{PREFIX}%"],
        )
        found = cursor.fetchall()
    return [slot for (slot,) in found if int(slot.removeprefix(PREFIX)) not in moving]
