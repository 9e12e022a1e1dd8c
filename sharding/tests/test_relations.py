"""A foreign key across databases is refused: the reason Review keeps plain ids."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from products.models import Product

pytestmark = pytest.mark.django_db(databases=["default"])


@isolate_apps("reviews")
def test_a_review_pointing_at_a_product_is_refused():
    """What Review would do with a ForeignKey: Django asks the router, which says no."""

    class ReviewWithForeignKey(models.Model):
        product = models.ForeignKey(Product, on_delete=models.CASCADE)

        class Meta:
            app_label = "reviews"

    product = Product.objects.create(name="Burr grinder")
    with pytest.raises(ValueError, match="the current database router prevents this relation"):
        ReviewWithForeignKey(product=product)
