"""Prepare every database of this pattern, as a learner would by hand."""

from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command
from django.db import connections, router
from django.db.migrations.executor import MigrationExecutor

from common.command_output import CommandOutput
from common.db_errors import reach
from common.sqlite import create_database_file, database_file

DEMO_APPS = ["products", "reviews"]


class Command(CommandOutput, BaseCommand):
    help = "Migrate every database, load its demo fixture, and create the admin user."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="start over: delete the SQLite files (on PostgreSQL, empty every table)",
        )
        parser.add_argument(
            "--admin",
            action="store_true",
            help="create admin / admin even with DEBUG off (it always is with DEBUG on)",
        )

    def handle(self, *args, reset=False, admin=False, **options):
        for alias in connections:
            self.create_file(alias)
        for alias in connections:
            reach(alias)
        if reset:
            for alias in connections:
                self.start_over(alias)
        for alias in connections:
            self.migrate(alias)
        for alias in connections:
            self.load_fixture(alias)
        self.create_admin(admin)
        self.say(
            self.style.SUCCESS(
                "Ready: python manage.py runserver (on http://127.0.0.1:8000/ by default)"
            )
        )

    def start_over(self, alias):
        connection = connections[alias]
        if connection.vendor != "sqlite":
            call_command("flush", database=alias, interactive=False, verbosity=0)
            self.say(f"{alias}: flush --database={alias}: every table emptied")
            return
        connection.close()
        path = database_file(alias)
        for leftover in [path, *(Path(f"{path}{end}") for end in ("-wal", "-shm"))]:
            leftover.unlink(missing_ok=True)
        self.say(f"{alias}: deleted {path.name}")
        self.create_file(alias)

    def create_file(self, alias):
        """The settings' "?mode=rw" never creates a file: a fresh demo starts here."""
        path = create_database_file(alias)
        if path:
            self.say(f"{alias}: created an empty {path.name}")

    def migrate(self, alias):
        executor = MigrationExecutor(connections[alias])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate", database=alias, verbosity=0)
        done = f"{len(pending)} migrations applied" if pending else "already up to date"
        self.say(f"{alias}: migrate --database={alias}: {done}")

    def load_fixture(self, alias):
        if self.has_demo_data(alias):
            self.say(f"{alias}: has demo data already, fixture not loaded again")
            return
        output = StringIO()
        call_command("loaddata", "demo", database=alias, stdout=output)
        self.say(f"{alias}: loaddata demo --database={alias}: {output.getvalue().strip()}")

    @staticmethod
    def has_demo_data(alias):
        return any(
            model._default_manager.using(alias).exists()
            for label in DEMO_APPS
            for model in apps.get_app_config(label).get_models()
            if router.allow_migrate_model(alias, model)
        )

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
