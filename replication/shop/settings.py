"""Replication: every write goes to the primary, reads go to read-only replicas."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# SQLite for many processes at once: WAL lets readers run beside a writer, IMMEDIATE
# takes the write lock when a transaction starts (a transaction that upgrades later
# cannot wait), and the timeout makes writers queue instead of failing "database is
# locked". synchronous=NORMAL is WAL's trade (SQLite's PRAGMA synchronous docs): a commit
# survives the application crashing, but a power loss or an OS crash may roll back the
# last ones. FULL keeps them, at one disk sync a commit (replication/README.rst).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}

# "?mode=rw" opens an existing file only: a lost primary is an error, never a new
# empty database in its place (setup_demo creates the file the first time).
DATABASES = {
    # The primary: every write, and the only home of auth, sessions and the admin's log.
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{(BASE_DIR / 'default.sqlite3').as_uri()}?mode=rw",
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": BASE_DIR / "test_default.sqlite3"},
    },
    # Two replicas: copies of the primary made by `manage.py replicate`, opened
    # read-only (mode=ro), so a write sent here by mistake fails instead of forking
    # the data. No init_command: a read-only connection cannot change the journal mode.
    # No timeout of their own: a copy is swapped in whole and nothing writes into the
    # file, so a reader never waits for a lock (tests/test_replicate_readers.py).
    "replica1": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": (BASE_DIR / "replica1.sqlite3").as_uri() + "?mode=ro",
        "TEST": {"NAME": BASE_DIR / "test_replica1.sqlite3"},
    },
    "replica2": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": (BASE_DIR / "replica2.sqlite3").as_uri() + "?mode=ro",
        "TEST": {"NAME": BASE_DIR / "test_replica2.sqlite3"},
    },
}
DATABASE_ROUTERS = ["shop.routers.PrimaryReplicaRouter"]

# A replica whose heartbeat is older than this is skipped; reads go to another one,
# or to the primary.
REPLICA_MAX_LAG_SECONDS = 30
# After a user writes, their reads go to the primary for this long. At least the
# largest lag a replica may have, or they could still read a copy without their write.
REPLICATION_PIN_SECONDS = 30
# The cookie that holds the time a client's pin ends.
REPLICATION_PIN_COOKIE = "replication_pin"
# How a client's reads follow its own writes: "time" pins it to the primary for
# REPLICATION_PIN_SECONDS; "position" reads a replica once it has replayed the write
# (shop/causal.py); "none" does nothing, the naive router, to show the stale read.
# `REPLICATION_READ_YOUR_WRITES=position make demo PATTERN=replication` to try another.
REPLICATION_READ_YOUR_WRITES = os.environ.get("REPLICATION_READ_YOUR_WRITES", "time")
if REPLICATION_READ_YOUR_WRITES not in {"none", "time", "position"}:
    raise ImproperlyConfigured(
        f"REPLICATION_READ_YOUR_WRITES is {REPLICATION_READ_YOUR_WRITES!r}: choose none, "
        "time or position."
    )
# "position": the signed cookie and the header that carry a write's position, and how
# long a read may wait for a replica to replay it before it reads the primary.
REPLICATION_POSITION_COOKIE = "replication_position"
REPLICATION_POSITION_HEADER = "X-Replication-Position"
REPLICATION_POSITION_WAIT_SECONDS = 0
# A replica that could not be read is skipped, without being asked, for this long.
REPLICA_RETRY_SECONDS = 30
# Each process reads a replica's heartbeat at most this often, not at every request: a
# lag it shows may be this much older, and a replica may go down unseen for this long.
REPLICA_HEALTH_SECONDS = 1

PATTERN_TITLE = "2. Replication"

DEBUG = os.environ.get("DJANGO_DEBUG", "on").lower() in {"1", "on", "true", "yes"}
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is off but DJANGO_SECRET_KEY is not set. Set DJANGO_SECRET_KEY "
        "to a long random string, or turn debugging on with DJANGO_DEBUG=on."
    )
SECRET_KEY = SECRET_KEY or "demo-only-key-never-use-it-with-debug-off"
# The database panel (common/db_panel.py) shows every statement's data to whoever
# opens a page: on with DEBUG; with DEBUG off, only if DEMO_PANEL=on asks for it.
DEMO_PANEL = DEBUG or os.environ.get("DEMO_PANEL", "").lower() in {"1", "on", "true", "yes"}
# What each database is for, as the panel's diagram labels its box.
DEMO_PANEL_ROLES = {"default": "primary", "replica1": "replica", "replica2": "replica"}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "common",  # before the admin: its admin/base_site.html gives the admin's pages the icon
    "shop.apps.PrimaryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "shop",
    "products",
    "reviews",
]

MIDDLEWARE = [
    "common.db_panel.DatabasePanelMiddleware",
    "common.db_errors.DatabaseErrorMiddleware",
    "shop.retry.ReadRetryMiddleware",
    "shop.pinning.ReadYourWritesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context_processors.pattern",
            ],
        },
    },
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "products:list"
LOGOUT_REDIRECT_URL = "products:list"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "static/"
# Under gunicorn, or with DEBUG off, nothing else serves the stylesheets: WhiteNoise
# serves each app's static/ folder from where it is, read once at startup, so there
# is no collectstatic step and no STATIC_ROOT.
WHITENOISE_USE_FINDERS = True

# Errors to the console (stderr) with DEBUG on or off. Django's default prints them only
# with DEBUG on, and mails them to ADMINS otherwise: a 500 under gunicorn left no trace.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO"}},
}

# ---- PostgreSQL instead of SQLite ----------------------------------------------------
# `make postgres-up`, then `make demo PATTERN=replication DB=postgres`: the primary for
# writes, and for each replica a hot standby of its own that streams every change from
# the primary through its own replication slot (real replication: `replicate` only beats
# the heartbeat there, and resumes a paused replay). Tests create their database on the
# primary alone; MIRROR gives the replicas its name, and streaming its rows. A replica
# that cannot be reached is given up after 2 s (its pool's timeout, and the connect
# timeout), and skipped without being asked for REPLICA_RETRY_SECONDS.
# DEMO_POSTGRES_ALIASES cannot mix engines here: a standby streams from a PostgreSQL
# primary only, and `replicate` copies SQLite files only.
from common.postgres import (  # noqa: E402
    POOL,
    PRIMARY,
    SERVERS,
    aliases_on_postgres,
    database,
    through_pgpool,
)

REPLICA = {
    "OPTIONS": {"pool": POOL | {"timeout": 2}, "connect_timeout": 2},
    "TEST": {"MIRROR": "default"},
}
# The primary's alias names two servers, libpq's host and port lists: each connection
# takes the first that accepts writes, so once replica1 is promoted in the primary's place
# (postgres/failover.sh) new connections find it by themselves (README, "Losing the primary").
# DEMO_PGBOUNCER=on leaves it direct: PgBouncer names the primary alone (postgres/up.sh).
PRIMARY_OR_PROMOTED = {
    "HOST": f"{PRIMARY['HOST']},{SERVERS['replica1']['HOST']}",
    "PORT": f"{PRIMARY['PORT']},{SERVERS['replica1']['PORT']}",
}
FIRST_WRITABLE = {"target_session_attrs": "read-write"}
POSTGRES = {
    "default": database(PRIMARY_OR_PROMOTED, "replication", OPTIONS=FIRST_WRITABLE),
    "replica1": database(SERVERS["replica1"], "replication", **REPLICA),
    "replica2": database(SERVERS["replica2"], "replication", **REPLICA),
}
if aliases_on_postgres(DATABASES, mixable=False):
    DATABASES = POSTGRES

# ---- Pgpool-II instead of the router (DEMO_PGPOOL=on, with DEMO_DATABASE=postgres) ---
# One alias, no router: Pgpool-II (postgres/pgpool.sh) sends each write to the primary
# and each session's reads to the server it drew. What it gets right and wrong:
# README.rst, "Pgpool-II: the split below the app".
if DATABASES is POSTGRES and os.environ.get("DEMO_PGPOOL") == "on":
    DATABASES = {"default": through_pgpool(POSTGRES["default"])}
    DATABASE_ROUTERS = []
