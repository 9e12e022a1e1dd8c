"""Exercise 2: the admin's product list counts each product's reviews, one query a page."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from tests.helpers import create_author, create_product, create_review

pytestmark = pytest.mark.django_db(databases=["default", "reviews"])
CHANGELIST = "/admin/products/product/"


def test_each_product_in_the_admin_list_has_its_review_count(admin_client):
    """Each product of the admin's list carries review_count, read from "reviews"."""
    kettle = create_product("Kettle")
    create_product("Grinder")
    author = create_author()
    for _ in range(3):
        create_review(kettle, author)
    products = admin_client.get(CHANGELIST).context["cl"].result_list
    counts = {product.name: getattr(product, "review_count", None) for product in products}
    assert counts == {"Kettle": 3, "Grinder": 0}


def test_the_count_is_a_column_of_the_list(admin_client):
    """review_count is one of the admin list's columns (list_display)."""
    assert "review_count" in admin_client.get(CHANGELIST).context["cl"].list_display


def test_a_page_of_products_reads_reviews_once(admin_client):
    """One query on "reviews" for the whole page, however many products it shows."""
    author = create_author()
    for number in range(20):
        create_review(create_product(f"Scale {number}"), author)
    with CaptureQueriesContext(connections["reviews"]) as reviews:
        admin_client.get(CHANGELIST)
    assert len(reviews) == 1
