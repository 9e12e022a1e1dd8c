from django.apps import apps
from django.conf import settings
from django.core import checks

from .shadow import MODES


def check_shadow_modes(app_configs=None, **kwargs):
    """Every SHADOW_MODES entry names an installed model and one of the three modes."""
    errors = []
    for label, mode in settings.SHADOW_MODES.items():
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            errors.append(
                checks.Error(f"SHADOW_MODES names {label!r}, not a model.", id="shop.E001")
            )
        if mode not in MODES:
            errors.append(
                checks.Error(
                    f"SHADOW_MODES[{label!r}] is {mode!r}; choose one of {', '.join(MODES)}.",
                    id="shop.E002",
                )
            )
    return errors
