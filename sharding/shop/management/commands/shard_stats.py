"""How the reviews are spread: rows per shard and per bucket; db_status gives the
totals per shard with every database's health."""

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError
from django.db.models import Count
from django.utils.connection import ConnectionDoesNotExist

from common.command_output import CommandOutput
from common.db_errors import NOT_SET_UP, first_line
from common.db_status import server_down
from reviews.models import Review
from shop.models import Bucket
from shop.sharding import buckets_by_shard


class Command(CommandOutput, BaseCommand):
    help = "Print how many reviews each shard and each bucket holds."

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

    def run(self, *args, **options):
        layout = Bucket.objects.layout()
        per_bucket, missing = {}, []
        for shard, buckets in buckets_by_shard(layout, settings.SHARDS).items():
            try:
                counts = dict(
                    Review.objects.using(shard)
                    .filter(bucket__in=buckets)
                    .values_list("bucket")
                    .annotate(rows=Count("pk"))
                )
            except (DatabaseError, ConnectionDoesNotExist) as error:  # the latter: not in settings
                missing.append(f"{shard}: not available ({first_line(error)})")
                self.say(self.style.ERROR(missing[-1]))
                continue
            per_bucket |= {bucket: counts.get(bucket, 0) for bucket in buckets}
            total = sum(counts.values())
            self.say(f"{shard}: {len(buckets):2} buckets, {total:8} reviews")
        self.say(f"total: {sum(per_bucket.values())} reviews")
        for bucket in Bucket.objects.exclude(moving_to=""):
            self.say(
                f"bucket {bucket.number}: being moved from {bucket.shard} to {bucket.moving_to}, "
                "its writes refused: run reshard to finish the move"
            )
        self.say("bucket  shard   reviews")
        for bucket, shard in sorted(layout.items()):
            self.say(f"{bucket:6}  {shard:6}  {per_bucket.get(bucket, '-'):>7}")
        if missing:  # the total above leaves their reviews out
            raise CommandError("; ".join(missing), returncode=1)
