"""Who may open the merged admin lists and reset local work, as Django's admin decides."""

import pytest
from django.contrib.auth.models import Permission

from reviews.models import Review

from .helpers import (
    admin_review_form,
    create_author,
    rows_per_alias,
    snapshot_product,
    snapshot_review,
)

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"])
CHANGELISTS = ["/admin/products/product/", "/admin/reviews/review/"]
REVIEWS = "/admin/reviews/review/"


def staff(client, *codenames):
    """A staff user with only these permissions, logged in."""
    user = create_author("clerk")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


@pytest.fixture
def changed(admin_client):
    """Review 1 in the snapshot, changed locally in the admin."""
    author = create_author("bob")
    snapshot_review(1, snapshot_product(1).pk, author.pk)
    form = admin_review_form(product_id="1", author_id=str(author.pk))
    admin_client.post(f"{REVIEWS}1/change/", form)
    assert rows_per_alias(Review) == {"default": 1, "snapshot": 1}
    return admin_client


def reset(client, *keys):
    form = {"action": "reset_to_snapshot", "index": "0", "_selected_action": list(keys)}
    return client.post(REVIEWS, form, follow=True)


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_a_staff_user_without_view_permission_gets_403_on_a_merged_list(client, changelist):
    """Django's changelist_view refuses a user who may neither view nor change the model."""
    assert staff(client).get(changelist).status_code == 403


def test_a_user_who_may_only_view_gets_the_list_without_the_reset_action(client, changed):
    """Django's admin offers an action only with its allowed_permissions."""
    response = staff(client, "view_review").get(REVIEWS)
    assert [row.pk for row in response.context["page"]] == [1]
    assert response.context["action_choices"] == []


def test_reset_without_change_permission_discards_nothing(client, changed):
    """An action the user may not run is not run (Django's AdminActionsPermissionTests:
    "No action selected.")."""
    response = reset(staff(client, "view_review"), "1")
    assert "No action selected." in response.text
    assert rows_per_alias(Review) == {"default": 1, "snapshot": 1}


@pytest.mark.parametrize("key", ["abc", "99999999999999999999999", "1.5"])
def test_reset_with_a_forged_key_answers_with_a_message(changed, key):
    response = reset(changed, "1", key)
    assert response.status_code == 200
    assert f"“{key}” is not a review key: nothing was discarded." in response.text
    assert rows_per_alias(Review) == {"default": 1, "snapshot": 1}
