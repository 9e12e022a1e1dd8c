from django.db import models


class Tombstone(models.Model):
    # Lives on "default": a row deleted locally that the snapshot still holds. The
    # snapshot cannot be written, so the overlay hides the row instead.
    model = models.CharField(max_length=100)  # the label, e.g. "reviews.Review"
    object_pk = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "object_pk"], name="one_tombstone_a_row")
        ]

    def __str__(self):
        return f"{self.model} {self.object_pk} (deleted locally)"
