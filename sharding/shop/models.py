from contextlib import contextmanager

from django.db import models, transaction
from django.db.models import F

from .down_shards import reach
from .sharding import BucketMoving


class BucketQuerySet(models.QuerySet):
    def layout(self):
        """{bucket: shard}: the whole map, in one query."""
        return dict(self.values_list("number", "shard"))

    def update(self, **kwargs):
        """Every change to the map bumps its version, in the same transaction, so other
        processes read the map again (shop/bucket_map.py); this one forgets its copy."""
        from .bucket_map import forget  # bucket_map reads these models

        with transaction.atomic(using=self.db):
            changed = super().update(**kwargs)
            MapVersion.objects.using(self.db).update(number=F("number") + 1)
        forget()
        return changed

    update.alters_data = True

    def confirm_write(self, shard, numbers):
        """Raise BucketMoving unless every bucket is still on `shard` and none is moving.

        Called inside a write's transaction, after the write: `reshard` marks a bucket,
        then waits for the writes in flight on its shard (`wait_for_writes`). A write
        that missed the mark commits before the copy starts; one that sees it rolls back.
        """
        from .bucket_map import forget  # bucket_map reads these models

        changed = self.filter(number__in=numbers).exclude(shard=shard, moving_to="").first()
        if changed:
            forget()  # the map this process keeps may be out of date: "Try again" reads it
            raise BucketMoving(changed.refusal())


class Bucket(models.Model):
    # Lives on "default": which shard holds each bucket of reviews. `reshard` switches a
    # bucket with one UPDATE of its row, so every process sees the move at once.
    number = models.PositiveSmallIntegerField(primary_key=True)
    shard = models.CharField(max_length=30)
    # Set while `reshard` moves the bucket: writes to it are refused until the move is done.
    moving_to = models.CharField(max_length=30, blank=True)

    objects = BucketQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"bucket {self.number} on {self.shard}"

    def refusal(self):
        if self.moving_to:
            return (
                f"Bucket {self.number} is being moved from {self.shard} to {self.moving_to}: "
                "writes to it are refused until `manage.py reshard` has finished. Try again "
                "shortly."
            )
        return f"Bucket {self.number} has just moved to {self.shard}. Try again."


@contextmanager
def confirmed_write(shard, numbers):
    """A write to `shard` in one transaction that confirms the bucket map before it commits;
    refused at once if the shard is remembered down."""
    reach(shard)
    with transaction.atomic(using=shard):
        yield
        Bucket.objects.confirm_write(shard, numbers)


class MapVersion(models.Model):
    # Lives on "default" beside the map, one row: bumped with every change to the map,
    # so a process that keeps the map learns from one small read whether it still holds.
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"bucket map version {self.number}"


class OnlineMove(models.Model):
    # Lives on "default" beside the map: a bucket `reshard --online` moves while it takes
    # writes, the shard it goes to and how far it got (shop/online_moves.py). A re-run
    # resumes it toward this target, whatever a new plan would say.
    COPYING, CATCHING_UP, FENCED, SWITCHED = "copying", "catching up", "fenced", "switched"
    STATES = [(state, state) for state in (COPYING, CATCHING_UP, FENCED, SWITCHED)]

    bucket = models.PositiveSmallIntegerField(primary_key=True)
    source = models.CharField(max_length=30)
    target = models.CharField(max_length=30)
    state = models.CharField(max_length=20, choices=STATES, default=COPYING)

    def __str__(self):
        return f"bucket {self.bucket}: {self.source} → {self.target}, {self.state}"


class Ticket(models.Model):
    # Lives on "tickets", a database of its own: the next free ticket of a sequence
    # (Flickr's ticket servers).
    name = models.CharField(max_length=30, primary_key=True)
    next = models.BigIntegerField(default=1)

    def __str__(self):
        return f"{self.name}: next ticket {self.next}"
