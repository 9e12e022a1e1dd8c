"""The online moves in flight (on "default", beside the bucket map): shop/online_moves.py."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0003_mapversion")]

    operations = [
        migrations.CreateModel(
            name="OnlineMove",
            fields=[
                ("bucket", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("source", models.CharField(max_length=30)),
                ("target", models.CharField(max_length=30)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("copying", "copying"),
                            ("catching up", "catching up"),
                            ("fenced", "fenced"),
                            ("switched", "switched"),
                        ],
                        default="copying",
                        max_length=20,
                    ),
                ),
            ],
        ),
    ]
