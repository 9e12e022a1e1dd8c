"""Shadowing's overlay page as the snapshot grows: figure 9 (see scale.py)."""

from .scale import grow, scale_rows
from .shadowing_shop import take_snapshot


def figure_9(folder, admin, sizes, repeat, budget):
    """A product's page through the overlay, at every size of the snapshot.

    The local changes on "default" stay as figure 7 left them; a new snapshot of each
    size is installed under them. Product 2 keeps the reviews it has at the smallest
    size: the others take the rest, so the page shows the same and counts the same.
    """

    def pages():
        return {"overlay: a product's page": "/products/2/"}

    def build(size):
        take_snapshot(folder, size, admin, spread=min(sizes))

    costs, note = grow(sizes, build, pages, repeat, budget)
    return scale_rows("shadowing", costs, note)
