"""Separation by function: the reviews app has a database of its own."""

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

# "?mode=rw" opens an existing file only: a lost file is an error, never a new empty
# database in its place (setup_demo creates the files the first time).
DATABASES = {
    # Auth, sessions, the admin's log and the product catalogue.
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{(BASE_DIR / 'default.sqlite3').as_uri()}?mode=rw",
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": BASE_DIR / "test_default.sqlite3"},
    },
    # Reviews only: the table that grows, kept apart so it can move to its own server.
    "reviews": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"{(BASE_DIR / 'reviews.sqlite3').as_uri()}?mode=rw",
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": BASE_DIR / "test_reviews.sqlite3"},
    },
}
DATABASE_ROUTERS = ["shop.routers.ReviewsRouter"]

PATTERN_TITLE = "1. Separation by function"

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
DEMO_PANEL_ROLES = {"default": "auth, sessions, products", "reviews": "reviews only"}
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
# `make postgres-up`, then `make demo PATTERN=functional_split DB=postgres`: the same two
# aliases, each a database of its own on the PostgreSQL primary, pooled. Nothing else
# changes. DEMO_POSTGRES_ALIASES=reviews moves the reviews alone, and leaves default on
# SQLite: Django does not ask that every alias use the same engine.
from common.postgres import PRIMARY, aliases_on_postgres, database  # noqa: E402

POSTGRES = {
    "default": database(PRIMARY, "functional_split"),
    "reviews": database(PRIMARY, "functional_split_reviews"),
}
DATABASES |= {alias: POSTGRES[alias] for alias in aliases_on_postgres(DATABASES)}
