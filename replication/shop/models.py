from django.db import models


class Heartbeat(models.Model):
    # One row, written on the primary by `manage.py replicate` just before each copy.
    # A replica's copy of it tells how old that replica's data is: its lag, measured
    # the way production tools such as pt-heartbeat measure it.
    beat = models.DateTimeField()

    def __str__(self):
        return f"Heartbeat at {self.beat:%H:%M:%S}"


class WriteCounter(models.Model):
    # SQLite's stand-in for PostgreSQL's WAL position (shop/positions.py): one row, on the
    # primary, bumped each time a write's position is taken. A replica's copy of it says
    # how far that copy reaches. `history` is made with the row: a primary built anew
    # starts another history, whose counts do not compare with the old one's.
    history = models.CharField(max_length=32)
    count = models.BigIntegerField()

    def __str__(self):
        return f"Write {self.count} of history {self.history}"
