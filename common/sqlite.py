"""The SQLite file behind an alias, and creating it on purpose.

The settings open writable SQLite files with "?mode=rw", which never creates a file,
so a lost database is an error rather than a new empty one. ``setup_demo`` creates
the files the first time, here.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.db import connections


def database_file(alias):
    """The SQLite file behind an alias, whether its NAME is a path or a file: URI."""
    name = str(connections[alias].settings_dict["NAME"])
    return Path(unquote(urlsplit(name).path)) if name.startswith("file:") else Path(name)


def create_database_file(alias):
    """Create an alias's missing SQLite file, empty (SQLite takes it for an empty
    database); return its path if it was created, None if there was nothing to do."""
    if connections[alias].vendor != "sqlite":
        return None
    path = database_file(alias)
    if path.exists():
        return None
    path.touch()
    return path
