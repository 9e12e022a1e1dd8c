from django.db import models


class Heartbeat(models.Model):
    # One row, written on the primary by `manage.py replicate` just before each copy.
    # A replica's copy of it tells how old that replica's data is: its lag, measured
    # the way production tools such as pt-heartbeat measure it.
    beat = models.DateTimeField()

    def __str__(self):
        return f"Heartbeat at {self.beat:%H:%M:%S}"
