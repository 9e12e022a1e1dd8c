"""The sharded shop the figures run on: set up, seeded by its own command, and read."""

import sqlite3
from contextlib import closing
from io import StringIO


def prepare():
    """What setup_demo does, without its fixtures: the shard files, every migration, a user."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from common.sqlite import create_database_file

    for alias in settings.DATABASES:
        create_database_file(alias)
    for alias in settings.DATABASES:
        call_command("migrate", database=alias, verbosity=0)
    get_user_model().objects.create_superuser("admin", "admin@example.com", "admin")


def seed(count, products=500):
    from django.core.management import call_command

    call_command("seed_reviews", count=count, products=products, seed=1, stdout=StringIO())


def a_review():
    """The first review of the first shard that has one: its page, its product's page."""
    from django.conf import settings

    from reviews.models import Review

    for shard in settings.SHARDS:
        if review := Review.objects.using(shard).order_by("pk").first():
            return review
    raise RuntimeError("no review on any shard")


def pattern_aliases():
    from django.conf import settings

    return ["default", "tickets", *settings.SHARDS]


def allocator_reset():
    from shop.ids import allocator

    allocator.reset()


def review_table_sql():
    """The statements that make the shards' reviews_review table and its indexes."""
    from common.sqlite import database_file

    query = "SELECT sql FROM sqlite_master WHERE tbl_name = 'reviews_review' AND sql IS NOT NULL"
    with closing(sqlite3.connect(database_file("shard1"))) as shard:
        return [sql for (sql,) in shard.execute(query)]
