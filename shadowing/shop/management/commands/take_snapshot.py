"""Replace the snapshot with a newer production dump, keeping the local changes."""

from pathlib import Path

from django.core.management import BaseCommand
from django.db import OperationalError

from shop.local_changes import claimed_in_snapshot, conflicts
from shop.snapshot import check_dump, install, snapshot_file


class Command(BaseCommand):
    help = "Copy a production dump over the snapshot (backup API); list the conflicts."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="dump", type=Path, required=True, metavar="PATH")

    def handle(self, dump, **options):
        check_dump(dump)
        before = self.claimed()
        target = install(dump)
        self.stdout.write(f"snapshot: {dump} copied into {target.name} with the backup API")
        found = conflicts(before, claimed_in_snapshot())
        for label, key, kind, what in found:
            self.stdout.write(f"conflict: {label} {key} was {kind} locally, and {what}")
        if not found:
            self.stdout.write("no conflicts: production left every row you changed alone")

    @staticmethod
    def claimed():
        """The rows the local side changed, as the old snapshot has them (none at first)."""
        if not snapshot_file().exists():
            return {}
        try:
            return claimed_in_snapshot()
        except OperationalError:  # not a snapshot of this shop: nothing to compare with
            return {}
