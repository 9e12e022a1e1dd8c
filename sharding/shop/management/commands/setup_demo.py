"""Prepare every database of this pattern, as a learner would by hand."""

from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError, call_command
from django.db import OperationalError, connections, router, transaction
from django.db.migrations.executor import MigrationExecutor

from common.command_output import CommandOutput
from common.db_errors import first_line
from common.sqlite import create_database_file, database_file
from reviews.models import Review
from shop.coordinator import COORDINATOR
from shop.models import Bucket, Ticket
from shop.sharding import buckets_by_shard

DEMO_APPS = ["products", "reviews"]
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
LOST = (
    "{alias}: {problem}, and the bucket map gives it {buckets} buckets of reviews. Put its "
    "database back (from a backup): setup_demo never recreates a shard that held reviews, "
    "they would be gone without a word. To start the demo over, run setup_demo --reset."
)
LOST_TICKETS = (
    "tickets: {problem}, and the shards hold reviews: a new counter would hand out their "
    "ids again. Put tickets.sqlite3 back (from a backup). To start the demo over, run "
    "setup_demo --reset."
)
NO_DATABASE = (
    "setup_demo creates tables, not databases: create the missing one (on PostgreSQL, "
    "`make postgres-up` creates every database in settings), then run setup_demo again."
)


class Command(CommandOutput, BaseCommand):
    help = "Migrate every database, load its demo fixture, and create the admin user."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="start over: delete the SQLite files (on PostgreSQL, drop every table)",
        )
        parser.add_argument(
            "--admin",
            action="store_true",
            help="create admin / admin even with DEBUG off (it always is with DEBUG on)",
        )

    def handle(self, *args, reset=False, admin=False, **options):
        if reset:
            for alias in connections:
                self.start_over(alias)
        else:
            self.refuse_lost_shards()
        for alias in connections:
            self.create_file(alias)
        for alias in connections:
            self.connect(alias)
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
            self.drop_tables(alias)
            return
        connection.close()
        path = database_file(alias)
        for leftover in [path, *(Path(f"{path}{end}") for end in ("-wal", "-shm"))]:
            leftover.unlink(missing_ok=True)
        self.say(f"{alias}: deleted {path.name}")

    def drop_tables(self, alias):
        """What deleting the file does for SQLite: migrate then builds every table again,
        the bucket map's included (a flush would keep the tables but empty the map)."""
        self.connect(alias)
        connection = connections[alias]
        tables = connection.introspection.table_names()
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)} CASCADE")
        self.say(f"{alias}: dropped its {len(tables)} tables")

    def refuse_lost_shards(self):
        """A shard the bucket map gives buckets to, but whose file or table is gone, has lost
        its reviews: stop before anything is created, rather than refill it with the fixture."""
        if self.lost_file("default"):
            return  # never set up (or the map itself is lost): nothing to compare with
        self.connect("default")
        if Bucket._meta.db_table not in connections["default"].introspection.table_names():
            return  # never set up: no map, nothing to lose
        if problem := self.lost_file("tickets"):
            raise CommandError(LOST_TICKETS.format(problem=problem))
        by_shard = buckets_by_shard(Bucket.objects.layout())
        for alias in settings.SHARDS:
            problem = self.lost(alias)
            if problem and by_shard.get(alias):
                raise CommandError(
                    LOST.format(alias=alias, problem=problem, buckets=len(by_shard[alias]))
                )

    @staticmethod
    def lost_file(alias):
        """ "tickets.sqlite3 is missing" for a SQLite file that is gone, else None."""
        if connections[alias].vendor == "sqlite" and not database_file(alias).exists():
            return f"{database_file(alias).name} is missing"
        return None

    def lost(self, alias):
        """Why the shard's reviews cannot be there (its file or its table is gone), or None."""
        connection = connections[alias]
        if problem := self.lost_file(alias):
            return problem
        try:
            tables = connection.introspection.table_names()
        except OperationalError:
            return None  # connect() names a database that cannot be opened
        if Review._meta.db_table not in tables:
            return f"it has no table {Review._meta.db_table}"
        return None

    def create_file(self, alias):
        """Every alias opens with mode=rw, which never creates a file: make the empty one
        here. A PostgreSQL database is never created on connect either: `make postgres-up` did."""
        path = create_database_file(alias)
        if path:
            self.say(f"{alias}: created an empty {path.name}")

    @staticmethod
    def connect(alias):
        """A database that cannot be opened is named, with what to do, before any step."""
        try:
            connections[alias].ensure_connection()
        except OperationalError as error:
            message = f"{alias} cannot be opened: {first_line(error)}. {NO_DATABASE}"
            raise CommandError(message) from None

    def migrate(self, alias):
        executor = MigrationExecutor(connections[alias])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate", database=alias, verbosity=0)
        done = f"{len(pending)} migrations applied" if pending else "already up to date"
        self.say(f"{alias}: migrate --database={alias}: {done}")

    def load_fixture(self, alias):
        if alias == COORDINATOR:
            self.say(f"{alias}: holds no rows; manage.py fdw_coordinator builds its partitions")
            return
        if not (FIXTURES / f"demo.{alias}.json").exists():
            self.say(f"{alias}: no demo fixture, it holds no buckets yet")
            return
        if self.has_demo_data(alias):
            self.say(f"{alias}: has demo data already, fixture not loaded again")
            return
        output = StringIO()
        call_command("loaddata", "demo", database=alias, stdout=output)
        self.say(f"{alias}: loaddata demo --database={alias}: {output.getvalue().strip()}")

    @staticmethod
    def has_demo_data(alias):
        """Rows of the demo's apps, or a ticket counter that has moved: reloading the
        fixture over it would hand out again the ids of the reviews written since."""
        moved = Ticket.objects.using(alias).exclude(next=1)
        return (router.allow_migrate_model(alias, Ticket) and moved.exists()) or any(
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
