"""Exercise 1: one author's reviews on a page of their own, /reviews/by/<author id>/."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from tests.helpers import create_author, create_product, create_review

pytestmark = pytest.mark.django_db(databases=["default", "reviews"])


def author_page(client, author):
    return client.get(f"/reviews/by/{author.pk}/")


def queries_for(client, author):
    """How many queries the page runs on each database."""
    with (
        CaptureQueriesContext(connections["default"]) as default,
        CaptureQueriesContext(connections["reviews"]) as reviews,
    ):
        assert author_page(client, author).status_code == 200
    return {"default": len(default), "reviews": len(reviews)}


def test_the_page_lists_the_authors_reviews_only(client):
    """The page at /reviews/by/<author id>/ lists that author's reviews, and no one else's."""
    alice, bob = create_author("alice"), create_author("bob")
    mine = create_review(create_product("Kettle"), alice)
    create_review(create_product("Grinder"), bob)
    response = author_page(client, alice)
    assert response.status_code == 200, "no page at /reviews/by/<author id>/"
    assert [review.pk for review in response.context["reviews"]] == [mine.pk]


def test_each_review_shows_its_products_name(client):
    """Each review on the page shows the name of its product, read from "default"."""
    alice = create_author("alice")
    create_review(create_product("Ceramic dripper"), alice)
    assert "Ceramic dripper" in author_page(client, alice).text


def test_the_page_costs_the_same_for_many_reviews_as_for_one(client):
    """100 reviews cost as many queries as 1: no query per review on either database."""
    alice, bob = create_author("alice"), create_author("bob")
    create_review(create_product("Kettle"), alice)
    one = queries_for(client, alice)
    for number in range(100):
        create_review(create_product(f"Scale {number}"), bob)
    assert queries_for(client, bob) == one
