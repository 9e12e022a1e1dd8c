"""Sharding's writes: figure 4 (reshard) and 5 (seed_reviews)."""

import sqlite3
from io import StringIO

from .saved import Saved
from .sharding_shop import review_table_sql, seed
from .timing import compare, row, timed_row


def shard_rows(alias):
    from reviews.models import Review

    return list(Review._base_manager.using(alias).order_by("pk").values_list())


def empty_copy_of_table(path):
    """A new SQLite file with the shards' reviews_review table and indexes, and their pragmas."""
    path.unlink(missing_ok=True)
    target = sqlite3.connect(path)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    for sql in review_table_sql():
        target.execute(sql)
    return target


def figure_5(empty, count, repeat):
    """``seed_reviews`` against raw ``executemany`` of the same rows into one file.

    The baseline is the floor on this machine: the rows already built, one INSERT
    statement run for all of them, one transaction, no ORM, no shards. The seed pays
    for building the rows, hashing products to buckets and taking ids as well.
    """
    from django.conf import settings

    empty.restore()
    seed(count)
    rows = [r for shard in settings.SHARDS for r in shard_rows(shard)]
    floor = empty.folder.parent / "floor.sqlite3"
    marks = ", ".join("?" for _ in rows[0])

    def executemany():
        with target:
            target.executemany(f"INSERT INTO reviews_review VALUES ({marks})", rows)

    def fresh_file():
        nonlocal target
        target = empty_copy_of_table(floor)

    target = None
    timing = compare(executemany, lambda: seed(count), repeat, (fresh_file, empty.restore))
    target.close()
    return timed_row("5", "sharding", f"seed_reviews {count:,} vs raw executemany", timing, 2.0)


def figure_4(folder, repeat):
    """``reshard`` from 3 shards to 4: the share of rows moved, and its time.

    Buckets move whole, so a quarter of them should move (the target allows 10 % more
    for uneven buckets); ``id % N`` would move 3/4. The time is set beside copying the
    same rows once with one INSERT ... SELECT, which skips the verify and the delete.
    """
    from django.conf import settings
    from django.core.management import call_command

    from common.sqlite import database_file
    from shop import resharding
    from shop.ids import allocator
    from shop.sharding import NUM_BUCKETS

    aliases = ["default", *settings.SHARDS]
    three = Saved(folder / "three_shards", aliases, then=allocator.reset)
    moves = resharding.plan(settings.SHARDS)
    total = sum(len(shard_rows(shard)) for shard in settings.SHARDS)
    copy_file = folder / "copy.sqlite3"

    def copy_once():
        target = empty_copy_of_table(copy_file)
        for bucket, source, _ in moves:
            target.execute("ATTACH ? AS source", [str(database_file(source))])
            target.execute(
                "INSERT INTO reviews_review SELECT * FROM source.reviews_review WHERE bucket = ?",
                [bucket],
            )
            target.commit()
            target.execute("DETACH source")
        target.close()

    def reshard():
        call_command("reshard", stdout=StringIO())

    # At most 3 turns: each reshard moves a quarter of the rows and is restored after.
    timing = compare(copy_once, reshard, min(repeat, 3), (None, three.restore))
    moved = len(shard_rows("shard4"))
    fraction = moved / total
    return [
        row(
            "4",
            "sharding",
            "reshard 3 → 4: share of rows moved",
            "ideal 25.0%",
            f"{fraction:.1%} ({moved:,} rows)",
            fraction * 4,
            "≤ 1.1x",
            1.1,
            fraction * 4 <= 1.1,
            f"{len(moves)} of {NUM_BUCKETS} buckets moved ({len(moves) / NUM_BUCKETS:.1%}); "
            "id % N would move 75.0%",
        ),
        timed_row(
            "4",
            "sharding",
            "reshard 3 → 4 vs copying the rows once",
            timing,
            None,
            note=f"{len(moves)} buckets, {moved:,} rows; no target",
        ),
    ]
