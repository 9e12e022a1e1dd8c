from django.apps import AppConfig
from django.core import checks


class ShopConfig(AppConfig):
    """The project's own app: settings, router, the overlay, the commands."""

    name = "shop"

    def ready(self):
        from .checks import check_shadow_modes, check_snapshot_masks

        checks.register(check_shadow_modes)
        checks.register(check_snapshot_masks)
