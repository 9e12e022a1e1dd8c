"""The ports of ``make postgres-up``: postgres/env.sh (for the scripts) and
common/postgres.py (for the settings) derive the same ones, and none lies in the range
Linux lends to outgoing connections, where any client on the machine may hold one for a
moment and the server's bind fails with "Address already in use". No database used."""

import os
import subprocess
from pathlib import Path

from common.postgres import NAMES, PORTS, ROOT, default_base_port

EPHEMERAL = Path("/proc/sys/net/ipv4/ip_local_port_range")


def script_ports():
    """{server: port} as postgres/env.sh gives them, PgBouncer's and Pgpool-II's too,
    without DEMO_POSTGRES_PORT."""
    script = (
        f'. "{ROOT}/postgres/env.sh"; for s in $SERVERS; do echo "$s $(port_of $s)"; done; '
        'echo "pgbouncer $BOUNCER_PORT"; echo "pgpool $PGPOOL_PORT"'
    )
    env = {k: v for k, v in os.environ.items() if k != "DEMO_POSTGRES_PORT"}
    output = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    return {name: int(port) for name, port in map(str.split, output.stdout.splitlines())}


def test_the_scripts_and_the_settings_choose_the_same_ports():
    """Each server's port, then PgBouncer's and Pgpool-II's, as env.sh derives them from
    the checkout's path, are the ones common/postgres.py gives the settings."""
    base = default_base_port(ROOT)
    ports = {name: base + offset for offset, name in enumerate(NAMES)}
    after = {"pgbouncer": base + len(NAMES), "pgpool": base + len(NAMES) + 1}
    assert script_ports() == ports | after


def test_no_port_lies_in_the_ephemeral_range():
    """Every port any checkout may be given, from the lowest base to the highest base's
    last server, lies outside Linux's ip_local_port_range."""
    low, high = map(int, EPHEMERAL.read_text().split())
    assert PORTS.stop <= 65536
    assert PORTS.start > high or PORTS.stop - 1 < low, (PORTS, (low, high))
