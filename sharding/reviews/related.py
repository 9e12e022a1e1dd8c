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
    products = by_pk(Product, {r.product_id for r in reviews}, products)
    authors = by_pk(get_user_model(), {r.author_id for r in reviews})
    for review in reviews:
        review.product = products.get(review.product_id)
        review.author = authors.get(review.author_id)
    return reviews


def by_pk(model, pks, known=()):
    """{pk: row} for these pks: the rows known already, and one in_bulk() on the model's
    database for the others (none if there are none)."""
    known = {row.pk: row for row in known}
    return known | model.objects.in_bulk(pks - known.keys())
