"""loaddata --database=shardN installs only the reviews whose bucket the map gives shardN."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shop.sharding import bucket_for_product, review_id

from .helpers import EVERY_DATABASE, rows_per_shard, shard_of_product

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)
GRINDER = 2  # bucket 39, on shard2


@pytest.fixture
def fixture(tmp_path):
    """A fixture file holding one review of the grinder."""
    review = {
        "model": "reviews.review",
        "pk": review_id(41, bucket_for_product(GRINDER)),
        "fields": {
            "bucket": bucket_for_product(GRINDER),
            "product_id": GRINDER,
            "author_id": 1,
            "rating": 5,
            "text": "Quiet and even.",
            "created": "2026-05-01T10:00:00Z",
        },
    }
    path = tmp_path / "grinder.json"
    path.write_text(json.dumps([review]))
    return path


def test_loaddata_refuses_a_review_on_a_shard_without_its_bucket(fixture):
    """Django's loaddata asks allow_migrate per model, never per row: the row is checked."""
    with pytest.raises(CommandError, match=r"bucket 39, which the map gives to shard2"):
        call_command("loaddata", fixture, database="shard1", stdout=StringIO())
    assert rows_per_shard() == dict.fromkeys(rows_per_shard(), 0)


def test_loaddata_installs_a_review_on_the_shard_of_its_bucket(fixture):
    call_command("loaddata", fixture, database=shard_of_product(GRINDER), stdout=StringIO())
    assert rows_per_shard()["shard2"] == 1
