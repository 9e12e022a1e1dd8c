"""Per shadowed model: rows added, changed and deleted locally (db_status gives the
counts with every database's health; this command lists the rows with -v 2)."""

from django.core.management import BaseCommand, CommandError

from common.db_errors import NOT_SET_UP, first_line
from common.db_status import server_down
from shop.local_changes import differences, status, values
from shop.shadow import LOCAL, SNAPSHOT, mode_of, shadowed_models


class Command(BaseCommand):
    help = "Count each shadowed model's local changes; -v 2 lists the rows and what changed."

    def handle(self, verbosity=1, **options):
        try:
            self.report(verbosity)
        except NOT_SET_UP as error:
            if down := server_down(error):
                raise CommandError(f"{down}: start it, then run this again.") from None
            raise CommandError(
                f"{first_line(error)}: is there a snapshot? Run setup_demo."
            ) from None

    def report(self, verbosity):
        for model in shadowed_models():
            changes = status(model)
            counts = ", ".join(f"{len(keys)} {kind}" for kind, keys in changes.items())
            if verbosity:
                self.stdout.write(f"{model._meta.label} ({mode_of(model)}): {counts}")
            if verbosity > 1:
                self.list_changes(model, changes)

    def list_changes(self, model, changes):
        rows = model._base_manager
        for key in changes["added"]:
            self.stdout.write(f"  added {key}: {rows.using(LOCAL).get(pk=key)}")
        originals = rows.using(SNAPSHOT).in_bulk(changes["changed"])
        for key in changes["changed"]:
            local = values(rows.using(LOCAL).get(pk=key))
            old = values(originals[key]) if key in originals else {}
            for name in differences(local, old):
                self.stdout.write(f"  changed {key}: {name} {old.get(name)!r} -> {local[name]!r}")
        for key in changes["deleted"]:
            self.stdout.write(f"  deleted {key}")
