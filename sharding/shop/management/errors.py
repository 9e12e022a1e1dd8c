"""Databases that are not set up, as either engine reports them to a command."""

from django.db import OperationalError, ProgrammingError

# SQLite reports a missing table as an OperationalError ("no such table"); PostgreSQL
# as a ProgrammingError ('relation "..." does not exist'), and a database it cannot
# reach as an OperationalError.
NOT_SET_UP = (OperationalError, ProgrammingError)


def first_line(error):
    """PostgreSQL follows its message with the statement and a caret: the first line says it."""
    return str(error).splitlines()[0]
