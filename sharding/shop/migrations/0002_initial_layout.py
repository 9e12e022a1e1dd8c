"""The first bucket map (on "default") and the first ticket (on "tickets"): buckets 0-19 on shard1, 20-39 on shard2,
40-59 on shard3. Later changes are `manage.py reshard`'s, never this migration's."""

from django.db import migrations

FIRST_SHARDS = ["shard1", "shard2", "shard3"]
NUM_BUCKETS = 60


def create_map(apps, schema_editor):
    Bucket = apps.get_model("shop", "Bucket")
    per_shard = NUM_BUCKETS // len(FIRST_SHARDS)
    Bucket.objects.using(schema_editor.connection.alias).bulk_create(
        Bucket(number=n, shard=FIRST_SHARDS[n // per_shard]) for n in range(NUM_BUCKETS)
    )


def create_ticket(apps, schema_editor):
    Ticket = apps.get_model("shop", "Ticket")
    Ticket.objects.using(schema_editor.connection.alias).create(name="reviews", next=1)


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    # The hints let the router run each where its table is: "default", then "tickets".
    operations = [
        migrations.RunPython(create_map, migrations.RunPython.noop, hints={"model_name": "bucket"}),
        migrations.RunPython(
            create_ticket, migrations.RunPython.noop, hints={"model_name": "ticket"}
        ),
    ]
