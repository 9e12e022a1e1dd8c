"""Replace the snapshot with a newer production dump, keeping the local changes.

The personal data is masked as each row is copied, before it is written here, by the
rules in SNAPSHOT_MASKS (shop/masking.py); a column with no rule is refused."""

import logging
import signal
import threading
from contextlib import closing, contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError

from common.command_output import CommandOutput
from shop.dumps import check_dump, is_pg_dump, read_only
from shop.local_changes import claimed_in_snapshot, conflicts
from shop.originals import rebuild_originals
from shop.shadow import shadowed_models
from shop.snapshot import install, on_postgres, snapshot_file, snapshot_label, taken_at
from shop.subsets import subset_keys


class Stopped(KeyboardInterrupt):
    """Ctrl-C or SIGTERM, raised where the command is, so that it cleans up and says so.
    A KeyboardInterrupt, which psycopg answers by cancelling the statement under way and
    raising it again; any other exception would leave the connection mid-statement, and
    the rollback's error would replace this one."""


def not_a_teardown(record):
    """psycopg warns as it tears down a pipeline or a COPY that the signal cancelled
    ("error ignored terminating ..."): the command's own line says what happened."""
    return not record.getMessage().startswith("error ignored terminating")


@contextmanager
def stopped_by_signals():
    def stop(number, frame):
        logging.getLogger("psycopg").addFilter(not_a_teardown)
        raise Stopped(signal.Signals(number))

    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only, and only it may set their handlers
        return
    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        logging.getLogger("psycopg").removeFilter(not_a_teardown)


class Command(CommandOutput, BaseCommand):
    help = (
        "Copy a production dump (a SQLite file) over the snapshot: with the backup API, "
        "or on PostgreSQL into a schema beside it, swapped in; list the conflicts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="dump",
            type=Path,
            required=True,
            metavar="PATH",
            help="the production dump to install: a SQLite file (see build_dump)",
        )
        parser.add_argument(
            "--subset",
            type=int,
            metavar="N",
            help="only the first N products, their reviews and the reviews' authors",
        )

    def handle(self, dump, subset=None, **options):
        self.refuse(dump)
        keys = self.subset(dump, subset)
        new_key = not Path(settings.SNAPSHOT_MASK_KEY_FILE).exists()
        how = None
        with stopped_by_signals():
            try:
                before = self.claimed()
                how = install(dump, keys)
                self.say(f"snapshot: {dump} {how}")
                if new_key:
                    self.say(
                        f"masking key: made {Path(settings.SNAPSHOT_MASK_KEY_FILE).name}, "
                        "yours only; keep it out of the repository (a new key, new fakes)"
                    )
                for model in shadowed_models():
                    rebuild_originals(model)
                self.list_conflicts(before)
            except Stopped as stop:
                [number] = stop.args
                done = "was not replaced" if how is None else "was replaced, conflicts not listed"
                raise CommandError(
                    f"stopped by {number.name}: {snapshot_label()} {done}.",
                    returncode=128 + number,
                ) from None

    @staticmethod
    def refuse(dump):
        if on_postgres() and is_pg_dump(dump):
            raise CommandError(
                f"{dump} is a pg_dump archive, and take_snapshot copies SQLite dumps (made "
                "by build_dump). Restore it as the snapshot's owner instead: pg_restore "
                f"--clean --no-owner -U {settings.SNAPSHOT_OWNER} -d {snapshot_label()} {dump} "
                "(then no conflicts are listed, and the banner keeps the old time)."
            )
        snapshot = None if on_postgres() else snapshot_file()  # none yet, before the first
        if snapshot and snapshot.exists() and dump.exists() and dump.samefile(snapshot):
            raise CommandError(
                f"{dump} is the snapshot itself: take_snapshot copies a production dump over it."
            )
        check_dump(dump)

    def subset(self, dump, count):
        """The keys of the subset's rows, None for the whole dump; says what it takes."""
        if count is None:
            return None
        with closing(read_only(dump)) as db:
            keys = subset_keys(db, count)
        taken = ", ".join(
            f"{len(found)} {model._meta.verbose_name_plural}" for model, found in keys.items()
        )
        self.say(f"subset: {taken}, and nothing else")
        return keys

    def list_conflicts(self, before):
        found = conflicts(before, claimed_in_snapshot())
        for label, key, kind, what in found:
            self.say(f"conflict: {label} {key} was {kind} locally, and {what}")
        if not found:
            self.say("no conflicts: production left every row you changed alone")

    @staticmethod
    def claimed():
        """The rows the local side changed, as the old snapshot has them (none at first)."""
        if taken_at() is None:
            return {}
        try:
            return claimed_in_snapshot()
        except DatabaseError:  # not a snapshot of this shop: nothing to compare with
            return {}
