"""What watches the site through a failover: db_status, the follower, the panel (the issue's
point 4), each after a drill of its own, restored after it."""

from io import StringIO

import pytest
from django.core.management import call_command
from tests.helpers import ALIASES, ON_POSTGRES, create_author, panel_notes

from common.postgres import SERVERS
from common.testing import db_status

from .servers import rows_on

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="real servers: DEMO_DATABASE=postgres"),
    pytest.mark.faults,
    pytest.mark.django_db(databases=ALIASES, transaction=True),
]
PRIMARY_SERVER, REPLICA1_SERVER = (
    f"{SERVERS[name]['HOST']}:{SERVERS[name]['PORT']}" for name in ("primary", "replica1")
)


def test_db_status_names_the_server_that_took_the_writes(drill):
    """Degraded, not down: the first server default names is gone, the second took over."""
    drill()
    output, code = db_status()
    assert f"default names {REPLICA1_SERVER}: primary" in output
    assert f"default names {PRIMARY_SERVER}: down" in output
    assert code == 1


def test_replicate_writes_its_heartbeat_on_the_promoted_server(drill):
    drill()
    call_command("replicate", stdout=StringIO())
    assert rows_on("replica1", "shop_heartbeat", {1}) == {1}


def test_the_panel_names_the_server_that_served_default(drill, client):
    client.force_login(create_author())
    drill()
    response = client.get("/")
    assert f"served by {REPLICA1_SERVER}" in panel_notes(response, "default")
