"""Replace the snapshot with a newer production dump, keeping the local changes."""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError

from shop.dumps import check_dump, is_pg_dump
from shop.local_changes import claimed_in_snapshot, conflicts
from shop.snapshot import install, on_postgres, snapshot_label, taken_at


class Command(BaseCommand):
    help = (
        "Copy a production dump (a SQLite file) over the snapshot: with the backup API, "
        "or on PostgreSQL in one transaction; list the conflicts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="dump", type=Path, required=True, metavar="PATH")

    def handle(self, dump, **options):
        if on_postgres() and is_pg_dump(dump):
            raise CommandError(
                f"{dump} is a pg_dump archive, and take_snapshot copies SQLite dumps (made "
                "by build_dump). Restore it as the snapshot's owner instead: pg_restore "
                f"--clean --no-owner -U {settings.SNAPSHOT_OWNER} -d {snapshot_label()} {dump} "
                "(then no conflicts are listed, and the banner keeps the old time)."
            )
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
