"""Shadowing: a read-only production snapshot with a local copy-on-write overlay."""

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

SNAPSHOT_FILE = BASE_DIR / "snapshot.sqlite3"

# "?mode=rw" opens an existing file only: a lost default is an error, never a new
# empty database in its place (setup_demo creates the file the first time).
DATABASES = {
    # The developer's own database: auth, sessions, the admin's log, and the local side
    # of every shadowed table (rows added or changed here, tombstones of rows deleted).
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{(BASE_DIR / 'default.sqlite3').as_uri()}?mode=rw",
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": BASE_DIR / "test_default.sqlite3"},
    },
    # A copy of production, opened read-only (Django opens SQLite with uri=True, so
    # mode=ro holds): never migrated, never written; take_snapshot replaces the file.
    "snapshot": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{SNAPSHOT_FILE.as_uri()}?mode=ro",
        "TEST": {"NAME": BASE_DIR / "test_snapshot.sqlite3"},
    },
}
DATABASE_ROUTERS = ["shop.routers.ShadowRouter"]

# How each shadowed model meets the snapshot: "snapshot" (read it, refuse writes),
# "local" (ignore it: the table lives on "default" alone) or "overlay" (the snapshot's
# rows with local changes on top; every write goes to "default").
SHADOW_MODES = {
    "products.Product": "overlay",
    "reviews.Review": "overlay",
    "reviews.Reviewer": "snapshot",
}

# Personal data, masked by take_snapshot before a row reaches this machine's disk
# (shop/masking.py): each model holding any, and a rule for every field but the key.
# "name", "email": a fake one; "hash": a keyed hash; "blank": empty; "keep": as it is.
SNAPSHOT_MASKS = {
    "reviews.Reviewer": {"name": "name", "email": "email", "password": "hash", "address": "blank"},
}
# The masks' secret, made there on first use; never in the repository (.gitignore).
SNAPSHOT_MASK_KEY_FILE = BASE_DIR / "snapshot-mask.key"
# The plain ids between shadowed models, which take_snapshot --subset follows
# (shop/subsets.py): no foreign key says so.
SNAPSHOT_RELATIONS = {
    "reviews.Review.product_id": "products.Product",
    "reviews.Review.author_id": "reviews.Reviewer",
}

PATTERN_TITLE = "4. Shadowing"

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
DEMO_PANEL_ROLES = {"default": "local: your changes", "snapshot": "snapshot of production"}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "shop",  # first, so that its admin/base_site.html adds the banner to the admin's pages
    "common",  # before the admin: its admin/base_site.html gives the admin's pages the icon
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "products",
    "reviews",
]

MIDDLEWARE = [
    "common.db_panel.DatabasePanelMiddleware",
    "common.db_errors.DatabaseErrorMiddleware",
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
                "shop.context_processors.banners",
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
# `make postgres-up`, then `make demo PATTERN=shadowing DB=postgres`: the same two
# aliases, each a database of its own; "default" pooled, as in the other patterns, the
# snapshot (replaced whole by take_snapshot) with a connection of its own per request.
# The snapshot is read as snapshot_reader, a role that can read every table and write
# none, in read-only transactions: a write through the alias fails, whatever sends it.
# setup_demo and take_snapshot build it with a connection of their own, as
# SNAPSHOT_OWNER; no alias connects as that role. No mixing with DEMO_POSTGRES_ALIASES:
# take_snapshot copies within one engine.
from common.postgres import PRIMARY, aliases_on_postgres, database  # noqa: E402

SNAPSHOT_OWNER = "postgres"
POSTGRES = {
    "default": database(PRIMARY, "shadowing"),
    "snapshot": database(
        PRIMARY,
        "shadowing_snapshot",
        user="snapshot_reader",
        pool=False,
        TEST={"NAME": "test_shadowing_snapshot"},
    ),
}
if aliases_on_postgres(DATABASES, mixable=False):
    DATABASES = POSTGRES
