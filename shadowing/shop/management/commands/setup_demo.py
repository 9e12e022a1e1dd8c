"""Prepare both databases of this pattern, as a learner would by hand."""

import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from common.command_output import CommandOutput
from common.db_errors import reach
from common.sqlite import create_database_file, database_file
from shop.dumps import build_dump, read_fixture
from shop.local_keys import restart_local_keys
from shop.shadow import LOCAL, SNAPSHOT
from shop.snapshot import drop_snapshot, install, snapshot_label, taken_at

DEMO_DUMP = settings.BASE_DIR / "shop" / "fixtures" / "demo.snapshot.json"


class Command(CommandOutput, BaseCommand):
    help = "Migrate default, load its users, build the snapshot, and create the admin user."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="start over: delete the SQLite files (on PostgreSQL, empty both databases)",
        )
        parser.add_argument(
            "--admin",
            action="store_true",
            help="create admin / admin even with DEBUG off (it always is with DEBUG on)",
        )

    def handle(self, *args, reset=False, admin=False, **options):
        self.create_file()
        reach(LOCAL)  # the snapshot is built here, by its owner's connection
        if reset:
            for alias in connections:
                self.start_over(alias)
            self.create_file()
        self.migrate()
        self.load_users()
        self.take_demo_snapshot()
        self.create_admin(admin)
        self.say(
            self.style.SUCCESS(
                "Ready: python manage.py runserver (on http://127.0.0.1:8000/ by default)"
            )
        )

    def start_over(self, alias):
        connection = connections[alias]
        if connection.vendor != "sqlite":
            self.empty(alias)
            return
        connection.close()
        path = database_file(alias)
        for leftover in [path, *(Path(f"{path}{end}") for end in ("-wal", "-shm", "-journal"))]:
            leftover.unlink(missing_ok=True)
        self.say(f"{alias}: deleted {path.name}")

    def create_file(self):
        """default opens with "?mode=rw", which never creates a file: a fresh demo starts
        here (take_snapshot makes the snapshot's)."""
        path = create_database_file(LOCAL)
        if path:
            self.say(f"{LOCAL}: created an empty {path.name}")

    def empty(self, alias):
        if alias == SNAPSHOT:
            drop_snapshot()
            self.say(f"{SNAPSHOT}: every table of {snapshot_label()} dropped")
            return
        if not connections[alias].introspection.table_names():
            self.say(f"{alias}: no tables yet, nothing to empty")
            return
        call_command("flush", database=alias, interactive=False, verbosity=0)
        restart_local_keys()  # flush leaves the sequence: new rows start again at 10**12 + 1
        self.say(f"{alias}: flush --database={alias}: every table emptied")

    def migrate(self):
        executor = MigrationExecutor(connections[LOCAL])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate", database=LOCAL, verbosity=0)
        done = f"{len(pending)} migrations applied" if pending else "already up to date"
        self.say(f"{LOCAL}: migrate: {done}")

    def load_users(self):
        if get_user_model().objects.exists():
            self.say(f"{LOCAL}: has demo users already, fixture not loaded again")
            return
        output = StringIO()
        call_command("loaddata", "demo", database=LOCAL, stdout=output)
        self.say(f"{LOCAL}: loaddata demo: {output.getvalue().strip()}")

    def take_demo_snapshot(self):
        if taken_at() is not None:
            self.say(f"{SNAPSHOT}: {snapshot_label()} exists, not replaced")
            return
        new_key = not Path(settings.SNAPSHOT_MASK_KEY_FILE).exists()
        with tempfile.TemporaryDirectory() as folder:
            dump = Path(folder) / "production.sqlite3"
            rows = read_fixture(DEMO_DUMP)
            build_dump(dump, rows)
            install(dump)
        self.say(
            f"{SNAPSHOT}: build_dump {DEMO_DUMP.name}, take_snapshot: {len(rows)} rows, "
            "masked, read-only"
        )
        if new_key:
            self.say(f"masking key: made {Path(settings.SNAPSHOT_MASK_KEY_FILE).name}, yours only")

    def create_admin(self, asked):
        """admin / admin is for a demo on your own machine: with DEBUG off the site may be
        served to others, so it is made only when asked for."""
        users = get_user_model().objects
        if users.filter(username="admin").exists():
            self.say("admin user: exists already (created as admin / admin)")
        elif settings.DEBUG or asked:
            users.create_superuser("admin", "admin@example.com", "admin")
            self.say("admin user: created, log in as admin / admin")
        else:
            self.say("admin user: not created, DEBUG is off (setup_demo --admin makes it)")
