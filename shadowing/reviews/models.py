from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone

from shop.originals import original_model
from shop.shadowed import Shadowed

RATINGS = [(n, "★" * n) for n in range(1, 6)]


def stats_by_product(reviews):
    """{product id: {"count": n, "average": x}}: one GROUP BY per database, added up here.

    An average of averages is wrong, so each side returns its count, the number of
    ratings and their sum; the average is computed once both are in.
    """
    totals = {}
    for side in reviews.sides():
        rows = side.values("product_id").annotate(
            n=Count("pk"), rated=Count("rating"), sum=Sum("rating")
        )
        for row in rows:
            total = totals.setdefault(row["product_id"], {"count": 0, "rated": 0, "sum": 0})
            total["count"] += row["n"]
            total["rated"] += row["rated"]
            total["sum"] += row["sum"] or 0
    return {
        product_id: {"count": t["count"], "average": t["sum"] / t["rated"] if t["rated"] else None}
        for product_id, t in totals.items()
    }


class Reviewer(Shadowed):
    # Shadowed in "snapshot" mode: production's accounts of the people who write reviews,
    # read from the snapshot, never written here. Personal data: take_snapshot masks
    # every field as SNAPSHOT_MASKS (settings) says (shop/masking.py).
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    password = models.CharField(max_length=128)  # a hash, as Django's User keeps it
    address = models.TextField(blank=True)

    def __str__(self):
        return self.name


# On "default", as for every shadowed model, so that a switch to "overlay" needs no
# migration (shop/originals.py).
ReviewerOriginal = original_model(Reviewer)


class Review(Shadowed):
    # Shadowed, like products; its product may be on either database, and its author is
    # production's Reviewer (a production review) or a local user (one written here),
    # so both are plain ids (see reviews/related.py).
    product_id = models.BigIntegerField(db_index=True)
    author_id = models.BigIntegerField(db_index=True)
    rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=RATINGS,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    text = models.TextField(max_length=5000)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        # A product's page in the ordering's order, the key last: it walks this index
        # and stops at the page, instead of sorting every review of the product. The
        # snapshot's tables are made from these models (shop/dumps.py): it has it too.
        indexes = [models.Index(fields=["product_id", "created", "id"], name="product_newest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__range=(1, 5)),
                name="rating_empty_or_1_to_5",
            )
        ]

    def __str__(self):
        return f"Review {self.pk} of product {self.product_id}"


# On "default": the snapshot's version of each review changed or deleted locally
# (shop/originals.py), so that a count needs no list of their keys.
ReviewOriginal = original_model(Review)
