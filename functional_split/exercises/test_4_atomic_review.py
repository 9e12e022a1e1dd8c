"""Exercise 4: writing a review is one transaction on the reviews' database."""

import pytest
from tests.helpers import create_author, create_product

from reviews.models import Review


@pytest.mark.django_db(databases=["default", "reviews"], transaction=True)
def test_a_review_that_fails_after_its_save_is_not_kept(client, monkeypatch):
    """A failure after the INSERT, in the same view, rolls the review back on "reviews"."""
    product, author = create_product(), create_author()
    client.force_login(author)

    def broken(*args, **kwargs):
        raise RuntimeError("the thank-you message failed")

    monkeypatch.setattr("reviews.views.messages.success", broken)
    with pytest.raises(RuntimeError):
        client.post("/reviews/new/", {"product_id": product.pk, "rating": 4, "text": "Good."})
    assert Review.objects.using("reviews").count() == 0, "the review was kept on reviews"
