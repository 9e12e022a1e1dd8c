from django.db import models

from .sharding import BucketMoving


class BucketQuerySet(models.QuerySet):
    def layout(self):
        """{bucket: shard}: the whole map, in one query."""
        return dict(self.values_list("number", "shard"))

    def shard_for_write(self, number):
        """The shard to write a bucket's reviews to, unless `reshard` is moving it."""
        bucket = self.get(number=number)
        if bucket.moving_to:
            raise BucketMoving(
                f"Bucket {number} is being moved from {bucket.shard} to {bucket.moving_to}: "
                "writes to it wait until `manage.py reshard` has finished. Try again shortly."
            )
        return bucket.shard


class Bucket(models.Model):
    # Lives on "default": which shard holds each bucket of reviews. `reshard` switches a
    # bucket with one UPDATE of its row, so every process sees the move at once.
    number = models.PositiveSmallIntegerField(primary_key=True)
    shard = models.CharField(max_length=30)
    # Set while `reshard` copies the bucket: writes to it wait for the move to finish.
    moving_to = models.CharField(max_length=30, blank=True)

    objects = BucketQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"bucket {self.number} on {self.shard}"


class Ticket(models.Model):
    # Lives on "default": the next free ticket of a sequence (Flickr's ticket servers).
    name = models.CharField(max_length=30, primary_key=True)
    next = models.BigIntegerField(default=1)

    def __str__(self):
        return f"{self.name}: next ticket {self.next}"
