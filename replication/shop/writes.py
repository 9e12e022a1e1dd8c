"""Every write on the primary's connection pins, whoever sent it: a routed save,
``save(using="default")``, ``.using("default").update()`` or raw SQL. None of the last
three asks a router, so the connection itself watches its statements, read or write by
their first word (``common.sql.is_write``, which the database panel counts with too).
"""

from common.db_panel import note
from common.sql import is_write

from .pinning import wrote
from .positions import taking_position
from .primaries import served_by
from .replicas import PRIMARY


def pin_on_write(execute, sql, params, many, context):
    """An execute wrapper on the primary: a write pins, however it reached the connection."""
    if is_write(sql) and not taking_position():  # the SQLite counter's bump is no write of yours
        wrote()
    return execute(sql, params, many, context)


def watch_primary(sender, connection, **kwargs):
    """On connection_created: wrap each connection to the primary (one per thread).

    Inserted first, because ``execute_wrapper()`` blocks (the database panel's) pop the
    last wrapper when they end, and this one must outlive them.
    """
    if connection.alias != PRIMARY:
        return
    if pin_on_write not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, pin_on_write)
    if connection.vendor == "postgresql":  # which of its servers: the primary, or replica1
        note(PRIMARY, f"served by {served_by(connection)}")
