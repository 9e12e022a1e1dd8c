from django.db import connections

from common.pgpool import server_of

ALL = ["default", "pgpool", "pgpool_replica1", "django_connect_replica1", "pgpool_cursors"]


def server(alias):
    """The server that answers a read of the alias's session: primary, replica1 or replica2."""
    with connections[alias].cursor() as cursor:
        return server_of(cursor)
