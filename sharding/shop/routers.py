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
        """Two reviews only on one shard; a review and a row of "default" never (they are
        always on different databases, so this answer is final); others: no opinion."""
        if is_review(obj1) and is_review(obj2):
            return obj1._state.db == obj2._state.db
        return False if is_review(obj1) or is_review(obj2) else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """The reviews table on every shard and only there; a shard holds nothing else
        (final: no later router may put a table on it); other tables: no opinion."""
        if app_label == REVIEWS:
            return db in settings.SHARDS
        return False if db in settings.SHARDS else None
