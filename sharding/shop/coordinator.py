"""The database joins the shards: a coordinator database, on the primary, whose
``reviews_review`` is a table partitioned by bucket, each partition a postgres_fdw
foreign table on the shard the bucket map gives those buckets (README, *The database
joins the shards: postgres_fdw*). PostgreSQL only.

Built by ``manage.py fdw_coordinator``, not by ``postgres/up.sh``: the partitions'
bounds are the map's, which ``reshard`` changes, and the test suite builds it on its
own test databases. It is built as the superuser ``postgres``: postgres_fdw is not a
trusted extension, and only a superuser may map ``shop`` to the shards without a
password (``password_required 'false'``; the servers trust loopback).
"""

from django.conf import settings
from django.db import connections

from common.postgres import BOUNDS, USER, disconnect

from .models import Bucket
from .routers import is_review
from .sharding import buckets_by_shard

COORDINATOR = "coordinator"
TABLE = "reviews_review"
SUPERUSER = "postgres"
# reviews.Review's columns, without its primary key and indexes: a partitioned table whose
# partitions are foreign tables can have no unique index (PostgreSQL, CREATE FOREIGN
# TABLE: "it is not possible to create foreign partitions of a table with unique indexes").
COLUMNS = (
    "id bigint NOT NULL, bucket smallint NOT NULL, product_id bigint NOT NULL, "
    "author_id bigint NOT NULL, rating smallint, text text NOT NULL, "
    "created timestamp with time zone NOT NULL"
)
# Each shard's server connection is bounded as every alias's is: a connect timeout, and
# the statements' bounds sent as libpq options (postgres_fdw passes them on).
CONNECT_TIMEOUT = "3"


class CoordinatorRouter:
    """With SHARDING_READS = "fdw", reads of reviews go to the coordinator; it holds no
    table of Django's own (the command builds its one table)."""

    def db_for_read(self, model, **hints):
        """Reviews through the coordinator in "fdw" mode; else no opinion."""
        return COORDINATOR if settings.SHARDING_READS == "fdw" and is_review(model) else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Nothing is migrated onto the coordinator; elsewhere, no opinion."""
        return False if db == COORDINATOR else None


def statements(layout):
    """The SQL that (re)builds the coordinator from the bucket map ({bucket: shard}):
    a server and a user mapping per shard, the table, a partition per shard that holds
    buckets, its bounds the list of them."""
    from psycopg import sql  # here: the SQLite demo runs without the driver installed

    built = [sql.SQL("CREATE EXTENSION IF NOT EXISTS postgres_fdw")]
    built += [sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(TABLE))]
    for shard in settings.SHARDS:
        target = connections[shard].settings_dict
        built += [
            sql.SQL("DROP SERVER IF EXISTS {} CASCADE").format(sql.Identifier(shard)),
            sql.SQL(
                "CREATE SERVER {} FOREIGN DATA WRAPPER postgres_fdw OPTIONS "
                "(host {}, port {}, dbname {}, connect_timeout {}, options {})"
            ).format(
                sql.Identifier(shard),
                *map(sql.Literal, [target["HOST"], target["PORT"], target["NAME"]]),
                sql.Literal(CONNECT_TIMEOUT),
                sql.Literal(BOUNDS),
            ),
            sql.SQL(
                "CREATE USER MAPPING FOR {} SERVER {} OPTIONS (user {}, password_required 'false')"
            ).format(sql.Identifier(USER), sql.Identifier(shard), sql.Literal(USER)),
        ]
    built += [
        sql.SQL("CREATE TABLE {} ({}) PARTITION BY LIST (bucket)").format(
            sql.Identifier(TABLE), sql.SQL(COLUMNS)
        ),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(
            sql.Identifier(TABLE), sql.Identifier(USER)
        ),
    ]
    for shard, buckets in buckets_by_shard(layout).items():
        built.append(
            sql.SQL(
                "CREATE FOREIGN TABLE {} PARTITION OF {} FOR VALUES IN ({}) "
                "SERVER {} OPTIONS (table_name {})"
            ).format(
                sql.Identifier(f"{TABLE}_{shard}"),
                sql.Identifier(TABLE),
                sql.SQL(", ").join(map(sql.Literal, buckets)),
                sql.Identifier(shard),
                sql.Literal(TABLE),
            )
        )
    return built


def as_superuser():
    """A connection to the coordinator's database as the superuser, its waits bounded."""
    import psycopg  # here: the SQLite demo runs without the driver installed

    target = connections[COORDINATOR].settings_dict
    return psycopg.connect(
        host=target["HOST"],
        port=target["PORT"],
        dbname=target["NAME"],
        user=SUPERUSER,
        connect_timeout=int(CONNECT_TIMEOUT),
        options=BOUNDS,
    )


def rebuild():
    """Build the coordinator from the map now on "default", in one transaction: it is
    replaced whole or not at all. Returns {shard: [buckets]} as its partitions hold them."""
    layout = Bucket.objects.layout()
    with as_superuser() as connection:
        for statement in statements(layout):
            connection.execute(statement)
    return buckets_by_shard(layout)


def hang_up():
    """Close the coordinator's connections to the shards, and the coordinator's own: a
    session keeps its postgres_fdw connections open while it lives, and a database with
    a session on it cannot be dropped (the test and bench databases at their end)."""
    with connections[COORDINATOR].cursor() as cursor:
        cursor.execute("SELECT postgres_fdw_disconnect_all()")
    disconnect(COORDINATOR)
