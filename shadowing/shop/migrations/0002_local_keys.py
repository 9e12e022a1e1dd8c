"""The sequence new local rows take their keys from, on PostgreSQL (shop/local_keys.py).
SQLite has no sequences: there, each table's own AUTOINCREMENT counter is used."""

from django.db import migrations

# Written out, as a migration is frozen: shop.local_keys.SEQUENCE, LOCAL_KEYS_START + 1.
CREATE = "CREATE SEQUENCE shop_local_keys START WITH 1000000000001"


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE shop_local_keys")


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [migrations.RunPython(create_sequence, drop_sequence)]
