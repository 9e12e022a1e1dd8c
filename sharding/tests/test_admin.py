"""The admin browses one shard at a time and edits a review on the shard that holds it."""

import pytest
from django.contrib.admin.models import LogEntry

from products.models import Product
from reviews.models import Review
from shop import resharding

from .helpers import (
    EVERY_DATABASE,
    admin_review_form,
    create_author,
    create_review,
    holders,
    rows_per_shard,
)

pytestmark = pytest.mark.django_db(databases=EVERY_DATABASE)
CHANGELIST = "/admin/reviews/review/"


@pytest.fixture
def reviews():
    """A review on shard1 (product 1, bucket 10) and one on shard2 (product 2, bucket 39)."""
    bob = create_author("bob")
    kettle = Product.objects.create(pk=1, name="Pour-over kettle")
    grinder = Product.objects.create(pk=2, name="Burr grinder")
    return create_review(kettle, bob, text="Kettle review"), create_review(grinder, bob)


def admin_form(review, **overrides):
    ids = {"product_id": review.product_id, "author_id": review.author_id}
    return admin_review_form(**ids) | overrides


def listed(response):
    return [review.pk for review in response.context["cl"].result_list]


def test_list_shows_the_first_shard_by_default(admin_client, reviews):
    response = admin_client.get(CHANGELIST)
    assert listed(response) == [reviews[0].pk]
    assert "Pour-over kettle" in response.text


def test_the_shard_filter_lists_another_shard(admin_client, reviews):
    assert listed(admin_client.get(f"{CHANGELIST}?shard=shard2")) == [reviews[1].pk]


def test_an_unknown_shard_lists_nothing(admin_client, reviews):
    response = admin_client.get(f"{CHANGELIST}?shard=nowhere")
    assert response.status_code == 200
    assert listed(response) == []


def test_change_page_opens_a_review_on_any_shard(admin_client, reviews):
    response = admin_client.get(f"{CHANGELIST}{reviews[1].pk}/change/")
    assert response.status_code == 200
    assert response.context["original"].pk == reviews[1].pk


@pytest.mark.parametrize("object_id", ["999", "abc", "99999999999999999999999"])
def test_change_page_of_an_unknown_id_redirects_with_a_message(admin_client, object_id):
    response = admin_client.get(f"{CHANGELIST}{object_id}/change/", follow=True)
    assert "doesn’t exist" in response.text


def test_add_stores_the_review_on_its_products_shard(admin_client, reviews):
    admin_client.post(f"{CHANGELIST}add/", admin_form(reviews[1], text="Added."))
    added = Review.objects.for_product(2).get(text="Added.")
    assert holders(added.pk) == ["shard2"]


def test_change_updates_the_review_where_it_is(admin_client, reviews):
    review = reviews[1]
    admin_client.post(f"{CHANGELIST}{review.pk}/change/", admin_form(review))
    assert Review.objects.using("shard2").get(pk=review.pk).text == "Changed my mind."
    assert rows_per_shard() == {"shard1": 1, "shard2": 1, "shard3": 0, "shard4": 0}


def test_the_product_cannot_be_changed(admin_client, reviews):
    """Its product is its shard key: the field is disabled, a posted value is ignored."""
    review = reviews[1]
    admin_client.post(f"{CHANGELIST}{review.pk}/change/", admin_form(review, product_id="1"))
    assert Review.objects.using("shard2").get(pk=review.pk).product_id == 2


def test_delete_removes_the_review_from_its_shard(admin_client, reviews):
    admin_client.post(f"{CHANGELIST}{reviews[1].pk}/delete/", {"post": "yes"})
    assert rows_per_shard() == {"shard1": 1, "shard2": 0, "shard3": 0, "shard4": 0}


def test_bulk_delete_removes_the_selected_reviews_of_the_shard(admin_client, reviews):
    admin_client.post(
        f"{CHANGELIST}?shard=shard2",
        {"action": "delete_selected", "_selected_action": [reviews[1].pk], "post": "yes"},
    )
    assert rows_per_shard() == {"shard1": 1, "shard2": 0, "shard3": 0, "shard4": 0}


def test_the_admin_log_of_a_review_change_is_kept_on_default(admin_client, reviews):
    review = reviews[1]
    admin_client.post(f"{CHANGELIST}{review.pk}/change/", admin_form(review))
    assert LogEntry.objects.using("default").get().object_id == str(review.pk)


@pytest.mark.parametrize("page", ["change", "delete", "delete selected"])
def test_a_write_to_a_bucket_being_moved_says_so_and_changes_nothing(admin_client, reviews, page):
    review = reviews[1]
    resharding.mark(review.bucket, "shard4")
    url, data = {
        "change": (f"{CHANGELIST}{review.pk}/change/", admin_form(review)),
        "delete": (f"{CHANGELIST}{review.pk}/delete/", {"post": "yes"}),
        "delete selected": (
            f"{CHANGELIST}?shard=shard2",
            {"action": "delete_selected", "_selected_action": [review.pk], "post": "yes"},
        ),
    }[page]
    response = admin_client.post(url, data, follow=True)
    assert "Nothing was changed. Bucket 39 is being moved from shard2 to shard4" in response.text
    assert Review.objects.using("shard2").get(pk=review.pk).text == review.text
    assert not LogEntry.objects.exists()
