"""Copy the primary into its replicas: replication, simulated with SQLite files.

On PostgreSQL replication is real (each replica is a hot standby that streams every change
from the primary by itself), so this writes the heartbeat that measures their lag, and
resumes a standby's replay if a drill paused it (``pg_wal_replay_pause()``).
"""

import argparse
import math
import signal
import sqlite3
import time
from contextlib import closing

from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError, connections
from django.utils import timezone

from common.command_output import CommandOutput
from common.sqlite import database_file
from shop.models import Heartbeat
from shop.replicas import PRIMARY, REPLICAS

STREAMING = (
    "PostgreSQL: each standby streams every change from the primary by itself, so there "
    "is nothing to copy. Writing the heartbeat that measures their lag."
)
# Shorter than a copy takes, a pause would only spin the CPU.
MIN_INTERVAL = 0.1
# How long a copy waits for the replica's readers to end their transactions before it
# leaves the -wal as it is; the site's reads take milliseconds.
READER_WAIT_MS = 1000


def seconds(text):
    """--interval: a finite number of seconds, MIN_INTERVAL or more (nan fails every test)."""
    value = float(text)
    if not MIN_INTERVAL <= value < math.inf:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds from {MIN_INTERVAL} up"
        )
    return value


def interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(CommandOutput, BaseCommand):
    help = (
        "Copy the primary into every replica (or one) with SQLite's online backup API; "
        "on PostgreSQL, write the heartbeat and resume each standby's replay (they stream "
        "by themselves)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replica", choices=REPLICAS, help="copy into (or resume) this replica only"
        )
        parser.add_argument("--follow", action="store_true", help="copy again every interval")
        parser.add_argument(
            "--interval", type=seconds, default=10, help="seconds between copies (default 10)"
        )

    def handle(self, *args, replica=None, follow=False, interval=10, **options):
        streaming = connections[PRIMARY].vendor != "sqlite"
        if streaming:
            self.say(STREAMING)
        elif not database_file(PRIMARY).exists():
            raise CommandError(
                f"The primary {database_file(PRIMARY)} does not exist: run setup_demo."
            )
        replicas = [replica] if replica else REPLICAS
        if not follow:
            if skipped := self.replicate(replicas):
                raise CommandError(f"Not copied: {', '.join(skipped)} (see above).")
            return
        # SIGTERM stops it as Ctrl-C does: `kill`, a service manager and the end of
        # `make demo` send SIGTERM, and a background job ignores SIGINT.
        previous = signal.signal(signal.SIGTERM, interrupt)
        try:
            while True:
                self.replicate(replicas)
                time.sleep(interval)
        except KeyboardInterrupt:
            self.say("Stopped: the replicas now fall behind the primary.")
        finally:
            signal.signal(signal.SIGTERM, previous)

    def replicate(self, replicas):
        """Beat the heartbeat, then copy into each replica; the replicas it had to skip."""
        beat = timezone.now()
        try:
            Heartbeat.objects.using(PRIMARY).update_or_create(pk=1, defaults={"beat": beat})
        except DatabaseError as error:
            raise CommandError(f"The primary is not set up ({error}): run setup_demo.") from None
        if connections[PRIMARY].vendor != "sqlite":
            self.say(f"heartbeat {beat:%H:%M:%S} written on the primary")
            return [alias for alias in replicas if not self.resume_replay(alias)]
        skipped = []
        for alias in replicas:
            try:
                pages, emptied = self.copy_or_replace(alias)
            except (sqlite3.Error, OSError) as error:
                self.stderr.write(f"{alias}: skipped: {error}")
                skipped.append(alias)
                continue
            kept = "" if emptied else "; its -wal is kept: a reader is in a transaction"
            self.say(f"{alias}: copied {pages} pages, heartbeat {beat:%H:%M:%S}{kept}")
        return skipped

    def resume_replay(self, alias):
        """Let a standby replay what it streams, if it was paused; False if it cannot be
        reached (it catches up by itself once it is back)."""
        try:
            with connections[alias].cursor() as standby:
                standby.execute("SELECT pg_wal_replay_resume()")
        except DatabaseError as error:
            self.stderr.write(f"{alias}: skipped: {error}")
            return False
        self.say(f"{alias}: streaming, replay resumed")
        return True

    def copy_or_replace(self, alias):
        """Copy into a replica; one that is not a database any more (overwritten, removed
        mid-copy, unreadable) is deleted with its -wal and -shm and copied afresh. One that
        another copy holds is left alone: it is busy, not broken."""
        try:
            return copy_database(PRIMARY, alias)
        except sqlite3.Error as error:
            if error.sqlite_errorcode & 0xFF in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}:
                raise
            path = database_file(alias)
            try:
                for end in ("", "-wal", "-shm"):
                    path.with_name(path.name + end).unlink(missing_ok=True)
            except OSError as cannot:
                message = (
                    f"cannot copy into {path.name} ({error}), nor delete it ({cannot.strerror})"
                )
                raise OSError(message) from None
            self.stderr.write(
                f"{alias}: {path.name} cannot be copied into ({error}): replaced by a fresh copy"
            )
        return copy_database(PRIMARY, alias)


def copy_database(source, target):
    """Copy one alias's database into another's file, consistently, while both are in use.

    The backup API writes into the target through SQLite, so a reader that has the file
    open sees the new copy at its next transaction. Moving a new file into place instead
    would leave open connections reading the old one. Returns the pages copied, and
    whether the target's -wal was emptied.
    """
    primary = sqlite3.connect(f"{database_file(source).as_uri()}?mode=ro", uri=True)
    # closing() for both: a replica that cannot be opened must not leave the primary open.
    with (
        closing(primary),
        closing(sqlite3.connect(database_file(target), timeout=20)) as destination,
    ):
        # The copy reads every page: mapped into memory, a page is read without a system
        # call (SQLite caps the size at its own limit, 2 GB unless built otherwise).
        primary.execute(f"PRAGMA mmap_size = {1 << 40}")
        # The replica stays consistent after a crash (WAL), and the checkpoint that
        # follows syncs the file: the copy's commit need not sync the -wal too.
        destination.execute("PRAGMA synchronous = NORMAL")
        # In one step: one consistent snapshot, written in one transaction, so a reader
        # sees the previous copy or this one, never half of it.
        primary.backup(destination)
        return destination.execute("PRAGMA page_count").fetchone()[0], empty_wal(destination)


def empty_wal(database):
    """Move the copy from the -wal into the file and truncate the -wal; False if a reader
    in a transaction kept it.

    The backup writes every page into the replica's -wal, and closing moves them into the
    file only when no other connection has it open: with the site's readers connected,
    the -wal grew by the whole database on every copy. A reader merely connected does
    not block TRUNCATE; one in a transaction reads the -wal, so TRUNCATE waits for it,
    and past READER_WAIT_MS leaves the -wal to the next copy.
    """
    database.execute(f"PRAGMA busy_timeout = {READER_WAIT_MS}")
    busy, _, _ = database.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy
