"""Writing a review: it lands on "default" with a local key; bad input writes nothing."""

import pytest

from reviews.models import Review
from shop.shadow import LOCAL_KEYS_START

from .helpers import create_author, create_product, rows_per_alias, snapshot_product

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])


@pytest.fixture
def author_client(client):
    author = create_author()
    client.force_login(author)
    client.author = author
    return client


def post_review(client, **overrides):
    data = {"product_id": create_product().pk, "rating": "4", "text": "Works well."}
    return client.post("/reviews/new/", data | overrides)


def test_review_is_stored_on_default_and_never_in_the_snapshot(author_client):
    post_review(author_client)
    assert rows_per_alias(Review) == {"default": 1, "snapshot": 0}


def test_new_review_gets_a_key_from_the_local_range(author_client):
    """Above LOCAL_KEYS_START: no snapshot key can ever be the same."""
    post_review(author_client)
    assert Review._base_manager.using("default").get().pk > LOCAL_KEYS_START


def test_a_review_of_a_snapshot_product_is_stored_on_default(author_client):
    post_review(author_client, product_id=snapshot_product(7, "Espresso cups").pk)
    assert Review._base_manager.using("default").get().product_id == 7


def test_review_keeps_the_ids_of_its_product_and_author(author_client):
    product = create_product("Digital scale")
    post_review(author_client, product_id=product.pk)
    review = Review.objects.get()
    assert (review.product_id, review.author_id) == (product.pk, author_client.author.pk)
    assert review._state.db == "default"


def test_new_review_shows_on_its_product_page(author_client):
    response = post_review(author_client, text="A new favourite.")
    page = author_client.get(response.url)
    assert "A new favourite." in page.text
    assert "by alice" in page.text


def test_rating_may_be_left_empty(author_client):
    post_review(author_client, rating="")
    assert Review.objects.get().rating is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("rating", "0"),
        ("rating", "6"),
        ("rating", "9"),
        ("rating", "x"),
        ("text", ""),
        ("text", "   "),
        ("text", "x" * 5001),
        ("product_id", "999"),
        ("product_id", "abc"),
        ("product_id", ""),
        ("product_id", "99999999999999999999999"),
    ],
)
def test_bad_input_gets_a_form_error_and_writes_nothing(author_client, field, value):
    response = post_review(author_client, **{field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 0}


def test_empty_post_gets_form_errors(author_client):
    response = author_client.post("/reviews/new/", {})
    assert set(response.context["form"].errors) == {"product_id", "text"}


def test_writing_needs_a_login(client):
    response = client.get("/reviews/new/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_product_page_link_preselects_the_product(author_client):
    product = create_product()
    response = author_client.get(f"/reviews/new/?product={product.pk}")
    assert f'<option value="{product.pk}" selected>' in response.text


@pytest.mark.parametrize("value", ["abc", "999", ""])
def test_odd_preselected_product_shows_the_form(author_client, value):
    assert author_client.get(f"/reviews/new/?product={value}").status_code == 200
