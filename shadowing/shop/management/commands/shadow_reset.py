"""Discard local changes: of every shadowed model, or of one."""

from django.apps import apps
from django.core.management import BaseCommand, CommandError

from common.command_output import CommandOutput
from common.db_errors import NOT_SET_UP, first_line
from common.db_status import server_down
from shop.local_changes import local_rows, reset, tombstones
from shop.shadow import LOCAL, shadowed_models


class Command(CommandOutput, BaseCommand):
    help = "Delete the local rows and tombstones of every shadowed model, or of one."

    def add_arguments(self, parser):
        parser.add_argument("model", nargs="?", help="app.Model, e.g. reviews.Review")
        # As Django's flush: --no-input, or interactive=False in call_command().
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="discard without asking",
        )

    def handle(self, *args, **options):
        try:
            self.run(*args, **options)
        except NOT_SET_UP as error:
            if down := server_down(error):
                raise CommandError(f"{down}: start it, then run this again.") from None
            raise CommandError(
                f"{first_line(error)}: is there a snapshot? Run setup_demo."
            ) from None

    def run(self, model=None, interactive=True, **options):
        chosen = shadowed_models() if model is None else [self.shadowed(model)]
        if interactive and not self.confirmed(chosen):
            self.say("Reset cancelled: nothing discarded.")
            return
        for each in chosen:
            rows, hidden = reset(each)
            self.say(
                f"{each._meta.label}: {rows} local row(s) and {hidden} tombstone(s) "
                "discarded; the snapshot shows through"
            )

    def confirmed(self, chosen):
        for each in chosen:
            rows, hidden = local_rows(each).count(), tombstones(each).count()
            self.stdout.write(
                f"{each._meta.label}: {rows} local row(s) and {hidden} tombstone(s) to discard"
            )
        self.stdout.flush()
        try:
            answer = input(
                f'This deletes them from the "{LOCAL}" database for good.\n'
                "Type 'yes' to continue, or 'no' to cancel: "
            )
        except EOFError:  # no one to answer: a script without --no-input
            raise CommandError(
                "No answer (input is closed): nothing discarded. Add --no-input to discard "
                "without asking."
            ) from None
        return answer == "yes"

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
