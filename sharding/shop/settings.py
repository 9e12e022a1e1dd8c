"""Sharding: reviews spread over several databases by product, through buckets."""

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

# "?mode=rw" opens an existing file only: a lost database is an error, never a new empty
# one in its place (setup_demo creates the files the first time).
DATABASES = {
    # Auth, sessions, the admin's log, products and the bucket map.
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{(BASE_DIR / 'default.sqlite3').as_uri()}?mode=rw",
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": BASE_DIR / "test_default.sqlite3"},
    },
    # The review id tickets and nothing else: a database of its own, so that a ticket
    # commits at once, whatever transaction the caller holds on "default".
    "tickets": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{(BASE_DIR / 'tickets.sqlite3').as_uri()}?mode=rw",
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": BASE_DIR / "test_tickets.sqlite3"},
    },
    # shard1 to shard3: reviews only. The bucket map gives them buckets 0-19, 20-39 and
    # 40-59 at first.
    "shard1": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{(BASE_DIR / 'shard1.sqlite3').as_uri()}?mode=rw",
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": BASE_DIR / "test_shard1.sqlite3"},
    },
    "shard2": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{(BASE_DIR / 'shard2.sqlite3').as_uri()}?mode=rw",
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": BASE_DIR / "test_shard2.sqlite3"},
    },
    "shard3": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{(BASE_DIR / 'shard3.sqlite3').as_uri()}?mode=rw",
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": BASE_DIR / "test_shard3.sqlite3"},
    },
    # The fourth shard, just added: no buckets until `manage.py reshard` moves some here.
    "shard4": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{(BASE_DIR / 'shard4.sqlite3').as_uri()}?mode=rw",
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": BASE_DIR / "test_shard4.sqlite3"},
    },
}
DATABASE_ROUTERS = ["shop.routers.ShardRouter"]
# Every shard, in order; `reshard` spreads the buckets evenly over these.
SHARDS = [alias for alias in DATABASES if alias.startswith("shard")]
# A shard found unreachable is not asked again for this long, per process: what needs it
# is answered at once meanwhile (shop/down_shards.py). Short, since a shard that is back
# stays refused until then.
SHARD_RETRY_SECONDS = 10

PATTERN_TITLE = "3. Sharding"

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
DEMO_PANEL_ROLES = {
    "default": "products, bucket map",
    "tickets": "review ids",
    **dict.fromkeys(SHARDS, "shard"),
}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "common",  # before the admin: its admin/base_site.html gives the admin's pages the icon
    "django.contrib.admin",
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
    "shop.bucket_map.BucketMapMiddleware",
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
# `make postgres-up`, then `make demo PATTERN=sharding DB=postgres`: the same six aliases,
# each a database of its own, pooled: default and tickets on the primary, each shard on a
# server of its own (shard4's too, ready for the reshard). Nothing else changes: SHARDS
# above is the same list. DEMO_POSTGRES_ALIASES=shard2 moves that shard alone, and leaves
# the rest on SQLite: Django does not ask that every alias use the same engine.
from common.postgres import PRIMARY, SERVERS, aliases_on_postgres, database  # noqa: E402

POSTGRES = {
    "default": database(PRIMARY, "sharding"),
    "tickets": database(PRIMARY, "sharding_tickets"),
    "shard1": database(SERVERS["shard1"], "sharding_shard1"),
    "shard2": database(SERVERS["shard2"], "sharding_shard2"),
    "shard3": database(SERVERS["shard3"], "sharding_shard3"),
    "shard4": database(SERVERS["shard4"], "sharding_shard4"),
}
DATABASES |= {alias: POSTGRES[alias] for alias in aliases_on_postgres(DATABASES)}

# `reshard --online` subscribes one shard to another (shop/capture_postgres.py). In
# PostgreSQL 15, CREATE SUBSCRIPTION needs a superuser, and the sites connect as "shop",
# none: the move alone connects as this role, for the subscription and its slot.
ONLINE_MOVE_ADMIN = "postgres"

# ---- Reads through postgres_fdw (PostgreSQL only) ------------------------------------
# With every alias on PostgreSQL, "coordinator" is a database on the primary whose
# reviews_review joins the shards (shop/coordinator.py; `manage.py fdw_coordinator`
# builds it). SHARDING_READS=fdw sends the pages' reads of reviews there; "app", the
# default, keeps the app's own fan-out. Writes always go to the shards, as above.
SHARDING_READS = os.environ.get("SHARDING_READS", "app")
if SHARDING_READS not in {"app", "fdw"}:
    raise ImproperlyConfigured(f"SHARDING_READS is {SHARDING_READS!r}: choose app or fdw.")
if all(DATABASES[alias]["ENGINE"] == "common.backend" for alias in DATABASES):
    DATABASES["coordinator"] = database(PRIMARY, "sharding_fdw")
    DATABASE_ROUTERS = ["shop.coordinator.CoordinatorRouter", *DATABASE_ROUTERS]
    DEMO_PANEL_ROLES["coordinator"] = "postgres_fdw"
elif SHARDING_READS == "fdw":
    raise ImproperlyConfigured(
        "SHARDING_READS=fdw reads through postgres_fdw: run with DEMO_DATABASE=postgres."
    )
