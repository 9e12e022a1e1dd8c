"""A pytest plugin for every pattern's suite: a leaked SQLite connection fails the test
that leaked it.

Python 3.13 warns of an unclosed sqlite3 connection (ResourceWarning) only when the
garbage collector frees it, which may be many tests later, or at exit, naming no test.
Collecting after each test puts the warning on the test that leaked, where pytest.ini's
filterwarnings turns it (as PytestUnraisableExceptionWarning) into an error.
"""

import gc

import pytest


@pytest.fixture(autouse=True)
def collect_leaked_connections():
    yield
    gc.collect()


# Django's SQLite backend leaves a new connection open when setting it up fails, as it
# does on a file that is not a database or a folder in its place (its first PRAGMA
# fails): a test of such a database allows that one leak, which no code of ours holds.
django_leaks_a_failed_connection = pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning"
)
