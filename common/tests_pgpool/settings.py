"""A site of one test database reached through Pgpool-II, for its tests: made and
dropped directly on the primary (it streams to the standbys), and read and written
through Pgpool as DEMO_PGPOOL=on has replication's one alias, or as Django alone would.
A run of its own (`make test-postgres`), as PgBouncer's tests are."""

from common.postgres import PGPOOL, PRIMARY, database, through_pgpool


def common(**extra):
    """The test database's settings, on the primary. No pool of Django's: each test's
    sessions are its own, closed after it."""
    return database(PRIMARY, "common", pool=False, **extra)


MIRROR = {"TEST": {"MIRROR": "default"}}
# A session whose application_name is a standby's reads that standby
# (app_name_redirect_preference_list, postgres/pgpool.sh): no draw to count on.
REPLICA1 = {"OPTIONS": {"application_name": "replica1"}, **MIRROR}
DATABASES = {
    # Made and dropped directly: the test database, and the truth to compare with.
    "default": common(TEST={"NAME": "test_common_pgpool"}),
    # Through Pgpool, as DEMO_PGPOOL=on: a session balanced as Pgpool draws it...
    "pgpool": through_pgpool(common(**MIRROR)),
    # ... one that draws replica1...
    "pgpool_replica1": through_pgpool(common(**REPLICA1)),
    # ... and the same with Django's own connect, which sets the time zone by a statement.
    "django_connect_replica1": common(**REPLICA1) | PGPOOL,
    # ... and with server-side cursors left on.
    "pgpool_cursors": through_pgpool(common(**MIRROR)) | {"DISABLE_SERVER_SIDE_CURSORS": False},
}

INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]  # Group, its rows
SECRET_KEY = "tests-only-key"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
