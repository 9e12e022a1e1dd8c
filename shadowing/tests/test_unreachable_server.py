"""A server that cannot be reached is not a database to set up: shadow_status and
shadow_reset name the server and give no setup advice, as sharding's commands do
(common/db_status.py)."""

import pytest
from django.db import connections

from common.faults import server_unreachable
from common.testing import command_error

pytestmark = [
    pytest.mark.django_db(databases=["default", "snapshot"], transaction=True),
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql",
        reason="a server to cut off: DEMO_DATABASE=postgres",
    ),
]


@pytest.mark.parametrize("command", [["shadow_status"], ["shadow_reset", "--no-input"]])
def test_a_command_names_the_local_server_it_cannot_reach(command):
    with server_unreachable("default"):
        error = command_error(*command)
    assert error.startswith("default: its server cannot be reached (")
    assert "setup_demo" not in error
