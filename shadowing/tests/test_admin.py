"""The admin lists the merged view; editing copies on write, deleting leaves a tombstone."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import override_settings

from reviews.models import Review
from shop.models import Tombstone
from shop.shadow import LOCAL_KEYS_START

from .helpers import (
    admin_review_form,
    create_author,
    rows_per_alias,
    snapshot_product,
    snapshot_review,
)

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])
CHANGELIST = "/admin/reviews/review/"


@pytest.fixture
def review():
    """Review 1 of the kettle, by bob, in the snapshot."""
    product, author = snapshot_product(1, "Pour-over kettle"), create_author("bob")
    return snapshot_review(1, product.pk, author.pk, text="From production.")


def admin_form(review, **overrides):
    ids = {"product_id": review.product_id, "author_id": review.author_id}
    return admin_review_form(**ids) | overrides


def test_list_shows_both_origins(admin_client, review):
    Review.objects.create(product_id=1, author_id=review.author_id, text="Local.")
    response = admin_client.get(CHANGELIST)
    rows = [(row.pk, row.origin) for row in response.context["page"]]
    assert rows == [(LOCAL_KEYS_START + 1, "local"), (1, "snapshot")]
    assert '<td class="origin">snapshot</td>' in response.text


def test_editing_a_snapshot_row_creates_its_local_copy(admin_client, review):
    admin_client.post(f"{CHANGELIST}1/change/", admin_form(review))
    assert Review._base_manager.using("default").get(pk=1).text == "Changed my mind."
    assert Review._base_manager.using("snapshot").get(pk=1).text == "From production."


def test_adding_stores_a_local_row(admin_client, review):
    admin_client.post(f"{CHANGELIST}add/", admin_form(review, text="Added in the admin."))
    assert rows_per_alias(Review) == {"default": 1, "snapshot": 1}
    assert Review.objects.get(text="Added in the admin.").pk == LOCAL_KEYS_START + 1


def test_deleting_a_snapshot_row_creates_a_tombstone(admin_client, review):
    admin_client.post(f"{CHANGELIST}1/delete/", {"post": "yes"})
    assert Tombstone.objects.get().object_pk == 1
    assert not Review.objects.filter(pk=1).exists()


def test_reset_to_snapshot_discards_the_selected_local_copies(admin_client, review):
    admin_client.post(f"{CHANGELIST}1/change/", admin_form(review))
    response = admin_client.post(
        CHANGELIST,
        {"action": "reset_to_snapshot", "index": "0", "_selected_action": ["1"]},
        follow=True,
    )
    assert Review.objects.get(pk=1).text == "From production."
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 1}
    assert "1 local row(s) discarded" in response.text


def test_no_action_is_preselected(admin_client, review):
    """The list's one action discards local changes: the select starts on Django's blank
    choice, as the admin's own list does, so a stray *Go* runs nothing."""
    response = admin_client.get(CHANGELIST)
    blank, _ = response.context["action_choices"][0]  # "---------" up to Django 5.2
    assert blank == ""


def test_the_admin_bulk_delete_is_not_offered_and_not_run(admin_client, review):
    response = admin_client.get(CHANGELIST)
    assert [name for name, _ in response.context["action_choices"]] == ["", "reset_to_snapshot"]
    form = {"action": "delete_selected", "index": "0", "_selected_action": ["1"], "post": "yes"}
    assert admin_client.post(CHANGELIST, form).status_code == 200
    assert Review.objects.filter(pk=1).exists()
    assert not Tombstone.objects.exists()


def test_change_with_an_unknown_product_is_a_form_error(admin_client, review):
    response = admin_client.post(f"{CHANGELIST}1/change/", admin_form(review, product_id="999"))
    assert "product_id" in response.context["adminform"].form.errors
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 1}


@pytest.mark.parametrize("key", ["999", "abc", "99999999999999999999999"])
def test_unknown_keys_redirect_with_a_message(admin_client, review, key):
    response = admin_client.get(f"{CHANGELIST}{key}/change/", follow=True)
    assert "doesn’t exist" in response.text


def test_a_product_name_must_be_unique_across_both_databases(admin_client, review):
    """The form's uniqueness check runs on the merged view."""
    form = {"name": "Pour-over kettle", "description": "A copy."}
    response = admin_client.post("/admin/products/product/add/", form)
    assert "already exists" in response.text


@override_settings(SHADOW_MODES={"reviews.Review": "snapshot"})
def test_in_snapshot_mode_the_admin_only_shows_rows(admin_client, review):
    assert admin_client.post(f"{CHANGELIST}1/change/", admin_form(review)).status_code == 403
    assert admin_client.post(f"{CHANGELIST}1/delete/", {"post": "yes"}).status_code == 403
    assert "From production." in admin_client.get(f"{CHANGELIST}1/change/").text
    assert rows_per_alias(Review) == {"default": 0, "snapshot": 1}


def test_the_admin_log_is_kept_on_default(admin_client, review):
    admin_client.post(f"{CHANGELIST}1/change/", admin_form(review))
    assert LogEntry.objects.using("default").get().object_id == "1"
