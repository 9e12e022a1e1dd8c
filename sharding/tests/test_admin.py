"""The admin lists, saves and deletes reviews on "reviews", with no `using` of its own."""

import pytest
from django.contrib.admin.models import LogEntry

from reviews.models import Review

from .helpers import (
    admin_review_form,
    create_author,
    create_product,
    create_review,
    rows_per_alias,
)

pytestmark = pytest.mark.django_db(databases=["default", "reviews"])
CHANGELIST = "/admin/reviews/review/"


@pytest.fixture
def review():
    return create_review(create_product("Pour-over kettle"), create_author("bob"))


def admin_form(review, **overrides):
    ids = {"product_id": review.product_id, "author_id": review.author_id}
    return admin_review_form(**ids) | overrides


def test_list_shows_reviews_with_product_and_author_names(admin_client, review):
    response = admin_client.get(CHANGELIST)
    assert "Pour-over kettle" in response.text
    assert "bob" in response.text


def test_add_stores_the_review_in_reviews(admin_client, review):
    admin_client.post(f"{CHANGELIST}add/", admin_form(review, text="Added in the admin."))
    assert rows_per_alias(Review) == {"reviews": 2}
    assert Review.objects.using("reviews").filter(text="Added in the admin.").exists()


def test_change_updates_the_review_in_reviews(admin_client, review):
    admin_client.post(f"{CHANGELIST}{review.pk}/change/", admin_form(review))
    assert Review.objects.using("reviews").get(pk=review.pk).text == "Changed my mind."


def test_change_with_an_unknown_product_is_a_form_error(admin_client, review):
    url = f"{CHANGELIST}{review.pk}/change/"
    response = admin_client.post(url, admin_form(review, product_id="999"))
    assert "product_id" in response.context["adminform"].form.errors
    assert Review.objects.using("reviews").get(pk=review.pk).text == review.text


def test_delete_removes_the_review_from_reviews(admin_client, review):
    admin_client.post(f"{CHANGELIST}{review.pk}/delete/", {"post": "yes"})
    assert rows_per_alias(Review) == {"reviews": 0}


def test_bulk_delete_removes_the_reviews_from_reviews(admin_client, review):
    other = create_review(create_product("Digital scale"), create_author("carol"))
    admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [review.pk, other.pk], "post": "yes"},
    )
    assert rows_per_alias(Review) == {"reviews": 0}


def test_the_admin_log_of_a_review_change_is_kept_on_default(admin_client, review):
    admin_client.post(f"{CHANGELIST}{review.pk}/change/", admin_form(review))
    assert LogEntry.objects.using("default").get().object_id == str(review.pk)
