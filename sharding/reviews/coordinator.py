"""The pages' reads in SHARDING_READS = "fdw" mode: one query to the coordinator, whose
reviews_review joins the shards (shop/coordinator.py), where the app asks each shard."""

from django.conf import settings

from shop.coordinator import COORDINATOR
from shop.sharding import NUM_BUCKETS, bucket_for_product

from .models import Review
from .shards import FanOut


class Coordinator(FanOut):
    """A fan-out of one: every bucket read through the coordinator, which asks the shards.

    No map is read: the partitions' bounds are the map as the coordinator was last built
    with it (README, *A bucket moved under the partitions*).
    """

    def __init__(self):
        self.layout = dict.fromkeys(range(NUM_BUCKETS), COORDINATOR)
        self.by_shard = {COORDINATOR: list(self.layout)}
        self.missing = []

    def reviews_on(self, shard):
        """Every review: the partitions hold only their own buckets."""
        return Review.objects.using(shard).all()


def fan_out():
    """How the pages that read every shard read them: the app's fan-out, or the database's."""
    return Coordinator() if settings.SHARDING_READS == "fdw" else FanOut()


def product_reviews(product_id):
    """A product's reviews: on its shard; in "fdw" mode, where the router sends reads,
    the coordinator, told the bucket so that it asks that one partition."""
    if settings.SHARDING_READS == "fdw":
        return Review.objects.filter(bucket=bucket_for_product(product_id), product_id=product_id)
    return Review.objects.for_product(product_id)
