"""Writing reviews: each lands on exactly the shard the placement functions name."""

import pytest

from reviews.models import Review
from shop.sharding import WrongShard, bucket_for_product, bucket_for_review

from .helpers import (
    EVERY_DATABASE,
    create_author,
    create_product,
    create_review,
    holders,
    rows_per_shard,
    shard_of_product,
)

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)


@pytest.fixture
def author_client(client):
    author = create_author()
    client.force_login(author)
    client.author = author
    return client


def post_review(client, **overrides):
    data = {"product_id": create_product().pk, "rating": "4", "text": "Works well."}
    return client.post("/reviews/new/", data | overrides)


def test_each_review_lands_on_its_products_shard_and_no_other():
    author = create_author()
    for n in range(12):
        product = create_product(f"Product {n}")
        review = create_review(product, author)
        assert holders(review.pk) == [shard_of_product(product.pk)]
        assert review._state.db == shard_of_product(product.pk)


def test_a_review_id_names_its_bucket():
    review = create_review(create_product(), create_author())
    assert bucket_for_review(review.pk) == review.bucket == bucket_for_product(review.product_id)


def test_posted_review_is_stored_once_on_its_shard(author_client):
    product = create_product("Digital scale")
    post_review(author_client, product_id=product.pk)
    [review] = Review.objects.for_product(product.pk)
    assert holders(review.pk) == [shard_of_product(product.pk)]
    assert sum(rows_per_shard().values()) == 1


def test_create_on_the_products_shard_works():
    product = create_product()
    review = Review.objects.for_product(product.pk).create(
        product_id=product.pk, author_id=1, text="Routed."
    )
    assert holders(review.pk) == [shard_of_product(product.pk)]


def test_create_on_another_shard_is_refused():
    product = create_product()
    elsewhere = next(s for s in ["shard1", "shard2"] if s != shard_of_product(product.pk))
    with pytest.raises(WrongShard):
        Review.objects.using(elsewhere).create(product_id=product.pk, author_id=1, text="x")
    assert sum(rows_per_shard().values()) == 0


def test_bulk_create_groups_rows_by_shard():
    author = create_author()
    products = [create_product(f"Product {n}") for n in range(20)]
    reviews = Review.objects.bulk_create(
        Review(product_id=p.pk, author_id=author.pk, text="bulk") for p in products
    )
    for review in reviews:
        assert holders(review.pk) == [shard_of_product(review.product_id)]
    assert len({review.pk for review in reviews}) == 20


def test_a_review_cannot_change_product():
    """The product is the shard key and part of the id: changing it would strand the row."""
    review = create_review(create_product(), create_author())
    # Two ids share a bucket once in 60: the test takes a product of another bucket.
    products = (create_product(f"Digital scale {n}") for n in range(10))
    review.product_id = next(p.pk for p in products if bucket_for_product(p.pk) != review.bucket)
    with pytest.raises(WrongShard):
        review.save()


def test_ids_stay_unique_past_a_block_of_tickets():
    product, author = create_product(), create_author()
    ids = [create_review(product, author).pk for _ in range(150)]  # a block is 100
    assert len(set(ids)) == 150


def test_new_review_shows_on_its_product_page(author_client):
    response = post_review(author_client, text="A new favourite.")
    page = author_client.get(response.url)
    assert "A new favourite." in page.text
    assert "by alice" in page.text


@pytest.mark.parametrize(
    "field, value",
    [
        ("rating", "0"),
        ("rating", "6"),
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
    assert sum(rows_per_shard().values()) == 0


def test_writing_needs_a_login(client):
    response = client.get("/reviews/new/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("value", ["abc", "999", ""])
def test_odd_preselected_product_shows_the_form(author_client, value):
    assert author_client.get(f"/reviews/new/?product={value}").status_code == 200
