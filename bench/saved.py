"""A copy of a pattern's databases, put back between repetitions that change them."""

import sqlite3

from common.sqlite import database_file


class Saved:
    """Every alias's file, copied now into `folder`; ``restore()`` copies them back.

    `then` runs after each restore: state kept in memory (an id block) must be dropped
    with the databases it came from.
    """

    def __init__(self, folder, aliases=None, then=None):
        from django.db import connections

        self.folder, self.then = folder, then
        self.folder.mkdir()
        self.aliases = list(aliases or connections)
        connections.close_all()
        for alias in self.aliases:
            copy_sqlite(database_file(alias), self.folder / f"{alias}.sqlite3")

    def restore(self):
        from django.db import connections

        connections.close_all()
        for alias in self.aliases:
            copy_sqlite(self.folder / f"{alias}.sqlite3", database_file(alias))
        if self.then:
            self.then()


def copy_sqlite(source, target):
    """A consistent copy of a SQLite file (its WAL included), with the backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
