"""Sharding's pages as the shop grows: figure 9 (see scale.py)."""

from .scale import DEEP, deep_page, grow, scale_rows
from .sharding_shop import a_review, seed


def figure_9(empty, sizes, repeat, budget):
    """The latest reviews (page 1 and a deep page) and a product page, at every size.

    ``seed_reviews`` brings the shards to each size, adding to the last one.
    """
    built = 0

    def build(size):
        nonlocal built
        if not built:
            empty.restore()
        seed(size - built, products=1 if built else 500)
        built = size

    def pages():
        return {
            "latest reviews, page 1": "/reviews/",
            f"latest reviews, page {DEEP}": deep_page("/reviews/"),
            "product page": f"/products/{a_review().product_id}/",
        }

    costs, note = grow(sizes, build, pages, repeat, budget)
    return scale_rows("sharding", costs, note)
