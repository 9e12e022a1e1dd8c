"""A server that cannot be reached is not a database to set up: try_foreign_key names the
server and gives no setup advice, as sharding's commands do (common/db_status.py)."""

import pytest
from django.db import connections

from common.faults import server_unreachable
from common.testing import command_error

pytestmark = [
    pytest.mark.django_db(databases=["default", "reviews"], transaction=True),
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql",
        reason="a server to cut off: DEMO_DATABASE=postgres",
    ),
]


def test_try_foreign_key_names_the_server_it_cannot_reach():
    with server_unreachable("default"):
        error = command_error("try_foreign_key")
    assert error.startswith("default: its server cannot be reached (")
    assert "set up" not in error
