from django.apps import apps
from django.conf import settings
from django.core import checks

from .masking import KEEP, RULES, unruled
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


def check_snapshot_masks(app_configs=None, **kwargs):
    """Every SNAPSHOT_MASKS entry names a model, a rule for each of its fields but the key,
    and known rules: a field added to a model with personal data needs its rule."""
    errors = []
    for label, rules in settings.SNAPSHOT_MASKS.items():
        try:
            model = apps.get_model(label)
            columns = [field.column for field in model._meta.concrete_fields]
            missing = unruled(model, columns)
        except (LookupError, ValueError) as error:  # FieldDoesNotExist is a LookupError
            errors.append(checks.Error(f"SNAPSHOT_MASKS[{label!r}]: {error}", id="shop.E003"))
            continue
        if missing:
            errors.append(
                checks.Error(
                    f"SNAPSHOT_MASKS[{label!r}] has no rule for {', '.join(missing)}.",
                    id="shop.E004",
                )
            )
        for name, rule in rules.items():
            if rule != KEEP and rule not in RULES:
                errors.append(
                    checks.Error(
                        f"SNAPSHOT_MASKS[{label!r}][{name!r}] is {rule!r}; choose one of "
                        f"{', '.join([KEEP, *RULES])}.",
                        id="shop.E005",
                    )
                )
    return errors
