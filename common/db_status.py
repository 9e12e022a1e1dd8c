"""`manage.py db_status`: every alias reached or not, then the pattern's own facts.

Each alias is probed on a connection of its own, made from a copy of its settings and
closed at once: a stopped PostgreSQL server answers within CONNECT_TIMEOUT, and a
missing SQLite file is reported, never created. Each pattern's command subclasses
StatusCommand to add its facts.
"""

import json
import time

from django.apps import apps
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError, OperationalError, connections, router
from django.db.migrations.executor import MigrationExecutor

from .db_errors import failed_alias, first_line
from .sqlite import database_file

CONNECT_TIMEOUT = 2  # seconds: a server that does not answer by then is down


def own_connection(alias, name=None):
    """A new connection to an alias (to database `name` on its server, if given), as its
    settings say, with a short connect timeout."""
    settings = {**connections[alias].settings_dict} | ({"NAME": name} if name else {})
    if connections[alias].vendor == "postgresql":
        # One probe, one connection: no pool, even if the site's settings ask for one.
        options = {key: value for key, value in settings["OPTIONS"].items() if key != "pool"}
        settings["OPTIONS"] = options | {"connect_timeout": CONNECT_TIMEOUT}
    return type(connections[alias])(settings, alias)


def unreachable(alias):
    """Why an alias's PostgreSQL server cannot be reached, or "" if it answers, even to say
    that the alias's database is missing; SQLite has no server: "".

    Asked on the server's "postgres" database, as Django reaches a server to create a
    database (DatabaseWrapper._nodb_cursor), without the pool, whose error ("couldn't get
    a connection") is the same for a missing database and a server that is down.
    """
    if connections[alias].vendor != "postgresql":
        return ""
    connection = own_connection(alias, name="postgres")
    try:
        connection.ensure_connection()
    except OperationalError as error:
        return first_line(error)
    finally:
        connection.close()
    return ""


def server_down(error):
    """ "alias: its server cannot be reached (why)" for a database error that came from a
    server that does not answer, or "" if it answered (a database or a table missing, a
    statement refused): a command gives setup advice for those only."""
    alias = failed_alias(error) or getattr(error, "alias", None)
    why = unreachable(alias) if alias in connections else ""
    return f"{alias}: its server cannot be reached ({why})" if why else ""


def probe(alias):
    """Whether an alias answers, how fast, its size on disk and its unapplied migrations."""
    report = {"alias": alias, "up": False, "problem": None}
    report |= {"round_trip_ms": None, "size_bytes": None, "unapplied_migrations": None}
    if connections[alias].vendor == "sqlite" and (problem := file_problem(database_file(alias))):
        return report | {"problem": problem}
    connection = own_connection(alias)
    try:
        connection.ensure_connection()
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        round_trip = (time.perf_counter() - start) * 1000
        report |= {"size_bytes": size_on_disk(connection)}
        report |= {"unapplied_migrations": unapplied(connection)}
    except DatabaseError as error:
        return report | {"problem": first_line(error)}
    finally:
        connection.close()
    return report | {"up": True, "round_trip_ms": round(round_trip, 2)}


def file_problem(path):
    """Why a SQLite file cannot be a database, without opening it: opening a file that is
    not one fails in Django's connection setup, which then leaves the connection open."""
    if not path.is_file():
        return f"no file {path}" if not path.exists() else f"{path} is not a file"
    with path.open("rb") as file:
        header = file.read(16)
    return "" if header in (b"", b"SQLite format 3\0") else "file is not a database"


def size_on_disk(connection):
    if connection.vendor == "sqlite":
        return database_file(connection.alias).stat().st_size
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def unapplied(connection):
    """The migrations not applied on this alias, of the apps the routers let migrate there."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [str(migration) for migration, _ in plan if migrates(connection.alias, migration)]


def migrates(alias, migration):
    """Whether any model of the migration's app may be migrated to the alias, as
    makemigrations asks the routers."""
    models = apps.get_app_config(migration.app_label).get_models()
    return any(router.allow_migrate_model(alias, model) for model in models)


def size(size_bytes):
    return (
        f"{size_bytes / 1024:,.0f} KiB"
        if size_bytes < 1024**2
        else f"{size_bytes / 1024**2:,.1f} MiB"
    )


# The exit codes, for a monitor: all well; degraded (the site serves, with a part missing
# or refused); down (a database the site cannot serve without).
OK, DEGRADED, DOWN = 0, 1, 2
STATES = {OK: "ok", DEGRADED: "degraded", DOWN: "down"}


class StatusCommand(BaseCommand):
    help = (
        "One line per database alias: reachable or why not, round trip, size, unapplied "
        "migrations; then this pattern's facts. Exits 0 if all is well, 1 if the site is "
        "degraded (a database it can do without is down, or a fact says so), 2 if a "
        "database it cannot serve without is down."
    )
    # Aliases whose loss the site survives, degraded: exit 1, where a needed one's is 2.
    optional = ()

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text for people (the default), json for a monitor",
        )

    def handle(self, *args, format="text", verbosity=1, **options):
        reports = [probe(alias) | {"needed": alias not in self.optional} for alias in connections]
        up = {report["alias"] for report in reports if report["up"]}
        self.problems = [r["alias"] for r in reports if r["needed"] and not r["up"]]
        # Why the site is degraded, one line each: the facts add theirs.
        self.degraded = [f"{r['alias']} is down" for r in reports if not (r["needed"] or r["up"])]
        try:
            facts, unreadable = self.facts(up), None
        except DatabaseError as error:  # reachable, but not this project's tables (yet)
            facts, unreadable = {}, f"facts not read: {first_line(error)}"
        code = DOWN if self.problems or unreadable else DEGRADED if self.degraded else OK
        if format == "json":
            data = {"ok": code == OK, "status": STATES[code], "degraded": self.degraded}
            data |= {"aliases": reports, "facts": facts, "unreadable": unreadable}
            self.stdout.write(json.dumps(data, indent=2))
        elif verbosity:
            for report in reports:
                self.stdout.write(self.alias_line(report, verbosity))
            for line in self.fact_lines(facts, verbosity) if facts else ():
                self.stdout.write(line)
        if self.problems:
            raise CommandError(f"needed and down: {', '.join(self.problems)}", returncode=DOWN)
        if unreadable:
            raise CommandError(f"{unreadable} (run migrate, then setup_demo)", returncode=DOWN)
        if self.degraded:
            raise CommandError(f"degraded: {'; '.join(self.degraded)}", returncode=DEGRADED)

    def alias_line(self, report, verbosity):
        alias = f"{report['alias']:<9}"
        if not report["up"]:
            style = self.style.ERROR if report["needed"] else self.style.WARNING
            return f"{alias} {style('down')}: {report['problem']}"
        pending = report["unapplied_migrations"]
        migrations = f"{len(pending)} unapplied migrations" if pending else "migrations applied"
        if pending and verbosity > 1:
            migrations += f" ({', '.join(pending)})"
        facts = [f"{report['round_trip_ms']:.1f} ms", size(report["size_bytes"]), migrations]
        return f"{alias} {self.style.SUCCESS('up')}, {', '.join(facts)}"

    def facts(self, up):
        """This pattern's own facts, as JSON data, read from the aliases in ``up`` only."""
        return {}

    def fact_lines(self, facts, verbosity):
        """The facts, for people."""
        return []


def replication_slots(alias):
    """The replication slots of a PostgreSQL primary, one dict each: whether its standby is
    streaming (active), whether the WAL it needs is still kept (wal_status: reserved,
    extended, unreserved, lost), from where (restart_lsn), how many bytes of WAL it holds
    back, and how many more may be written before it is lost (safe_wal_size, None when
    max_slot_wal_keep_size is -1: no limit, until the disk is full)."""
    connection = own_connection(alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT slot_name AS slot, active, wal_status, restart_lsn::text,"
                " pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint"
                " AS retained_bytes, safe_wal_size FROM pg_replication_slots ORDER BY 1"
            )
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        connection.close()
