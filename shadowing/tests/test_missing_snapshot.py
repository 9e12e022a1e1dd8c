"""Without its snapshot the site shows its local rows, as sharding does without a shard.

The snapshot's file moved away (SQLite) or its database unreachable (PostgreSQL): the
pages show the local rows under a banner naming the snapshot, new rows are still saved
locally, and a change that needs the snapshot's rows is refused with a message.
"""

import pytest
from django.db import OperationalError
from django.utils.html import escape

from common.testing import panel_alias, panel_counts, panel_sql
from products.models import Product
from reviews.models import Review
from shop.shadow import SnapshotMissing
from shop.snapshot import snapshot_file, snapshot_label

from .helpers import (
    ON_POSTGRES,
    admin_review_form,
    create_author,
    create_product,
    create_review,
    rows_per_alias,
    snapshot_missing,
    snapshot_product,
    snapshot_review,
)

pytestmark = pytest.mark.django_db(databases=["default", "snapshot"], transaction=True)


@pytest.fixture
def shop():
    """The kettle and its review 1 in the snapshot; a local jug with one review."""
    author = create_author()
    snapshot_review(1, snapshot_product(1).pk, author.pk)
    jug = create_product("Milk jug")
    create_review(jug, author, text="Local.")
    return jug


def banner():
    return f"snapshot ({snapshot_label()}) is not available: the rows it holds are missing"


def test_the_product_list_shows_the_local_rows_under_a_banner(client, shop, tmp_path):
    with snapshot_missing(tmp_path):
        response = client.get("/")
    assert response.status_code == 200
    assert [product.pk for product in response.context["products"]] == [shop.pk]
    assert response.context["products"][0].stats["count"] == 1
    assert banner() in response.text


def test_a_local_product_page_shows_its_local_reviews(client, shop, tmp_path):
    with snapshot_missing(tmp_path):
        response = client.get(f"/products/{shop.pk}/")
    assert [review.text for review in response.context["page"]] == ["Local."]
    assert banner() in response.text


def test_a_snapshot_product_page_answers_503_naming_the_snapshot(client, shop, tmp_path):
    with snapshot_missing(tmp_path):
        response = client.get("/products/1/")
    assert response.status_code == 503
    assert escape(f"snapshot ({snapshot_label()}) is not available") in response.text


def test_the_503_pages_panel_marks_the_snapshot_failed(client, shop, tmp_path):
    """The panel beside the 503 page marks the alias the page names, as it does for an
    error a database raised itself."""
    with snapshot_missing(tmp_path):
        response = client.get("/products/1/")
    assert panel_alias(response, "snapshot")["state"] == "failed"


def test_a_new_review_of_a_local_product_is_saved_locally(client, shop, tmp_path):
    client.force_login(create_author("carol"))
    with snapshot_missing(tmp_path):
        response = client.post("/reviews/new/", {"product_id": shop.pk, "text": "Still here."})
    assert response.status_code == 302
    assert Review._base_manager.using("default").filter(text="Still here.").exists()


def test_a_review_of_a_snapshot_product_is_a_form_error(client, shop, tmp_path):
    """The product may be in the snapshot: the form says so, and nothing is written."""
    client.force_login(create_author("carol"))
    with snapshot_missing(tmp_path):
        response = client.post("/reviews/new/", {"product_id": "1", "text": "Lost?"})
    assert "is not available" in response.context["form"].errors["product_id"][0]
    assert rows_per_alias(Review) == {"default": 1, "snapshot": 1}


def test_editing_a_snapshot_row_in_the_admin_is_refused_with_a_message(
    admin_client, shop, tmp_path
):
    form = admin_review_form(product_id="1", author_id=str(shop.pk))
    with snapshot_missing(tmp_path):
        response = admin_client.post("/admin/reviews/review/1/change/", form)
    assert response.status_code == 503
    assert escape(f"snapshot ({snapshot_label()}) is not available") in response.text
    assert rows_per_alias(Review) == {"default": 1, "snapshot": 1}


def test_an_update_over_the_merged_rows_is_refused(shop, tmp_path):
    """It would change the local rows and miss the snapshot's: it changes nothing."""
    with snapshot_missing(tmp_path):
        with pytest.raises(SnapshotMissing, match="nothing was changed"):
            Review.objects.update(rating=1)
    assert Review._base_manager.using("default").get().rating == 4


def test_a_missing_snapshot_is_not_an_operational_error(shop, tmp_path):
    """Code that retries OperationalError (a server restarting) would retry it forever:
    the overlay already tried, and the 503 page says so (common/db_errors.py)."""
    with snapshot_missing(tmp_path):
        with pytest.raises(SnapshotMissing) as refused:
            Review.objects.update(rating=1)
    assert not isinstance(refused.value, OperationalError)


def test_a_delete_over_the_merged_rows_is_refused(shop, tmp_path):
    with snapshot_missing(tmp_path):
        with pytest.raises(SnapshotMissing, match="nothing was changed"):
            Product.objects.all().delete()
    assert rows_per_alias(Product) == {"default": 1, "snapshot": 1}


def test_the_missing_snapshot_is_named_in_the_panel(client, shop, tmp_path):
    with snapshot_missing(tmp_path):
        response = client.get("/")
    assert "snapshot is not available" in panel_sql(response, "snapshot")
    assert panel_counts(response)["snapshot"] == 0


@pytest.mark.skipif(ON_POSTGRES, reason="connecting never creates a PostgreSQL database")
def test_no_page_creates_an_empty_snapshot_file(admin_client, shop, tmp_path):
    """SQLite creates a missing file it opens for writing (the test snapshot is writable):
    the site never opens a snapshot file that is not there."""
    with snapshot_missing(tmp_path):
        for url in ["/", f"/products/{shop.pk}/", "/reviews/new/", "/admin/products/product/"]:
            admin_client.get(url)
            assert not snapshot_file().exists()


def test_a_local_review_of_a_snapshot_product_does_not_call_it_deleted(client, shop, tmp_path):
    review = create_review(Product._base_manager.using("snapshot").get(pk=1), create_author("d"))
    with snapshot_missing(tmp_path):
        response = client.get(f"/reviews/{review.pk}/")
    assert response.context["review"].product is None
    assert "a deleted product" not in response.text
    assert "product 1, which the missing snapshot may hold" in response.text


def test_a_new_product_is_refused_as_its_name_cannot_be_checked(admin_client, shop, tmp_path):
    """A name must be unique across both databases, and the snapshot may hold this one."""
    form = {"name": "Pour-over kettle", "description": "A copy."}
    with snapshot_missing(tmp_path):
        response = admin_client.post("/admin/products/product/add/", form)
    assert response.status_code == 503
    assert escape(f"snapshot ({snapshot_label()}) is not available") in response.text
    assert rows_per_alias(Product) == {"default": 1, "snapshot": 1}
