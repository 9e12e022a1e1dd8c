from django.conf import settings
from django.core.management import CommandError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, OperationalError, models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from shop.bucket_map import shard_for
from shop.coordinator import COORDINATOR
from shop.down_shards import reach
from shop.ids import allocator, new_review_id, new_review_ids
from shop.models import Bucket, confirmed_write
from shop.routers import home_shard
from shop.sharding import BucketMoving, WrongShard, bucket_for_product, bucket_for_review

RATINGS = [(n, "★" * n) for n in range(1, 6)]


NO_SHARD_KEY = (
    "Reviews live on the shards, and this query gives the router nothing to route by, so "
    "it would run on 'default'. Name the shard: Review.objects.for_product(product_id) or "
    ".for_id(review_id) for one shard, reviews.shards.FanOut for every shard, or "
    ".using(shard)."
)


class ReviewQuerySet(models.QuerySet):
    @property
    def db(self):
        """The shard this query runs on; refused before any query when none is named
        (the postgres_fdw coordinator is let through: shop/coordinator.py).

        Without a review in hand the router has no opinion and Django falls back to
        "default", where there is no reviews table.
        """
        alias = super().db
        shard_or_coordinator = [*settings.SHARDS, COORDINATOR]
        if self._db is None and alias not in shard_or_coordinator:
            raise WrongShard(NO_SHARD_KEY)
        return alias

    def for_product(self, product_id):
        """The reviews of one product, on the one shard that holds them all."""
        return self.using(shard_for(bucket_for_product(product_id))).filter(product_id=product_id)

    def for_id(self, review_id):
        """One review, found from its id alone: the id carries its bucket."""
        return self.using(shard_for(bucket_for_review(review_id))).filter(pk=review_id)

    def stats_by_product(self):
        """{product id: {"count", "rated", "total"}}: sums that add up across shards."""
        rows = self.values("product_id").annotate(
            count=Count("pk"), rated=Count("rating"), total=Sum("rating")
        )
        return {row.pop("product_id"): row for row in rows}

    def bulk_create(self, objs, **kwargs):
        """Give each new review its bucket and id, then one bulk INSERT per shard."""
        objs = list(objs)
        for review in objs:
            review.bucket = bucket_for_product(review.product_id)
        fresh = [review for review in objs if review.pk is None]
        for review, pk in zip(fresh, new_review_ids([r.bucket for r in fresh]), strict=True):
            review.pk = pk
        layout = {n: shard_for(n, writing=True) for n in {r.bucket for r in objs}}
        by_shard = {}
        for review in objs:
            by_shard.setdefault(layout[review.bucket], []).append(review)
        if self._db and set(by_shard) - {self._db}:
            raise WrongShard(f"These reviews belong on {sorted(by_shard)}, not {self._db!r}.")
        for shard, reviews in by_shard.items():
            with confirmed_write(shard, {review.bucket for review in reviews}):
                super(ReviewQuerySet, self.using(shard)).bulk_create(reviews, **kwargs)
        return objs

    def update(self, **kwargs):
        return self._confirmed(super().update, **kwargs)

    update.alters_data = True

    def delete(self):
        return self._confirmed(super().delete)

    delete.alters_data = True
    delete.queryset_only = True

    def _confirmed(self, write, **kwargs):
        """Write to these rows, then confirm their buckets before it commits (see save())."""
        reach(self.db)
        with transaction.atomic(using=self.db):
            buckets = set(self.order_by().values_list("bucket", flat=True).distinct())
            result = write(**kwargs)
            Bucket.objects.confirm_write(self.db, buckets)
        return result


class Review(models.Model):
    # Lives on one shard, the one the bucket map gives its product's bucket. Its
    # product and author live on "default": plain ids, no foreign keys.
    id = models.BigIntegerField(primary_key=True, editable=False)  # ticket * 60 + bucket
    bucket = models.PositiveSmallIntegerField(db_index=True, editable=False)
    product_id = models.BigIntegerField(db_index=True)
    author_id = models.BigIntegerField(db_index=True)
    rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=RATINGS,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    text = models.TextField(max_length=5000)
    created = models.DateTimeField(default=timezone.now)  # indexed with the id: see Meta

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        # The latest reviews walk this, either way, from the last review shown; the id
        # breaks ties, so the walk never sorts (reviews/shards.py, latest_page).
        indexes = [models.Index(fields=["created", "id"], name="review_created_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__range=(1, 5)),
                name="rating_empty_or_1_to_5",
            )
        ]

    def __str__(self):
        return f"Review {self.pk} of product {self.product_id}"

    def save(self, *, using=None, **kwargs):
        """Write to the shard of the product's bucket, and nowhere else."""
        self.bucket = bucket_for_product(self.product_id)
        if self.pk is not None and bucket_for_review(self.pk) != self.bucket:
            raise WrongShard(f"Review {self.pk} cannot move to product {self.product_id}.")
        shard = shard_for(self.bucket, writing=True)
        if using not in (None, shard):
            raise WrongShard(
                f"A review of product {self.product_id} belongs on {shard} (bucket "
                f"{self.bucket}), not on {using!r}: use Review.objects.for_product("
                "product_id).create(...) or Review(...).save()."
            )
        fresh = self.pk is None
        if fresh:
            self.pk = new_review_id(self.bucket)
            kwargs["force_insert"] = True
        self._write(shard, fresh, **kwargs)

    def validate_constraints(self, exclude=None):
        """Django checks the rating's constraint with a query on the review's shard, and
        lets it pass if that query fails (Q.check). The shard is reached first, so that one
        remembered down is not waited for, and one found down now is waited for once: the
        save that follows is refused at once, and says why."""
        try:
            reach(home_shard(self))
        except OperationalError:
            return
        super().validate_constraints(exclude)

    def _write(self, shard, fresh, **kwargs):
        """Save on the shard; a new id found there already is given up for a fresh one."""
        try:
            with confirmed_write(shard, [self.bucket]):  # `reshard` may mark it meanwhile
                super().save(using=shard, **kwargs)
        except IntegrityError:
            if not (fresh and Review._base_manager.using(shard).filter(pk=self.pk).exists()):
                raise
            # This process's block of tickets predates a reset of the sequence
            # (`setup_demo --reset`): others take the same tickets now. Drop it.
            allocator.reset()
            self.pk = new_review_id(self.bucket)
            self._write(shard, False, **kwargs)

    def delete(self, using=None, keep_parents=False):
        """Delete from the shard of the review's bucket, unless `reshard` is moving it."""
        if self.pk is None:
            return super().delete(using=using, keep_parents=keep_parents)  # Django says why
        bucket = bucket_for_review(self.pk)
        shard = shard_for(bucket, writing=True)
        with confirmed_write(shard, [bucket]):
            return super().delete(using=shard, keep_parents=keep_parents)


@receiver(pre_save, sender=Review)
def refuse_a_fixture_row_off_its_shard(sender, instance, raw, using, **kwargs):
    """loaddata saves rows as they are (raw), past save(), on the --database it is given.

    Its router check is per model, so a review whose bucket is held by another shard
    would be installed where no page ever looks. A CommandError: only loaddata saves raw.
    A raw save has no confirmation of its own, so the map on "default" is asked too.
    """
    if not raw:
        return
    bucket = bucket_for_review(instance.pk)
    shard = shard_for(bucket)
    if shard != using or bucket != bucket_for_product(instance.product_id):
        raise CommandError(
            f"Review {instance.pk} of product {instance.product_id} is in bucket {bucket}, "
            f"which the map gives to {shard}, not to {using}: nothing was loaded. Load it "
            f"with --database={shard}."
        )
    try:
        Bucket.objects.confirm_write(using, [bucket])
    except BucketMoving as error:
        raise CommandError(f"{error} Nothing was loaded.") from None
