"""Pages: one shard for a product or a review, every shard for lists, merged correctly."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.testing import panel_counts
from reviews.shards import FanOut, page_sql

from .helpers import (
    EVERY_DATABASE,
    NOT_TOUCHED,
    ON_POSTGRES,
    SHARDS,
    create_author,
    create_product,
    create_review,
    query_plan,
    shard_of_product,
)

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


@pytest.fixture
def spread():
    """Reviews of ten products, so every first shard holds some, with distinct times."""
    author, start, reviews = create_author(), timezone.now(), []
    products = [create_product(f"Product {n}") for n in range(10)]
    for n in range(130):
        created = start - timedelta(minutes=(n * 37) % 130)  # shuffled, no ties
        reviews.append(create_review(products[n % 10], author, created=created, text=f"#{n}"))
    return reviews


def shards_touched(response):
    return {alias for alias, count in panel_counts(response).items() if count and alias in SHARDS}


def test_product_list_adds_up_counts_and_averages_over_shards(client):
    author = create_author()
    products = [create_product(f"Product {n}") for n in range(6)]
    for product in products:
        create_review(product, author, rating=5)
        create_review(product, author, rating=2)
        create_review(product, author, rating=None)  # counted, but not in the average
    stats = [product.stats for product in client.get("/").context["products"]]
    assert stats == [{"count": 3, "average": 3.5}] * 6


def test_product_list_asks_each_shard_with_buckets_once(client, spread):
    assert panel_counts(client.get("/")) == NOT_TOUCHED | {
        "default": 2,
        "tickets": 0,
        **dict.fromkeys(SHARDS[:3], 1),
        "shard4": 0,
    }


def test_product_page_reads_one_shard(client, spread):
    product_id = spread[0].product_id
    response = client.get(f"/products/{product_id}/")
    assert shards_touched(response) == {shard_of_product(product_id)}
    assert response.context["page"].paginator.count == 13


def test_review_page_reads_one_shard(client, spread):
    review = spread[5]
    response = client.get(f"/reviews/{review.pk}/")
    assert f"#{5}" in response.text
    assert shards_touched(response) == {review._state.db}


def test_review_of_a_deleted_product_still_shows(client):
    product = create_product()
    review = create_review(product, create_author())
    product.delete()
    response = client.get(f"/reviews/{review.pk}/")
    assert f"a deleted product (id {review.product_id})" in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/reviews/999/",
        "/reviews/abc/",
        "/reviews/-1/",
        "/reviews/99999999999999999999999/",
        "/products/999/",
        "/products/abc/",
        "/products/99999999999999999999999/",
    ],
)
def test_unknown_or_malformed_ids_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1"])
def test_odd_page_numbers_show_a_page(client, page):
    review = create_review(create_product(), create_author())
    response = client.get(f"/products/{review.product_id}/?page={page}")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def newest_plan(reviews):
    return reviews.order_by("-created", "-pk")[:20].explain()


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's query plans")
def test_the_latest_page_walks_the_index_on_created_and_id_instead_of_sorting_the_shard():
    plan = query_plan("shard1", *page_sql())
    assert "USING INDEX review_created_id" in plan
    assert "TEMP B-TREE" not in plan


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's query plans")
def test_the_same_rows_asked_as_in_its_buckets_sort_the_whole_shard():
    """The plan the latest page avoids: IN picks the index on bucket."""
    plan = newest_plan(FanOut().reviews_on("shard1"))
    assert "USING INDEX reviews_review_bucket" in plan
    assert "USE TEMP B-TREE FOR ORDER BY" in plan
