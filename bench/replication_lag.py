"""The consistency lab's shop: its own databases, and replicas a fixed LAG behind.

On SQLite, temporary files and a follower copying every LAG seconds in a thread; on
PostgreSQL (DEMO_DATABASE=postgres), a database of its own, bench_replication, with
both standbys held LAG behind by postgres/delay.sh and undone after, and the heartbeat
beaten every second.
"""

import os
import subprocess
from contextlib import contextmanager
from io import StringIO

from .harness import in_background
from .runner import ROOT

LAG = 0.2


@contextmanager
def following(interval):
    """`replicate` every interval in a thread: SQLite's copies, PostgreSQL's heartbeat."""
    from django.core.management import call_command
    from django.db import connections

    def follow(stop):
        while not stop.wait(interval):
            call_command("replicate", stdout=StringIO())
        connections.close_all()

    with in_background(follow):
        yield


def delay(value):
    for alias in ("replica1", "replica2"):
        script = ROOT / "postgres" / "delay.sh"
        subprocess.run([script, alias, value], check=True, capture_output=True, timeout=30)


@contextmanager
def lagging_shop(engine):
    """The shop on its own databases, the replicas LAG behind; yields (user, product id)."""
    from django.core.management import call_command

    from .replication_shop import prepare

    if engine == "sqlite":
        from .harness import start_django, temporary_folder

        with temporary_folder() as folder:
            start_django(folder)
            user = prepare()
            call_command("replicate", stdout=StringIO())
            with following(LAG):
                yield user, product_id()
        return
    with postgres_shop() as user:
        delay(f"{LAG * 1000:.0f}ms")
        try:
            with following(1.0):
                yield user, product_id()
        finally:
            delay("0")


@contextmanager
def postgres_shop():
    """The project's PostgreSQL settings on a database of its own, bench_replication."""
    from importlib import import_module

    os.environ["DJANGO_SETTINGS_MODULE"] = "shop.settings"
    settings = import_module("shop.settings")
    settings.DATABASES["default"]["TEST"] = {"NAME": "bench_replication"}
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    from products.models import Product

    from .data import add_admin

    created = setup_databases(verbosity=0, interactive=False)
    try:
        Product.objects.using("default").create(name="Product 1")
        call_command("replicate", stdout=StringIO())
        yield add_admin()
    finally:
        for alias in connections:
            connections[alias].close_pool()
        teardown_databases(created, verbosity=0)


def product_id():
    from products.models import Product

    return Product.objects.using("default").order_by("pk")[0].pk
