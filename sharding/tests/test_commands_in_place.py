"""The commands run in place on the test databases, on SQLite or PostgreSQL alike.

test_commands.py runs them as a learner does, in a copy of the project with SQLite files.
"""

from contextlib import contextmanager
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connections, transaction

from common.faults import database_missing, missing_database_error
from products.models import Product
from shop.models import Bucket, Ticket
from shop.sharding import initial_layout

from .conftest import FIRST_SHARDS
from .helpers import EVERY_DATABASE, ON_POSTGRES, rows_per_shard

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE, transaction=True)
DEMO_REVIEWS = {"shard1": 29, "shard2": 10, "shard3": 1, "shard4": 0}
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="on SQLite, test_commands.py runs this in a copy with its own files"
)


def manage(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@contextmanager
def not_set_up(alias="default"):
    """Until the end of the block, the alias looks to Django as `make postgres-up` leaves it:
    a database without tables (its search path names a schema that does not exist)."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SET LOCAL search_path TO not_set_up")
        yield


@postgres_only
@pytest.mark.django_db(databases=EVERY_DATABASE)
@pytest.mark.parametrize(
    "command, error",
    [
        (["shard_stats"], 'The databases are not set up (relation "shop_bucket" does not exist)'),
        (["seed_reviews", "--count", "10"], "The databases are not set up (relation"),
        (["reshard"], 'relation "shop_bucket" does not exist: nothing is lost. Run setup_demo'),
    ],
)
def test_commands_before_setup_demo_say_to_run_it_on_postgres(command, error):
    """PostgreSQL says "relation ... does not exist", a ProgrammingError: named all the same."""
    with pytest.raises(CommandError) as refused, not_set_up():
        call_command(*command, stdout=StringIO())
    assert str(refused.value).startswith(error)
    assert "\n" not in str(refused.value)  # the message, without the statement under it


def test_setup_demo_fills_each_database_with_its_own_data():
    manage("setup_demo")
    assert Product.objects.using("default").count() == 5
    assert rows_per_shard() == DEMO_REVIEWS
    assert Ticket.objects.get().next == 41


def test_setup_demo_twice_changes_nothing(settings):
    settings.DEBUG = True  # as `make demo` runs it, so that it makes admin / admin
    manage("setup_demo")
    output = manage("setup_demo")
    assert "shard1: has demo data already, fixture not loaded again" in output
    assert rows_per_shard() == DEMO_REVIEWS
    assert get_user_model().objects.count() == 5  # 4 reviewers and admin


def test_setup_demo_names_a_database_it_cannot_open(tmp_path):
    """It creates tables, not databases: PostgreSQL never creates one on connect."""
    with pytest.raises(CommandError) as refused, database_missing("shard2", tmp_path):
        manage("setup_demo")
    message = str(refused.value)
    assert message.startswith("shard2 cannot be opened: ")
    assert missing_database_error("shard2") in message
    assert "`make postgres-up` creates every database in settings" in message


@postgres_only
def test_setup_demo_refuses_to_refill_a_shard_that_lost_its_table():
    """The map gives shard2 20 buckets: tables and fixture anew would hide their loss."""
    manage("setup_demo")
    lost = "shard2: it has no table reviews_review, and the bucket map gives it 20 buckets"
    with pytest.raises(CommandError, match=lost), not_set_up("shard2"):
        manage("setup_demo")
    assert rows_per_shard() == DEMO_REVIEWS


@postgres_only
def test_reset_on_postgres_drops_every_table_and_starts_over():
    """Dropped, not flushed: migrate builds the bucket map again, as after deleting files."""
    manage("setup_demo")
    manage("reshard")
    lines = manage("setup_demo", "--reset").splitlines()
    assert lines[0].startswith("default: dropped its ") and lines[0].endswith(" tables")
    assert lines[1] == "tickets: dropped its 2 tables"
    assert lines[2:6] == [f"shard{n}: dropped its 2 tables" for n in range(1, 5)]
    assert Bucket.objects.layout() == initial_layout(FIRST_SHARDS)
    assert rows_per_shard() == DEMO_REVIEWS


def test_seed_then_stats_show_every_review():
    manage("setup_demo")
    seeded = manage("seed_reviews", "--count", "3000", "--products", "50", "--seed", "1")
    assert "reviews: 3000/3000 (100%)" in seeded
    stats = manage("shard_stats")
    assert "total: 3040 reviews" in stats
    assert sum(rows_per_shard().values()) == 3040


def test_seed_while_a_bucket_moves_stops_with_a_command_error():
    manage("setup_demo")
    Bucket.objects.update(moving_to="shard4")
    with pytest.raises(CommandError, match=r"Bucket \d+ is being moved .* seed again when"):
        manage("seed_reviews", "--count", "100", "--products", "50", "--seed", "1")
    assert sum(rows_per_shard().values()) == 40  # the demo's: refused before any write


def test_reshard_moves_a_quarter_of_the_buckets_then_nothing():
    manage("setup_demo")
    first = manage("reshard").splitlines()
    assert len(first) == 15
    assert first[-1].startswith("[15/15] bucket 59: shard3 → shard4: ")
    assert rows_per_shard()["shard4"] == 25  # product 1: see test_commands.py
    assert "Nothing to move" in manage("reshard")


def test_setup_demo_again_never_rewinds_the_tickets():
    """Reloading the tickets' fixture over a counter that has moved would hand out again
    the ids of the reviews written since."""
    manage("setup_demo")
    Ticket.objects.update(next=500)
    assert "tickets: has demo data already" in manage("setup_demo")
    assert Ticket.objects.get().next == 500
