"""(Re)build the postgres_fdw coordinator from the bucket map: safe to run again, and
to run after every `reshard`, whose moves the partitions' bounds do not follow."""

from django.core.management import BaseCommand, CommandError
from django.db import connections

from common.command_output import CommandOutput
from shop.coordinator import COORDINATOR, TABLE, rebuild


class Command(CommandOutput, BaseCommand):
    help = "Build the coordinator database whose reviews_review joins the shards (postgres_fdw)."

    def handle(self, *args, **options):
        if COORDINATOR not in connections:
            raise CommandError(
                "The coordinator is PostgreSQL's (postgres_fdw): run this with "
                "DEMO_DATABASE=postgres, after `make postgres-up` and setup_demo."
            )
        target = connections[COORDINATOR].settings_dict["NAME"]
        for shard, buckets in rebuild().items():
            self.say(f"{TABLE}_{shard}: foreign table on {shard}, {len(buckets)} buckets")
        self.say(f"{target}: {TABLE} partitioned by bucket, rebuilt from the bucket map")
