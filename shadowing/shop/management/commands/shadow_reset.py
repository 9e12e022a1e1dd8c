"""Discard local changes: of every shadowed model, or of one."""

from django.apps import apps
from django.core.management import BaseCommand, CommandError

from common.db_errors import NOT_SET_UP, first_line
from shop.local_changes import reset
from shop.shadow import shadowed_models


class Command(BaseCommand):
    help = "Delete the local rows and tombstones of every shadowed model, or of one."

    def add_arguments(self, parser):
        parser.add_argument("model", nargs="?", help="app.Model, e.g. reviews.Review")

    def handle(self, *args, **options):
        try:
            self.run(*args, **options)
        except NOT_SET_UP as error:
            raise CommandError(
                f"{first_line(error)}: is there a snapshot? Run setup_demo."
            ) from None

    def run(self, model=None, **options):
        for chosen in [self.shadowed(model)] if model else shadowed_models():
            rows, tombstones = reset(chosen)
            self.stdout.write(
                f"{chosen._meta.label}: {rows} local row(s) and {tombstones} tombstone(s) "
                "discarded; the snapshot shows through"
            )

    @staticmethod
    def shadowed(label):
        names = ", ".join(model._meta.label for model in shadowed_models())
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            raise CommandError(f"Unknown model {label!r}; shadowed models: {names}.") from None
        if model not in shadowed_models():
            raise CommandError(f"{model._meta.label} is not shadowed; shadowed models: {names}.")
        return model
