"""The bucket map's version (on "default"): one row, bumped by every change to the map."""

from django.db import migrations, models


def create_version(apps, schema_editor):
    MapVersion = apps.get_model("shop", "MapVersion")
    MapVersion.objects.using(schema_editor.connection.alias).create(number=0)


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_initial_layout")]

    operations = [
        migrations.CreateModel(
            name="MapVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        # The hint lets the router run it where the table is: "default".
        migrations.RunPython(
            create_version, migrations.RunPython.noop, hints={"model_name": "mapversion"}
        ),
    ]
