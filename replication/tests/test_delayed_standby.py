"""On PostgreSQL, with both standbys held DELAY behind the primary by
``recovery_min_apply_delay`` (postgres/delay.sh), the stale read right after a write
comes every time, and the position taken after the commit is never reached before the
write is there. An undelayed standby replays within a millisecond here, so every way of
taking the position would pass against it."""

import subprocess
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from common.faults import ROOT
from reviews.models import Review
from shop.causal import caught_up
from shop.positions import primary_position, replayed_position

from .helpers import ALIASES, ON_POSTGRES, create_author, create_product, create_review

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="recovery_min_apply_delay: a standby's"),
    pytest.mark.django_db(databases=ALIASES, transaction=True),
]
DELAY = 0.3
WRITES = 10
REPLICAS = ["replica1", "replica2"]


def delay(alias, value):
    script = ROOT / "postgres" / "delay.sh"
    subprocess.run([script, alias, value], check=True, capture_output=True, timeout=30)


@pytest.fixture(scope="module", autouse=True)
def delayed():
    """Set once for the module, and undone after it."""
    if not ON_POSTGRES:
        yield
        return
    for alias in REPLICAS:
        delay(alias, f"{DELAY * 1000:.0f}ms")
    yield
    for alias in REPLICAS:
        delay(alias, "0")


@pytest.fixture
def product(transactional_db):
    product = create_product()
    call_command("replicate", stdout=StringIO())
    return product


def reached(position, timeout=5):
    deadline = time.monotonic() + timeout
    while not position.reached_by(replayed_position("replica2")):
        assert time.monotonic() < deadline, f"replica2 never reached {position}"
        time.sleep(0.01)


def on_replica(review):
    return Review.objects.using("replica2").filter(pk=review.pk).exists()


def test_a_read_right_after_the_write_is_stale_every_time(product):
    author = create_author()
    stale = sum(not on_replica(create_review(product, author)) for _ in range(WRITES))
    assert stale == WRITES


def test_a_position_taken_after_the_commit_is_reached_only_with_the_write(product):
    author = create_author()
    stale = 0
    for _ in range(WRITES):
        review = create_review(product, author)
        position = primary_position()
        reached(position)
        stale += not on_replica(review)
    assert stale == 0


def test_a_position_taken_inside_the_transaction_is_reached_before_the_write(product):
    """It precedes the commit record, which the delay holds back: the rule's reason."""
    author = create_author()
    stale = 0
    for _ in range(WRITES):
        with transaction.atomic(using="default"):
            review = create_review(product, author)
            position = primary_position()
        reached(position)
        stale += not on_replica(review)
    assert stale >= WRITES // 2


@pytest.mark.parametrize("wait, served", [(0, False), (DELAY * 5, True)])
def test_a_read_may_wait_for_the_replica_to_replay(product, settings, wait, served):
    settings.REPLICATION_POSITION_WAIT_SECONDS = wait
    review = create_review(product, create_author())
    assert caught_up("replica2", primary_position()) is served
    assert on_replica(review) is served
