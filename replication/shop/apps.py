from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Replication"

    def ready(self):
        from .writes import watch_primary

        # Every new connection to the primary notices its writes (see writes.py).
        connection_created.connect(watch_primary)


class PrimaryAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with a site that reads and writes the primary only."""

    default = False
    default_site = "shop.admin.PrimaryAdminSite"
