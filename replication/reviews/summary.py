"""A product's review summary (count, average rating), cached for TIMEOUT seconds.

A cache refilled from a lagging replica keeps the stale figure for its whole timeout,
long after the replica has caught up: no later read asks the database again. So after a
write, ``refresh()`` recomputes the summary on the primary, which holds the write, and
caches that, rather than deleting the key and letting the next reader refill it from a
replica (tests/test_cache.py).
"""

from django.core.cache import cache

from shop.pinning import use_primary

from .models import Review

TIMEOUT = 300


def summary_key(product_id):
    return f"review-summary:{product_id}"


def computed(product_id):
    """One aggregate, on the database reads go to now: a replica, unless pinned."""
    stats = Review.objects.filter(product_id=product_id).stats_by_product()
    return stats.get(product_id, {"count": 0, "average": None})


def summary(product_id):
    """From the cache, else computed and kept (add(): a refresh already there wins)."""
    return cache.get_or_set(summary_key(product_id), lambda: computed(product_id), TIMEOUT)


@use_primary()
def refresh(product_id):
    """After a write to this product's reviews: the primary's summary into the cache."""
    cache.set(summary_key(product_id), computed(product_id), TIMEOUT)
