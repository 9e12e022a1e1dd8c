"""`manage.py db_status`: each alias reached or not (common/db_status.py), then the
spread of the reviews: buckets and reviews per shard, any bucket being moved, and the
state of each online move (shop/online_moves.py) and any replication slot one left.

A shard down, or missing from DATABASES, leaves the site degraded (exit 1): the pages
show the other shards' reviews and name it. So does a bucket whose writes a move
refuses, and a slot no move owns, which keeps the server's WAL until it is dropped.
"default" (the map, the products, the users) and "tickets" (without it no review can be
written on any shard) down: exit 2. The postgres_fdw coordinator down leaves it degraded
too: reads may go there, every write goes to the shards."""

from django.conf import settings
from django.db import connections

from common.db_status import StatusCommand
from reviews.models import Review
from shop.capture_postgres import slots_left_behind
from shop.coordinator import COORDINATOR
from shop.models import Bucket, OnlineMove
from shop.sharding import buckets_by_shard


class Command(StatusCommand):
    optional = [*settings.SHARDS, COORDINATOR]

    def facts(self, up):
        if "default" not in up:
            return {}  # the bucket map lives there
        layout = Bucket.objects.layout()
        shards = {}
        for shard, buckets in buckets_by_shard(layout, settings.SHARDS).items():
            shards[shard] = {"buckets": len(buckets), "reviews": None}
            if shard not in settings.DATABASES:
                self.degraded.append(
                    f"the map gives {len(buckets)} buckets to {shard}, not in DATABASES"
                )
            elif shard in up:
                rows = Review._base_manager.using(shard).filter(bucket__in=buckets)
                shards[shard]["reviews"] = rows.count()
        moving = Bucket.objects.exclude(moving_to="").values("number", "shard", "moving_to")
        self.degraded += [f"bucket {bucket['number']} refuses writes" for bucket in moving]
        online = list(OnlineMove.objects.values("bucket", "source", "target", "state"))
        slots = {
            shard: found
            for shard in up & set(settings.SHARDS)
            if connections[shard].vendor == "postgresql"
            and (found := slots_left_behind(shard, {move["bucket"] for move in online}))
        }
        self.degraded += [
            f"{shard}: slot {slot} left behind" for shard in slots for slot in slots[shard]
        ]
        return {"shards": shards, "moving": list(moving), "online": online, "slots": slots}

    def fact_lines(self, facts, verbosity):
        for shard, spread in facts.get("shards", {}).items():
            reviews = spread["reviews"]
            if shard not in settings.DATABASES:
                reviews = self.style.ERROR("not in DATABASES")
            elif reviews is None:
                reviews = self.style.ERROR("reviews unknown: the shard is down")
            else:
                reviews = f"{reviews} reviews"
            yield f"{shard}: {spread['buckets']} buckets, {reviews}"
        for bucket in facts.get("moving", []):
            yield self.style.WARNING(
                f"bucket {bucket['number']}: being moved from {bucket['shard']} to "
                f"{bucket['moving_to']}, its writes refused: run reshard to finish the move"
            )
        for move in facts.get("online", []):
            yield (
                f"bucket {move['bucket']}: online move from {move['source']} to "
                f"{move['target']}, {move['state']}"
            )
        for shard, slots in facts.get("slots", {}).items():
            for slot in slots:
                yield self.style.ERROR(
                    f"{shard}: replication slot {slot} left behind by an online move: it keeps "
                    "WAL until dropped (reshard --abort, or pg_drop_replication_slot)"
                )
