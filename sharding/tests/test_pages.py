"""Pages read products and users from "default" and reviews from "reviews"."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from .helpers import create_author, create_product, create_review

pytestmark = pytest.mark.django_db(databases=["default", "reviews"])


def queries_per_alias(client, url):
    with CaptureQueriesContext(connections["default"]) as default:
        with CaptureQueriesContext(connections["reviews"]) as reviews:
            response = client.get(url)
    assert response.status_code == 200
    return {"default": len(default), "reviews": len(reviews)}


def add_reviews(count, product=None, author=None):
    product, author = product or create_product(), author or create_author()
    for n in range(count):
        create_review(product, author, text=f"Review number {n}.")
    return product


def test_product_list_shows_count_and_average(client):
    product, author = create_product(), create_author()
    create_review(product, author, rating=5)
    create_review(product, author, rating=2)
    create_review(product, author, rating=None)  # counted, but not in the average
    response = client.get("/")
    assert response.context["products"][0].stats == {"count": 3, "average": 3.5}


def test_product_list_shows_products_without_reviews(client):
    create_product("Digital scale")
    response = client.get("/")
    assert response.context["products"][0].stats == {"count": 0, "average": None}


def test_product_page_shows_reviews_with_author_names(client):
    product = create_product()
    create_review(product, create_author("carol"), text="Grinds evenly.")
    response = client.get(f"/products/{product.pk}/")
    assert "Grinds evenly." in response.text
    assert "by carol" in response.text


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
    review = create_review(create_product("Ceramic dripper"), create_author("dave"))
    response = client.get(f"/reviews/{review.pk}/")
    assert "Ceramic dripper" in response.text
    assert "by dave" in response.text


def test_review_of_a_deleted_product_still_shows(client):
    """No foreign key means no cascade: the review outlives its product."""
    product = create_product()
    review = create_review(product, create_author())
    product.delete()
    response = client.get(f"/reviews/{review.pk}/")
    assert response.status_code == 200
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
    product = add_reviews(3)
    response = client.get(f"/products/{product.pk}/?page={page}")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
