"""A site of two databases for the tests of the shared code: the panel is tested once,
here. Its pages (tests/site.py) read and write both aliases; the admin and the login
pages are Django's own."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

DATABASES = {
    # Auth, sessions, the admin's log.
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "test_default.sqlite3",
        "TEST": {"NAME": BASE_DIR / "test_default.sqlite3"},
    },
    # The groups the test pages read and write: a second alias for the panel to tell apart.
    "other": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "test_other.sqlite3",
        "TEST": {"NAME": BASE_DIR / "test_other.sqlite3"},
    },
}

PATTERN_TITLE = "The shared code's tests"
DEBUG = True
DEMO_PANEL = True
DEMO_PANEL_ROLES = {"default": "auth, sessions", "other": "groups"}
SECRET_KEY = "tests-only-key"
ALLOWED_HOSTS = ["testserver"]
# Fast hashes: what a hash is does not matter here, only that it never reaches a page.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

INSTALLED_APPS = [
    "common",  # before the admin: its admin/base_site.html gives the admin's pages the icon
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "common.db_panel.DatabasePanelMiddleware",
    "common.db_errors.DatabaseErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "common.tests.site"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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
LOGIN_REDIRECT_URL = "products:list"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
STATIC_URL = "static/"

# DEMO_DATABASE=postgres: the same two aliases on the server of `make postgres-up`.
if os.environ.get("DEMO_DATABASE") == "postgres":
    from common.postgres import PRIMARY, database

    DATABASES = {
        "default": database(PRIMARY, "common", TEST={"NAME": "test_common"}),
        "other": database(PRIMARY, "common_other", TEST={"NAME": "test_common_other"}),
    }
