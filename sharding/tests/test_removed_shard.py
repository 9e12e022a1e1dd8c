"""A shard removed from DATABASES while the map still gives it buckets: pages name it,
`reshard` refuses with what to do; `reshard --drain` empties a shard before it goes."""

import pytest
from django.core.management import CommandError
from django.db import connections

from products.models import Product
from shop.models import Bucket

from .helpers import EVERY_DATABASE, create_author, rows_per_shard, shard_of_product
from .test_reshard import call_command_output, where_rows_are

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)
BANNER = "shard9 is not available"


@pytest.fixture
def shard2_renamed():
    """The map gives shard2's buckets to shard9, a shard that is not in DATABASES."""
    Bucket.objects.filter(shard="shard2").update(shard="shard9")


def test_product_list_names_a_shard_not_in_settings(client, reviews, shard2_renamed):
    response = client.get("/")
    assert BANNER in response.context["banners"][0]


def test_latest_reviews_name_a_shard_not_in_settings(client, reviews, shard2_renamed):
    response = client.get("/reviews/")
    assert BANNER in response.context["banners"][0]


def test_a_product_page_names_a_shard_not_in_settings(client, reviews, shard2_renamed):
    product = next(p for p in Product.objects.all() if shard_of_product(p.pk) == "shard9")
    response = client.get(f"/products/{product.pk}/")
    assert BANNER in response.context["banners"][0]


def test_a_review_page_on_a_shard_not_in_settings_answers_503(client, reviews, shard2_renamed):
    review = next(r for r in reviews if shard_of_product(r.product_id) == "shard9")
    response = client.get(f"/reviews/{review.pk}/")
    assert response.status_code == 503
    assert "The connection &#x27;shard9&#x27; doesn&#x27;t exist." in response.text


def test_a_write_to_a_shard_not_in_settings_answers_503(client, reviews, shard2_renamed):
    """The 503 page names the alias, and nothing is written anywhere."""
    product = next(p for p in Product.objects.all() if shard_of_product(p.pk) == "shard9")
    client.force_login(create_author("bob"))
    before = rows_per_shard()
    response = client.post("/reviews/new/", {"product_id": product.pk, "text": "Lost?"})
    assert response.status_code == 503
    assert "The connection &#x27;shard9&#x27; doesn&#x27;t exist." in response.text
    assert rows_per_shard() == before


def test_reshard_refuses_a_map_naming_a_shard_not_in_settings(reviews, shard2_renamed):
    """No traceback, no bucket marked: the error says to put the shard back and drain it."""
    with pytest.raises(CommandError, match="20 buckets to shard9, which is not in DATABASES"):
        call_command_output("reshard")
    assert not Bucket.objects.exclude(moving_to="").exists()


def test_shard_stats_names_a_shard_not_in_settings(reviews, shard2_renamed):
    """The missing shard is named and the command exits 1: its reviews are not counted."""
    with pytest.raises(CommandError, match="shard9: not available") as error:
        call_command_output("shard_stats")
    assert error.value.returncode == 1


def test_reshard_refuses_a_new_shard_without_its_table(reviews):
    """Checked before any bucket is marked: a mark would refuse the bucket's writes. (The
    table is dropped inside the test's transaction, which gives it back.)"""
    with connections["shard4"].cursor() as cursor:
        cursor.execute("DROP TABLE reviews_review")
    refused = r"^shard4 cannot take buckets \(no table reviews_review\): no bucket was marked"
    with pytest.raises(CommandError, match=refused):
        call_command_output("reshard")
    assert not Bucket.objects.exclude(moving_to="").exists()


def test_drain_moves_every_bucket_off_the_shard(reviews):
    """The step before removing a shard from settings: the map and the file keep nothing."""
    before = set(where_rows_are())
    call_command_output("reshard", "--drain", "shard3")
    assert not Bucket.objects.filter(shard="shard3").exists()
    assert rows_per_shard()["shard3"] == 0
    assert set(where_rows_are()) == before
    assert all(len(shards) == 1 for shards in where_rows_are().values())


def test_a_drained_shard_takes_buckets_again(reviews):
    """Emptied, then listed again, it is filled as a new shard: every row once (MongoDB's
    addshard5.js: a shard removed and added again under its name still takes chunks)."""
    call_command_output("reshard", "--drain", "shard3")
    call_command_output("reshard")
    assert set(Bucket.objects.layout().values()) == {"shard1", "shard2", "shard3", "shard4"}
    assert rows_per_shard()["shard3"] > 0
    assert set(where_rows_are()) == {review.pk for review in reviews}
    assert all(len(shards) == 1 for shards in where_rows_are().values())


def test_drain_of_a_shard_not_in_settings_is_refused(reviews):
    with pytest.raises(CommandError, match="Cannot drain shard7: not in SHARDS"):
        call_command_output("reshard", "--drain", "shard7")
