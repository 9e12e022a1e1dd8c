"""A foreign key across databases is refused: the reason Review keeps plain ids."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.test.utils import isolate_apps

from products.models import Product
from reviews.models import Review

from .helpers import create_product, rows_per_alias

pytestmark = pytest.mark.django_db(databases=["default"])


@isolate_apps("reviews")
def test_a_review_pointing_at_a_product_is_refused():
    """What Review would do with a ForeignKey: Django asks the router, which says no."""

    class ReviewWithForeignKey(models.Model):
        product = models.ForeignKey(Product, on_delete=models.CASCADE)

        class Meta:
            app_label = "reviews"

    product = Product.objects.create(name="Burr grinder")
    refused = "the current database router prevents this relation"
    with pytest.raises(ValueError, match=refused):
        ReviewWithForeignKey(product=product)


@pytest.mark.django_db(databases=["default", "reviews"])
def test_try_foreign_key_shows_the_refusal_and_writes_nothing():
    """The README's runnable step: the command tries the relation and prints the refusal."""
    product = create_product()
    output = StringIO()
    call_command("try_foreign_key", stdout=output)
    assert f"product: {product} (id {product.pk}), read from default" in output.getvalue()
    assert "the current database router prevents this relation" in output.getvalue()
    assert rows_per_alias(Review) == {"reviews": 0}


def test_try_foreign_key_without_products_says_what_to_do():
    with pytest.raises(CommandError, match="run manage.py setup_demo first"):
        call_command("try_foreign_key")
