"""count() on "default" in one statement: each count a subquery, one round trip.

Django builds a statement afresh each time; for a page on one small database that takes
longer than the database takes to answer. The counts that never change with the query
(the claims and the kept versions) are built once per model.
"""

from functools import cache

from django.core.exceptions import EmptyResultSet
from django.db import connections

from .originals import claims, original_of
from .shadow import LOCAL


def counted(query):
    """The query's rows counted on "default", as a subquery: its SQL and parameters."""
    compiler = query.order_by().query.get_compiler(connection=connections[LOCAL])
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # pk__in=[]: Django sends no SQL, as nothing can match
        return "0", ()
    return f"(SELECT COUNT(*) FROM ({sql}) found)", tuple(params)


@cache
def claims_counted(model):
    """The model's tombstones, its local copies of snapshot rows (keys below the local
    range) and its kept versions, counted: every claim has its version, if none was put
    straight into "default"."""
    return [counted(query) for query in (*claims(model), original_of(model).objects.all())]


def count_each(*counts):
    """Each (sql, params) count, in one statement to "default"."""
    sql = ", ".join(sql for sql, _ in counts)
    params = [param for _, more in counts for param in more]
    with connections[LOCAL].cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return cursor.fetchone()
