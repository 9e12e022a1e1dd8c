"""A site of one test database reached three ways, for the tests of PgBouncer in front of
the primary: directly, as Django makes and drops it, and through PgBouncer, with
server-side cursors off (as DEMO_PGBOUNCER=on has it) and on. A run of its own (`make
test-postgres`), so that the panel's test site (tests/settings.py) keeps its two aliases."""

from common.postgres import PRIMARY, database, through_bouncer

DATABASES = {
    # Made and dropped directly: PgBouncer would hold server connections to it.
    "default": database(PRIMARY, "common", TEST={"NAME": "test_common_pgbouncer"}),
    # The same database through PgBouncer, as DEMO_PGBOUNCER=on moves an alias...
    "bouncer": through_bouncer(database(PRIMARY, "common", TEST={"MIRROR": "default"})),
    # ... and with server-side cursors left on, the classic mistake.
    "bouncer_cursors": through_bouncer(database(PRIMARY, "common", TEST={"MIRROR": "default"}))
    | {"DISABLE_SERVER_SIDE_CURSORS": False},
}

INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]  # Group, its rows
SECRET_KEY = "tests-only-key"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
