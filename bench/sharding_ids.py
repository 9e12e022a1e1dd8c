"""Sharding's review ids: figure 6, the block allocator against its alternatives."""

from .timing import compare, loop, timed_row


def figure_6(repeat, number=2000):
    """Review ids: the block allocator vs one ticket per id, and vs SQLite's autoincrement.

    One ticket per id is one transaction on "tickets" per review; a block of 100 is one
    per hundred. Against autoincrement, each side inserts one row per transaction into
    a table on "single": with an id from the allocator, or letting SQLite choose it.
    """
    from django.db import connections, transaction

    from shop.ids import allocator, new_review_id, take_tickets

    with connections["single"].cursor() as cursor:
        cursor.execute("CREATE TABLE given_ids (id INTEGER PRIMARY KEY, text TEXT)")
        cursor.execute("CREATE TABLE own_ids (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT)")

    def insert(sql, *params):
        with transaction.atomic(using="single"), connections["single"].cursor() as cursor:
            cursor.execute(sql, params)

    one_each = loop(lambda: take_tickets(1), number)
    blocks = loop(allocator.ticket, number)
    timing = compare(one_each, blocks, repeat, (None, allocator.reset))
    rows = [
        timed_row(
            "6",
            "sharding",
            "ids: block of 100 vs one ticket per id",
            timing.per(number),
            1 / 20,
        )
    ]
    rows[0]["target"] = "≤ 0.05x (20x faster)"
    given = loop(lambda: insert("INSERT INTO given_ids VALUES (%s, 'x')", new_review_id(0)), number)
    own = loop(lambda: insert("INSERT INTO own_ids (text) VALUES ('x')"), number)
    timing = compare(own, given, repeat)
    rows.append(
        timed_row(
            "6",
            "sharding",
            "insert with allocator id vs autoincrement",
            timing.per(number),
            2.0,
        )
    )
    return rows
