"""Writing a review: it lands on the primary and nowhere else; bad input writes nothing."""

import pytest

from reviews.models import Review

from .helpers import ALIASES, create_author, create_product, rows_per_alias

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]
NOWHERE = {"default": 0, "replica1": 0, "replica2": 0}


@pytest.fixture
def author_client(client):
    author = create_author()
    client.force_login(author)
    client.author = author
    return client


def post_review(client, product, **overrides):
    data = {"product_id": product, "rating": "4", "text": "Works well."}
    return client.post("/reviews/new/", data | overrides)


def test_review_is_stored_on_the_primary_and_nowhere_else(author_client, product):
    post_review(author_client, product.pk)
    assert rows_per_alias(Review) == NOWHERE | {"default": 1}


def test_review_keeps_the_ids_of_its_product_and_author(author_client, product):
    post_review(author_client, product.pk)
    review = Review.objects.using("default").get()
    assert (review.product_id, review.author_id) == (product.pk, author_client.author.pk)


def test_new_review_shows_on_its_product_page(author_client, product):
    response = post_review(author_client, product.pk, text="A new favourite.")
    page = author_client.get(response.url)
    assert "A new favourite." in page.text
    assert "by alice" in page.text


def test_rating_may_be_left_empty(author_client, product):
    post_review(author_client, product.pk, rating="")
    assert Review.objects.using("default").get().rating is None


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
def test_bad_input_gets_a_form_error_and_writes_nothing(author_client, product, field, value):
    response = post_review(author_client, product.pk, **{field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert rows_per_alias(Review) == NOWHERE


def test_empty_post_gets_form_errors(author_client):
    response = author_client.post("/reviews/new/", {})
    assert set(response.context["form"].errors) == {"product_id", "text"}


def test_writing_needs_a_login(client):
    response = client.get("/reviews/new/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_product_page_link_preselects_the_product(author_client, product):
    response = author_client.get(f"/reviews/new/?product={product.pk}")
    assert f'<option value="{product.pk}" selected>' in response.text


@pytest.mark.parametrize("value", ["abc", "999", ""])
def test_odd_preselected_product_shows_the_form(author_client, value):
    assert author_client.get(f"/reviews/new/?product={value}").status_code == 200


def test_a_product_not_replicated_yet_is_accepted_since_a_post_reads_the_primary(
    author_client, product
):
    """A POST checks the product on the primary, where another client's new one is."""
    newer = create_product("Digital scale")
    assert post_review(author_client, newer.pk).status_code == 302
    assert Review.objects.using("default").get().product_id == newer.pk
