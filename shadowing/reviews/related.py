"""A cross-database prefetch: reviews get their products (merged) and authors.

``prefetch_related()`` follows foreign keys, and a review has none, so this does the
same by hand: one ``in_bulk()`` per model, however many reviews there are (for the
merged products, one query on each database and one for the keys the local side claims).
A production review's author is production's Reviewer, read from the snapshot (masked
by take_snapshot); a review written here names a local user.
"""

from django.contrib.auth import get_user_model

from products.models import Product
from shop.reading import snapshot_missing
from shop.shadow import LOCAL_KEYS_START

from .models import Reviewer


def attach_related(reviews, products=()):
    """Set .product and .author on each review (None if deleted); return them as a list.

    Products the caller has already fetched may be passed in to save their query.
    """
    reviews = list(reviews)
    products = by_pk(Product, {r.product_id for r in reviews}, products)
    made_here = {r.author_id for r in reviews if r.pk >= LOCAL_KEYS_START}
    production = {r.author_id for r in reviews if r.pk < LOCAL_KEYS_START}
    users = by_pk(get_user_model(), made_here)
    # Without the snapshot, production's authors are unknown, not an error page.
    reviewers = {} if not production or snapshot_missing() else by_pk(Reviewer, production)
    for review in reviews:
        review.product = products.get(review.product_id)
        authors = users if review.pk >= LOCAL_KEYS_START else reviewers
        review.author = authors.get(review.author_id)
    return reviews


def by_pk(model, pks, known=()):
    """{pk: row} for these pks: the rows known already, and one in_bulk() on the model's
    database for the others (none if there are none)."""
    known = {row.pk: row for row in known}
    return known | model.objects.in_bulk(pks - known.keys())
