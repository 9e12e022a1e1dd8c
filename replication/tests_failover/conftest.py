"""The drill as a fixture: each test that loses the primary gets the servers back after it."""

import pytest
from django.db import connections
from tests.helpers import ALIASES

from common.faults import failover_script
from common.postgres import disconnect


class Drill:
    """postgres/failover.sh from a test: the steps before the drill, the drill, the restore."""

    fenced = False

    def __call__(self, *before):
        for step in before:
            failover_script(*step)
        # The test's connections go back to their pools, as at a request's end: the test
        # client keeps them between requests, a server does not.
        for alias in ALIASES:
            connections[alias].close()
        self.fenced = True
        return failover_script("drill")

    def restore(self):
        """The restore; then the test's connections are closed, as a request's would be
        at its end: the switch back ended them."""
        self.fenced = False
        output = failover_script("restore")
        for alias in ALIASES:
            disconnect(alias)
        return output


@pytest.fixture
def drill():
    drill = Drill()
    yield drill
    if drill.fenced:
        drill.restore()
