"""A cross-database prefetch: reviews get their products and authors from "default".

``prefetch_related()`` follows foreign keys, and a review has none, so this does the
same by hand: one ``in_bulk()`` per model, however many reviews there are.
"""

from django.contrib.auth import get_user_model

from products.models import Product


def attach_related(reviews, products=()):
    """Set .product and .author on each review (None if deleted); return them as a list.

    Products the caller has already fetched may be passed in to save their query.
    """
    reviews = list(reviews)
    known = {product.pk: product for product in products}
    missing = {review.product_id for review in reviews} - known.keys()
    products = known | Product.objects.in_bulk(missing)
    authors = get_user_model().objects.in_bulk({review.author_id for review in reviews})
    for review in reviews:
        review.product = products.get(review.product_id)
        review.author = authors.get(review.author_id)
    return reviews
