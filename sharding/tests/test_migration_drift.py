"""A migration applied on some shards and not others: every shard must have the same
table, and `db_status` lists each alias's unapplied migrations, so the drift is seen."""

import json

import pytest
from django.core.management import call_command

from common.testing import db_status

from .helpers import EVERY_DATABASE

# migrate cannot run inside a test's transaction on SQLite: these tests commit.
pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True)

LATEST = "reviews.0002_index_created_then_id"


@pytest.fixture
def shard2_one_migration_behind():
    """shard2 migrated back to reviews 0001, as a shard the deploy skipped; then forward."""
    call_command("migrate", "reviews", "0001", database="shard2", verbosity=0)
    yield
    call_command("migrate", "reviews", database="shard2", verbosity=0)


def unapplied_by_alias():
    """{alias: its unapplied migrations}, for the aliases that have any, from db_status."""
    aliases = json.loads(db_status("--format", "json")[0])["aliases"]
    return {a["alias"]: a["unapplied_migrations"] for a in aliases if a["unapplied_migrations"]}


def test_a_shard_left_behind_is_named_with_its_migration(shard2_one_migration_behind):
    """The other shards are migrated; shard2 lacks the index on (created, id), which the
    latest reviews walk: db_status names the shard and the migration."""
    assert unapplied_by_alias() == {"shard2": [LATEST]}
