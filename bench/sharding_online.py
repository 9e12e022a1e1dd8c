"""Figure 17: how long a bucket refuses writes while it moves, online against stopped.

Run from inside sharding/ (``python -m bench.sharding_online``), on SQLite files of its
own. For buckets of 1 000, 10 000 and 100 000 rows: the stop-the-bucket move (shop/
resharding.py) refuses the bucket's writes from its mark to its switch, through the copy
and the verify; the online move (shop/online_moves.py, ``reshard --online``) only under
its fence. The online move runs with a thread writing to the bucket throughout, as a
site would; the stop-the-bucket one runs alone, its refusal is the whole copy anyway.
"""

import argparse
import time

from .harness import in_background, report, start_django, temporary_folder
from .sharding_shop import prepare
from .timing import duration, row

SIZES = [1_000, 10_000, 100_000]
BUCKET, SOURCE, TARGET = 15, "shard1", "shard4"
FIRST_TICKET = 10**9  # far above the tickets the writer takes
LIMIT = 0.2  # seconds: the target, whatever the bucket's size


def product_in_bucket():
    from shop.sharding import bucket_for_product

    return next(pk for pk in range(1, 10_000) if bucket_for_product(pk) == BUCKET)


def fill(rows):
    """`rows` reviews of one product of BUCKET on SOURCE, written as reshard copies."""
    from django.db import transaction
    from django.utils import timezone

    from shop import resharding
    from shop.sharding import NUM_BUCKETS

    product, now = product_in_bucket(), timezone.now()
    reviews = [
        (ticket * NUM_BUCKETS + BUCKET, BUCKET, product, 1, 4, "x" * 200, now)
        for ticket in range(FIRST_TICKET, FIRST_TICKET + rows)
    ]
    with transaction.atomic(using=SOURCE):
        resharding.insert_rows(SOURCE, reviews)


def stopped_move():
    """The stop-the-bucket move of BUCKET to TARGET: the seconds from mark to switch."""
    from shop import resharding

    started = time.perf_counter()
    resharding.mark(BUCKET, TARGET)
    resharding.wait_for_writes(SOURCE)
    resharding.copy(BUCKET, SOURCE, TARGET)
    assert resharding.verify(BUCKET, SOURCE, TARGET)
    resharding.switch(BUCKET, SOURCE, TARGET)
    refused = time.perf_counter() - started
    resharding.delete_source(BUCKET, SOURCE)
    return refused


def writer(counts):
    """work(stop) for in_background: reviews of the bucket's product, one after another,
    each saved or refused counted, until stopped."""
    from django.db import connections

    from reviews.models import Review
    from shop.sharding import BucketMoving

    def write(stop):
        product = product_in_bucket()
        try:
            while not stop.is_set():
                try:
                    Review(product_id=product, author_id=1, text="during the move").save()
                    counts["saved"] += 1
                except BucketMoving:
                    counts["refused"] += 1
                    time.sleep(0.001)
        finally:
            connections.close_all()

    return write


def online_move_back():
    """The online move of BUCKET back from TARGET to SOURCE, with a writer: its fence,
    and the writer's saved and refused writes."""
    from shop import online_moves

    counts = {"saved": 0, "refused": 0}
    with in_background(writer(counts)):
        time.sleep(0.05)
        done = online_moves.move_online(BUCKET, TARGET, SOURCE)
    return done["fenced_s"], counts


def figure_17(sizes):
    from shop import resharding
    from shop.models import Bucket

    rows = []
    for size in sizes:
        Bucket.objects.filter(number=BUCKET).update(shard=SOURCE)
        fill(size)
        stopped = stopped_move()
        online, counts = online_move_back()
        resharding.rows(SOURCE, BUCKET).delete()
        print(f"{size:,} rows: stopped {duration(stopped)}, online {duration(online)}", flush=True)
        rows.append(
            row(
                "17",
                "sharding",
                f"writes refused moving a {size:,}-row bucket: online vs stopped",
                duration(stopped),
                duration(online),
                online / stopped,
                f"≤ {duration(LIMIT)}",
                LIMIT,
                online <= LIMIT,
                f"online: a thread writing to the bucket throughout, {counts['saved']} "
                f"saved, {counts['refused']} refused",
            )
        )
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    args = parser.parse_args()
    with temporary_folder() as folder:
        start_django(folder)
        prepare()
        report(figure_17(args.sizes))


if __name__ == "__main__":
    main()
