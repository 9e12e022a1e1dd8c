from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Q
from django.utils import timezone

RATINGS = [(n, "★" * n) for n in range(1, 6)]


class ReviewQuerySet(models.QuerySet):
    def stats_by_product(self):
        """{product id: {"count": n, "average": x}} in one query, grouped by the database."""
        rows = self.values("product_id").annotate(count=Count("pk"), average=Avg("rating"))
        return {row.pop("product_id"): row for row in rows}


class Review(models.Model):
    # Written to the primary, read from a replica like its product; its author is read
    # from the primary only (auth is not replicated for reads), so both are plain ids,
    # as in every pattern of this repository (see reviews/related.py).
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

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__range=(1, 5)),
                name="rating_empty_or_1_to_5",
            )
        ]

    def __str__(self):
        return f"Review {self.pk} of product {self.product_id}"
