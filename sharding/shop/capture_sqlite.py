"""An online move's change capture on SQLite: triggers on the source shard log the id of
every row of the bucket that is written, in a table the move creates and drops.

Replaying an id copies the row as it is on the source now, or deletes it from the target
if it is gone there: a change replayed twice, or after a later one, leaves the target as
the source is, so a re-run may replay the whole log again. The triggers are in place
before the copy starts, so a write commits either before the copy reads (the copy has it)
or after the triggers (the log has it): none falls between.
"""

from django.db import connections, transaction

from reviews.models import Review

from . import resharding

TABLE = Review._meta.db_table
EVENTS = {"insert": "NEW", "update": "NEW", "delete": "OLD"}
UPSERT = "{} ON CONFLICT (id) DO UPDATE SET {}".format(
    resharding.INSERT,
    ", ".join(f'"{column}" = excluded."{column}"' for column in resharding.COLUMNS[1:]),
)


class ChangeLog:
    def __init__(self, move):
        self.move, self.since = move, 0  # the last change replayed, by its number
        self.log = f"online_move_{move.bucket}_changes"

    def start(self):
        """Log the bucket's writes on the source, then copy its rows to the target."""
        bucket, source = self.move.bucket, self.move.source
        with transaction.atomic(using=source), connections[source].cursor() as cursor:
            cursor.execute(
                f'CREATE TABLE IF NOT EXISTS "{self.log}" '
                "(seq INTEGER PRIMARY KEY AUTOINCREMENT, review_id INTEGER NOT NULL)"
            )
            for event, row in EVENTS.items():
                cursor.execute(
                    f'CREATE TRIGGER IF NOT EXISTS "{self.log}_{event}" AFTER {event.upper()} '
                    f'ON "{TABLE}" WHEN {row}.bucket = {bucket} BEGIN '
                    f'INSERT INTO "{self.log}" (review_id) VALUES ({row}.id); END'
                )
        return resharding.copy(bucket, source, self.move.target)

    def catch_up(self):
        """Replay the changes logged since the last call: the ids replayed."""
        return self.drain()

    def drain(self):
        """Replay every change logged so far: the ids replayed."""
        with connections[self.move.source].cursor() as cursor:
            cursor.execute(
                f'SELECT seq, review_id FROM "{self.log}" WHERE seq > %s ORDER BY seq',
                [self.since],
            )
            changes = cursor.fetchall()
        ids = {review_id for _, review_id in changes}
        replay(self.move, ids)
        self.since = changes[-1][0] if changes else self.since
        return ids

    def stop(self):
        """Drop the triggers and the log."""
        with transaction.atomic(using=self.move.source):
            with connections[self.move.source].cursor() as cursor:
                for event in EVENTS:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{self.log}_{event}"')
                cursor.execute(f'DROP TABLE IF EXISTS "{self.log}"')

    def left_behind(self):
        return []


def replay(move, ids):
    """Make these rows of the target what they are on the source now."""
    ids = sorted(ids)
    for start in range(0, len(ids), resharding.BATCH):
        batch = ids[start : start + resharding.BATCH]
        found = resharding.rows_of(move.source).filter(pk__in=batch)  # by the primary key
        rows = list(found.values_list(*resharding.COLUMNS))
        gone = set(batch) - {row[0] for row in rows}
        with transaction.atomic(using=move.target):
            resharding.rows_of(move.target).filter(pk__in=gone).delete()
            upsert(move.target, rows)


def upsert(shard, rows):
    connection = connections[shard]
    adapt = connection.ops.adapt_datetimefield_value  # "created", the last column
    with connection.cursor() as cursor:
        cursor.executemany(UPSERT, [(*row[:-1], adapt(row[-1])) for row in rows])
