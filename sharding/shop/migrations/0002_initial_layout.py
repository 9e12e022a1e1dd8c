"""The first bucket map and the first ticket: buckets 0-19 on shard1, 20-39 on shard2,
40-59 on shard3. Later changes are `manage.py reshard`'s, never this migration's."""

from django.db import migrations

FIRST_SHARDS = ["shard1", "shard2", "shard3"]
NUM_BUCKETS = 60


def create(apps, schema_editor):
    Bucket = apps.get_model("shop", "Bucket")
    Ticket = apps.get_model("shop", "Ticket")
    alias = schema_editor.connection.alias
    per_shard = NUM_BUCKETS // len(FIRST_SHARDS)
    Bucket.objects.using(alias).bulk_create(
        Bucket(number=n, shard=FIRST_SHARDS[n // per_shard]) for n in range(NUM_BUCKETS)
    )
    Ticket.objects.using(alias).create(name="reviews", next=1)


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
