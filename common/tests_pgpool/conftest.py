import shutil

import pytest
from django.db import connections

from common.chromium import require
from common.pgpool import standbys_caught_up


# Every test is transactional: a TestCase opens a transaction on each of its aliases
# before this fixture runs, through Pgpool-II too, which fails where it is missing.
@pytest.fixture(autouse=True)
def pgpool():
    """Pgpool-II installed (under CI, its tests fail rather than skip without it), and
    giving both standbys reads; each test's sessions through it closed after the test,
    so the next draws afresh."""
    installed = shutil.which("pgpool") or shutil.which("/usr/sbin/pgpool")
    require("This test of Pgpool-II (make postgres-up starts it)", installed, "pgpool2")
    standbys_caught_up()
    yield
    for alias in connections:
        connections[alias].close()
