"""The admin reads and writes the primary only: an editor never edits a stale copy."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from common.testing import panel_counts
from reviews.models import Review

from .helpers import (
    ALIASES,
    admin_review_form,
    create_author,
    create_product,
    create_review,
    replicate,
    rows_per_alias,
)

pytestmark = [
    pytest.mark.django_db(databases=ALIASES, transaction=True),
    pytest.mark.usefixtures("replicas"),
]
CHANGELIST = "/admin/reviews/review/"
ON_THE_PRIMARY_ONLY = {"replica1": 0, "replica2": 0}


@pytest.fixture
def review():
    """A review written a moment ago: on the primary, not yet on any replica."""
    return create_review(create_product("Pour-over kettle"), create_author("bob"))


def admin_form(review, **overrides):
    ids = {"product_id": review.product_id, "author_id": review.author_id}
    return admin_review_form(**ids) | overrides


def test_list_shows_what_is_not_replicated_yet(admin_client, review):
    response = admin_client.get(CHANGELIST)
    assert "Pour-over kettle" in response.text
    assert "bob" in response.text


@pytest.mark.parametrize("url", ["", "{pk}/change/", "{pk}/delete/", "add/"])
def test_admin_pages_never_touch_a_replica(admin_client, review, url):
    response = admin_client.get(CHANGELIST + url.format(pk=review.pk))
    assert response.status_code == 200
    assert {alias: panel_counts(response)[alias] for alias in ON_THE_PRIMARY_ONLY} == (
        ON_THE_PRIMARY_ONLY
    )


def test_add_stores_the_review_on_the_primary(admin_client, review):
    admin_client.post(f"{CHANGELIST}add/", admin_form(review, text="Added in the admin."))
    assert rows_per_alias(Review) == ON_THE_PRIMARY_ONLY | {"default": 2}
    assert Review.objects.using("default").filter(text="Added in the admin.").exists()


def test_change_updates_the_review_on_the_primary(admin_client, review):
    admin_client.post(f"{CHANGELIST}{review.pk}/change/", admin_form(review))
    assert Review.objects.using("default").get(pk=review.pk).text == "Changed my mind."


def test_change_with_an_unknown_product_is_a_form_error(admin_client, review):
    url = f"{CHANGELIST}{review.pk}/change/"
    response = admin_client.post(url, admin_form(review, product_id="999"))
    assert "product_id" in response.context["adminform"].form.errors
    assert Review.objects.using("default").get(pk=review.pk).text == review.text


def test_delete_removes_the_review_from_the_primary(admin_client, review):
    admin_client.post(f"{CHANGELIST}{review.pk}/delete/", {"post": "yes"})
    assert rows_per_alias(Review) == ON_THE_PRIMARY_ONLY | {"default": 0}


def test_bulk_delete_removes_the_reviews_from_the_primary(admin_client, review):
    other = create_review(create_product("Digital scale"), create_author("carol"))
    admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [review.pk, other.pk], "post": "yes"},
    )
    assert rows_per_alias(Review) == ON_THE_PRIMARY_ONLY | {"default": 0}


def test_the_admin_log_of_a_review_change_is_kept_on_the_primary(admin_client, review):
    admin_client.post(f"{CHANGELIST}{review.pk}/change/", admin_form(review))
    assert LogEntry.objects.using("default").get().object_id == str(review.pk)


def test_the_admin_log_of_a_user_read_from_a_replica_is_kept_on_the_primary(review):
    """Assigning the user hints its database to the new entry (Django's fallback when
    routers answer None); the router sends it to the primary, never to that replica."""
    replicate()
    user = get_user_model().objects.using("replica1").get(username="bob")
    LogEntry(
        user=user,
        content_type=ContentType.objects.get_for_model(Review),
        object_id=str(review.pk),
        object_repr=str(review),
        action_flag=ADDITION,
    ).save()
    assert rows_per_alias(LogEntry) == ON_THE_PRIMARY_ONLY | {"default": 1}
