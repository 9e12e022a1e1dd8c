"""A server that cannot be reached is not a database to set up: the commands say which
server, and give no setup advice ("run setup_demo", "create it and run migrate"), which
would send a learner to rebuild a shard that is only restarting."""

import pytest
from django.db import connections

from common.faults import server_unreachable
from common.testing import command_error

from .helpers import EVERY_DATABASE, create_author

pytestmark = [
    pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True),
    pytest.mark.skipif(
        connections["shard1"].vendor != "postgresql",
        reason="servers to stop: DEMO_DATABASE=postgres",
    ),
]


def test_reshard_names_a_new_shard_whose_server_cannot_be_reached():
    with server_unreachable("shard4"):
        error = command_error("reshard")
    assert error.startswith("shard4: its server cannot be reached (")
    assert "migrate" not in error


def test_reshard_names_a_source_shard_whose_server_cannot_be_reached():
    with server_unreachable("shard1"):
        error = command_error("reshard")
    assert error.startswith("shard1: its server cannot be reached (")
    assert "setup_demo" not in error


def test_seed_reviews_names_a_shard_whose_server_cannot_be_reached():
    create_author()
    with server_unreachable("shard2"):
        error = command_error("seed_reviews", "--count", "30", "--products", "30")
    assert error.startswith("shard2: its server cannot be reached (")
    assert "setup_demo" not in error


def test_shard_stats_names_the_default_server_when_it_cannot_be_reached():
    with server_unreachable("default"):
        error = command_error("shard_stats")
    assert error.startswith("default: its server cannot be reached (")
    assert "setup_demo" not in error
