"""Exercise 3: the cascade done later, by a command: delete_orphan_reviews."""

import pytest
from django.core.management import call_command
from tests.helpers import create_author, create_product, create_review

from reviews.models import Review

pytestmark = pytest.mark.django_db(databases=["default", "reviews"])


@pytest.fixture
def orphans():
    """Two reviews of a deleted product, one of a product that is still there."""
    author, gone, kept = create_author(), create_product("Gone"), create_product("Kept")
    create_review(gone, author), create_review(gone, author)
    create_review(kept, author)
    gone.delete()
    return kept


def test_the_reviews_of_deleted_products_are_deleted(orphans):
    """delete_orphan_reviews deletes every review whose product is gone, on "reviews"."""
    call_command("delete_orphan_reviews")
    left = Review.objects.using("reviews").values_list("product_id", flat=True)
    assert list(left) == [orphans.pk]


def test_the_command_says_how_many_it_deleted(orphans, capsys):
    """It prints the number of reviews it deleted."""
    call_command("delete_orphan_reviews")
    assert "deleted 2 reviews" in capsys.readouterr().out
