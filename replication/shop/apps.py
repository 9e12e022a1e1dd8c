from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Replication"


class PrimaryAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with a site that reads and writes the primary only."""

    default = False
    default_site = "shop.admin.PrimaryAdminSite"
