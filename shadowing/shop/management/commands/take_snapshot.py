"""Replace the snapshot with a newer production dump, keeping the local changes."""

from pathlib import Path

from django.core.management import BaseCommand
from django.db import DatabaseError

from shop.dumps import check_dump
from shop.local_changes import claimed_in_snapshot, conflicts
from shop.snapshot import install, taken_at


class Command(BaseCommand):
    help = (
        "Copy a production dump (a SQLite file) over the snapshot: with the backup API, "
        "or on PostgreSQL in one transaction; list the conflicts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="dump", type=Path, required=True, metavar="PATH")

    def handle(self, dump, **options):
        check_dump(dump)
        before = self.claimed()
        how = install(dump)
        self.stdout.write(f"snapshot: {dump} {how}")
        found = conflicts(before, claimed_in_snapshot())
        for label, key, kind, what in found:
            self.stdout.write(f"conflict: {label} {key} was {kind} locally, and {what}")
        if not found:
            self.stdout.write("no conflicts: production left every row you changed alone")

    @staticmethod
    def claimed():
        """The rows the local side changed, as the old snapshot has them (none at first)."""
        if taken_at() is None:
            return {}
        try:
            return claimed_in_snapshot()
        except DatabaseError:  # not a snapshot of this shop: nothing to compare with
            return {}
