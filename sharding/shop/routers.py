from django.conf import settings

from .models import Bucket
from .sharding import bucket_for_product, bucket_for_review

REVIEWS = "reviews"


def is_review(model):
    return model._meta.app_label == REVIEWS


def home_shard(review):
    """The shard the bucket map gives this review's bucket (one query on "default")."""
    if review.pk is not None:
        bucket = bucket_for_review(review.pk)
    else:
        bucket = bucket_for_product(review.product_id)
    return Bucket.objects.get(number=bucket).shard


class ShardRouter:
    """Send each review to its shard; everything else stays on "default"."""

    def db_for_read(self, model, **hints):
        """A review in hand is read from its shard; without one there is nothing to go by."""
        review = hints.get("instance")
        return home_shard(review) if is_review(model) and review is not None else None

    def db_for_write(self, model, **hints):
        """A review in hand is written to its shard; without one, no opinion (see save())."""
        review = hints.get("instance")
        return home_shard(review) if is_review(model) and review is not None else None

    def allow_relation(self, obj1, obj2, **hints):
        """A relation may not cross databases: both sides reviews, or neither."""
        return is_review(obj1) == is_review(obj2)

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """The reviews table on every shard and only there; every other table on default."""
        return (db in settings.SHARDS) == (app_label == REVIEWS)
