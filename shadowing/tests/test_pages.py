"""Pages show the merged view: snapshot rows, local rows on top, each tagged by origin."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from reviews.models import Review

from .helpers import (
    create_author,
    create_product,
    create_review,
    snapshot_product,
    snapshot_review,
)

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


def queries_per_alias(client, url):
    with CaptureQueriesContext(connections["default"]) as default:
        with CaptureQueriesContext(connections["snapshot"]) as snapshot:
            response = client.get(url)
    assert response.status_code == 200
    return {"default": len(default), "snapshot": len(snapshot)}


def add_reviews(count, product=None, author=None):
    product, author = product or create_product(), author or create_author()
    for n in range(count):
        create_review(product, author, text=f"Review number {n}.")
    return product


def test_product_list_counts_and_averages_reviews_from_both_databases(client):
    """One GROUP BY per database, added up: the average of all five ratings."""
    product, author = snapshot_product(), create_author()
    snapshot_review(1, product.pk, author.pk, rating=5)
    snapshot_review(2, product.pk, author.pk, rating=None)  # counted, not averaged
    create_review(product, author, rating=2)
    create_review(product, author, rating=2)
    response = client.get("/")
    assert response.context["products"][0].stats == {"count": 4, "average": 3.0}


def test_product_list_shows_products_without_reviews(client):
    create_product("Digital scale")
    response = client.get("/")
    assert response.context["products"][0].stats == {"count": 0, "average": None}


def test_product_list_tags_each_product_with_its_origin(client):
    snapshot_product(1, "Pour-over kettle")
    changed = snapshot_product(2, "Burr grinder")
    changed.description = "Changed here."
    changed.save()
    create_product("Digital scale")
    response = client.get("/")
    origins = {product.name: product.origin for product in response.context["products"]}
    assert origins == {
        "Pour-over kettle": "snapshot",
        "Burr grinder": "changed locally",
        "Digital scale": "local",
    }
    assert '<td class="origin">changed locally</td>' in response.text


def test_every_page_has_the_banner(client):
    snapshot_review(1).delete()  # one tombstone
    create_product()  # one local row
    response = client.get("/")
    assert "Snapshot taken " in response.text
    assert " UTC, 2 local changes</p>" in response.text


def test_product_page_shows_reviews_of_both_origins(client):
    product, author = snapshot_product(), create_author("carol")
    snapshot_review(1, product.pk, author.pk, text="Grinds evenly.")
    create_review(product, author, text="Still grinding.")
    response = client.get(f"/products/{product.pk}/")
    assert "Grinds evenly." in response.text
    assert "Still grinding." in response.text
    assert '<span class="origin">snapshot</span>' in response.text
    assert '<span class="origin">local</span>' in response.text
    assert "by carol" in response.text


def test_a_deleted_snapshot_review_is_gone_from_its_page(client):
    product = snapshot_product()
    snapshot_review(1, product.pk, text="Hidden by a tombstone.").delete()
    response = client.get(f"/products/{product.pk}/")
    assert "Hidden by a tombstone." not in response.text
    assert client.get("/reviews/1/").status_code == 404
    assert Review._base_manager.using("snapshot").filter(pk=1).exists()  # still there


@pytest.mark.parametrize("url", ["/", "/products/{pk}/"])
def test_queries_per_database_do_not_grow_with_reviews(client, url):
    """3 reviews or 300: the same number of queries on each database."""
    product, author = create_product(), create_author()
    add_reviews(3, product, author)
    few = queries_per_alias(client, url.format(pk=product.pk))
    add_reviews(297, product, author)
    many = queries_per_alias(client, url.format(pk=product.pk))
    assert few == many


def test_review_page_shows_product_and_author(client):
    review = create_review(snapshot_product(3, "Ceramic dripper"), create_author("dave"))
    response = client.get(f"/reviews/{review.pk}/")
    assert "Ceramic dripper" in response.text
    assert "by dave" in response.text


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
    product = add_reviews(3)
    response = client.get(f"/products/{product.pk}/?page={page}")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
