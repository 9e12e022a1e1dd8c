"""Every write on the primary's connection pins, whoever sent it: a routed save,
``save(using="default")``, ``.using("default").update()`` or raw SQL. None of the last
three asks a router, so the connection itself watches its statements.
"""

from .pinning import wrote
from .replicas import PRIMARY

# A statement whose first word is one of these reads; anything else counts as a write.
# The first word costs one split per statement, no parsing, and errs on the safe side:
# a statement it does not know (a CTE that may insert, a vendor command) pins, which
# costs the primary a few reads, where a write taken for a read shows a stale page.
READS = {"SELECT", "EXPLAIN", "SHOW", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def is_write(sql):
    """Whether a statement may change data: anything that does not start as a read.

    str(): raw SQL may come as a driver's query object, which then counts as a write.
    """
    words = str(sql).lstrip(" \t\r\n(").split(None, 1)
    return bool(words) and words[0].upper() not in READS


def pin_on_write(execute, sql, params, many, context):
    """An execute wrapper on the primary: a write pins, however it reached the connection."""
    if is_write(sql):
        wrote()
    return execute(sql, params, many, context)


def watch_primary(sender, connection, **kwargs):
    """On connection_created: wrap each connection to the primary (one per thread).

    Inserted first, because ``execute_wrapper()`` blocks (the database panel's) pop the
    last wrapper when they end, and this one must outlive them.
    """
    if connection.alias == PRIMARY and pin_on_write not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, pin_on_write)
