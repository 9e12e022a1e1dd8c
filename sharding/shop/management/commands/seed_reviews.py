"""Write many synthetic reviews fast: one INSERT statement per shard and batch."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone

from common.command_output import CommandOutput
from common.db_errors import NOT_SET_UP, first_line
from common.db_status import server_down
from products.models import Product
from shop.bucket_map import shard_for
from shop.ids import new_review_ids
from shop.models import confirmed_write
from shop.resharding import insert_rows
from shop.sharding import BucketMoving, bucket_for_product

BATCH = 10_000
WORDS = "good fine loud quiet sturdy small heavy light worth it again broke".split()


class Command(CommandOutput, BaseCommand):
    help = "Add PRODUCTS products and COUNT reviews of them, spread over the shards."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000, help="reviews to write")
        parser.add_argument("--products", type=int, default=500, help="products to add")
        parser.add_argument("--seed", type=int, default=None, help="for repeatable data")

    def handle(self, *args, **options):
        try:
            self.run(*args, **options)
        except NOT_SET_UP as error:
            if down := server_down(error):
                raise CommandError(f"{down}: start it, then run this again.") from None
            raise CommandError(
                f"The databases are not set up ({first_line(error)}): "
                "run `python manage.py setup_demo`."
            ) from None
        except BucketMoving as error:
            raise CommandError(
                f"{error} The reviews written so far stay; seed again when it is done."
            ) from None

    def run(self, *args, count, products, seed, **options):
        if count < 1 or products < 1:
            raise CommandError("--count and --products must be at least 1.")
        authors = list(get_user_model().objects.values_list("pk", flat=True))
        if not authors:
            raise CommandError("No users to write reviews: run `python manage.py setup_demo`.")
        rng = random.Random(seed)
        product_ids = self.add_products(products)
        self.say(f"default: {len(product_ids)} products added")
        buckets = {pk: bucket_for_product(pk) for pk in product_ids}
        now, written = timezone.now(), 0
        while written < count:
            batch = [
                self.review(rng, product_ids, authors, now)
                for _ in range(min(BATCH, count - written))
            ]
            self.insert(batch, buckets)
            written += len(batch)
            done = f"reviews: {written}/{count} ({written * 100 // count}%)"
            self.progress(done, last=written == count)
        self.say("Done: `python manage.py shard_stats` shows where they went.")

    @staticmethod
    def insert(batch, buckets):
        """Refused if a bucket is being moved; else ids in one block, then per shard one
        statement run for all its rows, as `reshard` copies them (`insert_rows`), in a
        transaction that confirms the map before it commits: Review.objects.bulk_create()
        without the ORM's cost."""
        in_batch = sorted({buckets[product] for product, *_ in batch})
        shards = {bucket: shard_for(bucket, writing=True) for bucket in in_batch}
        by_shard = {}
        ids = new_review_ids([buckets[product] for product, *_ in batch])
        for pk, (product, *row) in zip(ids, batch, strict=True):
            bucket = buckets[product]
            by_shard.setdefault(shards[bucket], []).append((pk, bucket, product, *row))
        for shard, rows in by_shard.items():
            with confirmed_write(shard, {row[1] for row in rows}):
                insert_rows(shard, rows)

    @staticmethod
    def add_products(number):
        start = (Product.objects.aggregate(Max("pk"))["pk__max"] or 0) + 1
        names = [f"Seeded product {n}" for n in range(start, start + number)]
        Product.objects.bulk_create(Product(name=name) for name in names)
        return list(Product.objects.filter(name__in=names).values_list("pk", flat=True))

    @staticmethod
    def review(rng, product_ids, authors, now):
        """(product, author, rating, text, created): the order of the columns in INSERT."""
        return (
            rng.choice(product_ids),
            rng.choice(authors),
            rng.choice([None, 1, 2, 3, 4, 5]),
            " ".join(rng.choices(WORDS, k=6)).capitalize() + ".",
            now - timedelta(seconds=rng.randrange(365 * 24 * 3600)),
        )
