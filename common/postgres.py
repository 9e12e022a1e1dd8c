"""The PostgreSQL servers of ``make postgres-up``, for the settings' ``DEMO_DATABASE`` block.

``postgres/up.sh`` starts a primary and a hot standby streaming from it, on 127.0.0.1,
and creates one database per alias of every project. The ports here are the script's.
"""

import os

PRIMARY = {"HOST": "127.0.0.1", "PORT": os.environ.get("DEMO_POSTGRES_PORT", "55432")}
STANDBY = {"HOST": "127.0.0.1", "PORT": os.environ.get("DEMO_POSTGRES_STANDBY_PORT", "55433")}


def database(server, name, *, user="postgres", **extra):
    """One alias's settings: database ``name`` on ``server`` (PRIMARY or STANDBY)."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": user,
        **server,
        **extra,
    }
