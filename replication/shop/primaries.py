"""Which server the primary's alias reaches: it names two (settings.py, libpq's host and
port lists), the primary and replica1, which takes its place once promoted (README,
"Losing the primary"). Each is asked on a connection of its own, as db_status probes an
alias; a connection of the site's says which one served it."""

from django.db import DatabaseError, connections

from common.db_errors import first_line
from common.db_status import own_connection

from .replicas import PRIMARY


def servers(alias=PRIMARY):
    """The "host:port" of each server the alias names, in the order libpq tries them."""
    settings = connections[alias].settings_dict
    hosts, ports = settings["HOST"].split(","), str(settings["PORT"]).split(",")
    if len(ports) == 1:  # libpq: one port for every host
        ports *= len(hosts)
    return [f"{host}:{port}" for host, port in zip(hosts, ports, strict=True)]


def server_role(alias, server):
    """ "primary", "standby", or "down: why", for one of the alias's servers."""
    connection = own_connection(alias, name="postgres")
    host, port = server.rsplit(":", 1)
    options = connection.settings_dict["OPTIONS"] | {"target_session_attrs": "any"}
    connection.settings_dict |= {"HOST": host, "PORT": port, "OPTIONS": options}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            return "standby" if cursor.fetchone()[0] else "primary"
    except DatabaseError as error:
        return f"down: {first_line(error)}"
    finally:
        connection.close()


def server_roles(alias=PRIMARY):
    return {server: server_role(alias, server) for server in servers(alias)}


def served_by(connection):
    """The "host:port" a PostgreSQL connection of the site reached."""
    return f"{connection.connection.info.host}:{connection.connection.info.port}"
