"""`manage.py db_status` on the shards: reviews and buckets per shard, a move under way.
A shard down or missing from DATABASES, or a bucket refusing its writes, leaves the site
degraded (exit 1); "default" or "tickets" down, down (exit 2)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from common.faults import database_missing
from common.testing import db_status
from reviews.models import Review
from shop import resharding
from shop.models import Bucket

from .helpers import EVERY_DATABASE, SHARDS

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


def test_each_shard_says_its_buckets_and_reviews(reviews):
    """Per shard: the buckets the map gives it and the reviews it physically holds."""
    output, code = db_status("--format", "json")
    shards = json.loads(output)["facts"]["shards"]
    assert code == 0
    for shard in SHARDS:
        expected = Review._base_manager.using(shard).count()
        assert shards[shard]["reviews"] == expected
        assert shards[shard]["buckets"] == Bucket.objects.filter(shard=shard).count()


def test_a_shard_that_is_down_leaves_the_site_degraded(reviews, tmp_path):
    """A stopped shard is "down" in one call and the command exits 1, the pages serving
    the other shards; its reviews are unknown, not counted as none."""
    with database_missing("shard2", tmp_path):
        output, code = db_status()
    assert code == 1
    lines = output.splitlines()
    assert any(line.startswith("shard2    down: ") for line in lines)
    assert "shard2: 20 buckets, reviews unknown: the shard is down" in lines


def test_shard_stats_fails_when_a_shard_is_down(reviews, tmp_path):
    """shard_stats names the shard it cannot count and exits 1, not 0 with a short total."""
    with database_missing("shard2", tmp_path), pytest.raises(CommandError) as error:
        call_command("shard_stats", stdout=StringIO())
    assert error.value.returncode == 1
    assert str(error.value).startswith("shard2: not available")


def test_a_shard_missing_from_settings_leaves_the_site_degraded(reviews):
    """A shard the map names but DATABASES lacks: its reviews are out of reach, exit 1."""
    Bucket.objects.filter(shard="shard2").update(shard="shard9")
    output, code = db_status()
    assert code == 1
    assert "shard9: 20 buckets, not in DATABASES" in output.splitlines()


def test_a_bucket_being_moved_is_shown(reviews):
    """A bucket left marked refuses its writes: db_status says so, and what to do."""
    resharding.mark(15, "shard4")
    output, _ = db_status()
    assert (
        "bucket 15: being moved from shard1 to shard4, its writes refused: "
        "run reshard to finish the move" in output.splitlines()
    )


def test_a_bucket_refusing_writes_after_an_interrupted_move_is_degraded(reviews):
    """A move stopped after the mark leaves the bucket refusing its writes: exit 1."""
    resharding.mark(15, "shard4")
    output, code = db_status("--format", "json")
    status = json.loads(output)
    assert (code, status["status"]) == (1, "degraded")
    assert status["degraded"] == ["bucket 15 refuses writes"]


@pytest.mark.parametrize("alias", ["default", "tickets"])
def test_default_or_tickets_down_is_down(reviews, tmp_path, alias):
    """The map, products and users; the ids of every new review: exit 2."""
    with database_missing(alias, tmp_path):
        _, code = db_status()
    assert code == 2


@pytest.mark.parametrize("command", [["shard_stats"], ["reshard", "--dry-run"]])
def test_verbosity_0_prints_nothing_on_success(reviews, command):
    """-v 0 (Django's verbosity): a script gets the exit code, and no output."""
    output = StringIO()
    call_command(*command, verbosity=0, stdout=output)
    assert output.getvalue() == ""
