"""Make a production dump from a fixture: what the demo has instead of a download."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from common.command_output import CommandOutput
from shop.dumps import build_dump, read_fixture


class Command(CommandOutput, BaseCommand):
    help = "Write a SQLite file holding the shadowed tables, filled from a JSON fixture."

    def add_arguments(self, parser):
        parser.add_argument("fixture", type=Path, help="e.g. shop/fixtures/demo.snapshot.json")
        parser.add_argument("output", type=Path, help="the SQLite file to write")
        parser.add_argument(
            "--masked",
            action="store_true",
            help="mask the personal data (SNAPSHOT_MASKS) before a row is written, as a "
            "production-side dump step would",
        )

    def handle(self, fixture, output, masked=False, **options):
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent}: no such folder.")
        if output.exists():
            raise CommandError(f"{output} exists already: choose a new file name.")
        rows = read_fixture(fixture)
        build_dump(output, rows, masked)
        self.say(f"{output}: {len(rows)} rows from {fixture}{', masked' if masked else ''}")
