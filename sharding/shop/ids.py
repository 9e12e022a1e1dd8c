"""Review ids unique across every shard, from a ticket table on "tickets".

A process takes a block of BLOCK tickets in one short transaction and hands them out
from memory, so writing a review rarely costs a round trip. "tickets" is a database of
its own so that the block commits at once: inside a caller's transaction on "default"
(the admin's, ATOMIC_REQUESTS) it would roll back with it, and the tickets still in
memory, or already in a review on a shard, would be handed out again.

Every new review, on every shard, needs a ticket: "tickets" is a single point of failure
for writes, which a block in hand outlives for at most BLOCK reviews (the README's
traps: one tickets database for every write, and ids made where they are written).
"""

import os
import threading

from django.db import transaction
from django.db.models import F

from .models import Ticket
from .routers import TICKETS
from .sharding import review_id

BLOCK = 100
SEQUENCE = "reviews"


def take_tickets(count):
    """Reserve `count` consecutive tickets; return the first. Safe across processes."""
    with transaction.atomic(using=TICKETS):
        # The UPDATE takes the write lock (IMMEDIATE on SQLite, a row lock elsewhere)
        # before the read, so two processes never get the same block.
        updated = Ticket.objects.filter(name=SEQUENCE).update(next=F("next") + count)
        if not updated:
            raise Ticket.DoesNotExist(
                f"No {SEQUENCE!r} ticket row on {TICKETS}: run `python manage.py migrate "
                f"--database={TICKETS}`."
            )
        return Ticket.objects.get(name=SEQUENCE).next - count


class Allocator:
    """Hands out tickets from a block; a forked child starts a block of its own."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.pid, self.next, self.end = os.getpid(), 0, 0

    def ticket(self):
        with self.lock:
            if self.pid != os.getpid() or self.next >= self.end:
                self.pid, self.next = os.getpid(), take_tickets(BLOCK)
                self.end = self.next + BLOCK
            self.next += 1
            return self.next - 1


allocator = Allocator()


def new_review_id(bucket):
    return review_id(allocator.ticket(), bucket)


def new_review_ids(buckets):
    """Ids for many reviews at once: one block sized to fit, a single UPDATE."""
    first = take_tickets(len(buckets)) if buckets else 0
    return [review_id(first + n, bucket) for n, bucket in enumerate(buckets)]
