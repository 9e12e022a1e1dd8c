from django.conf import settings

from .bucket_map import shard_for
from .sharding import bucket_for_product, bucket_for_review

REVIEWS = "reviews"
TICKETS = "tickets"
TICKET = "shop.ticket"


def is_review(model):
    return model._meta.app_label == REVIEWS


def home_shard(review):
    """The shard the bucket map gives this review's bucket, by the lookup save() uses."""
    if review.pk is not None:
        return shard_for(bucket_for_review(review.pk))
    return shard_for(bucket_for_product(review.product_id))


def place(model, review):
    """Tickets on their own database; a review in hand on its shard; else no opinion."""
    if model._meta.label_lower == TICKET:
        return TICKETS
    return home_shard(review) if is_review(model) and review is not None else None


class ShardRouter:
    """Reviews to their shard, tickets to "tickets"; the rest of "default" is not ours."""

    def db_for_read(self, model, **hints):
        """A review in hand is read from its shard; without one there is nothing to go by."""
        return place(model, hints.get("instance"))

    def db_for_write(self, model, **hints):
        """A review in hand is written to its shard; without one, no opinion."""
        return place(model, hints.get("instance"))

    def allow_relation(self, obj1, obj2, **hints):
        """Reviews on one shard only; a review and a row of another database never."""
        if is_review(obj1) and is_review(obj2):
            return obj1._state.db == obj2._state.db
        return False if is_review(obj1) or is_review(obj2) else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Reviews on the shards, tickets on "tickets"; final: those hold nothing else."""
        if app_label == REVIEWS:
            return db in settings.SHARDS
        if f"{app_label}.{model_name}" == TICKET:
            return db == TICKETS
        return False if db in settings.SHARDS or db == TICKETS else None
