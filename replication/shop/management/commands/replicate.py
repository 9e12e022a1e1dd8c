"""Copy the primary into its replicas: replication, simulated with SQLite files.

On PostgreSQL replication is real (each replica is a hot standby that streams every change
from the primary by itself), so this writes the heartbeat that measures their lag, and
resumes a standby's replay if a drill paused it (``pg_wal_replay_pause()``).
"""

import argparse
import fcntl
import math
import os
import shutil
import signal
import sqlite3
import time
from contextlib import closing, contextmanager

from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connections
from django.db.models.functions import Now

from common.command_output import CommandOutput
from common.db_errors import first_line, missing_table
from common.down import clock
from common.sqlite import database_file
from shop.models import Heartbeat
from shop.replicas import PRIMARY, REPLICAS

STREAMING = (
    "PostgreSQL: each standby streams every change from the primary by itself, so there "
    "is nothing to copy. Writing the heartbeat that measures their lag."
)
# Shorter than a copy takes, a pause would only spin the CPU.
MIN_INTERVAL = 0.1


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


class PrimaryUnreachable(CommandError):
    """The primary did not answer: its server is down or restarting, its file cannot be
    opened. Setting it up again would not help; --follow tries again."""

    def __init__(self, problem):
        self.reason = f"cannot be reached ({problem})"
        super().__init__(f"The primary {self.reason}.")


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
            self.follow(replicas, interval)
        except KeyboardInterrupt:
            self.say("Stopped: the replicas now fall behind the primary.")
        finally:
            signal.signal(signal.SIGTERM, previous)

    def follow(self, replicas, interval):
        """A round every interval, through any outage of the primary: dying there would
        leave every replica's heartbeat to age past REPLICA_MAX_LAG_SECONDS, and every
        read to move to the primary, long after it was back."""
        down_since = None
        while True:
            try:
                self.replicate(replicas)
            except PrimaryUnreachable as error:
                down_since = down_since or time.time()
                self.stderr.write(f"primary: {error.reason}: trying again in {interval:g} s")
            else:
                if down_since:
                    self.say(f"primary: answering again, down since {clock(down_since)}")
                down_since = None
            # As at the end of a request: a connection that failed, or that a restart of
            # its server ended, is closed (a pooled one goes back to its pool, which drops
            # it), and the next round connects afresh.
            close_old_connections()
            self.pause(interval)

    def pause(self, seconds):
        time.sleep(seconds)

    def replicate(self, replicas):
        """One round; on SQLite, never at the same time as another run's."""
        if connections[PRIMARY].vendor != "sqlite":
            return self.replicate_round(replicas)
        with self.one_run_at_a_time(database_file(PRIMARY)):
            return self.replicate_round(replicas)

    @contextmanager
    def one_run_at_a_time(self, primary):
        """Hold the lock beside the primary that every run copying it takes: two runs at
        once (a follower and one by hand) copy in turn. Otherwise a run slowed down in
        its copy swaps an older snapshot in over a newer one, and a reader sees reviews
        vanish. The system releases the lock when the process ends, however it ends."""
        path = primary.with_name(f"{primary.name}.replicate-lock")
        try:
            lock = open(path, "a")
        except OSError as error:
            raise CommandError(f"Cannot open {path} ({error.strerror}).") from None
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.say("Another replicate is copying: waiting for it to finish.")
                self.stdout.flush()  # before the wait, not after it
                fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def replicate_round(self, replicas):
        """Beat the heartbeat, then copy into each replica; the replicas it had to skip."""
        try:
            # The primary's clock, not this host's: the replicas read their lag by theirs
            # (shop/replicas.py, read_lag).
            Heartbeat.objects.using(PRIMARY).update_or_create(pk=1, defaults={"beat": Now()})
            beat = Heartbeat.objects.using(PRIMARY).get(pk=1).beat
        except DatabaseError as error:
            if missing_table(error):
                raise CommandError(
                    f"The primary is not set up ({first_line(error)}): run setup_demo."
                ) from None
            raise PrimaryUnreachable(first_line(error)) from None
        if connections[PRIMARY].vendor != "sqlite":
            self.say(f"heartbeat {beat:%H:%M:%S} written on the primary")
            return [alias for alias in replicas if not self.resume_replay(alias)]
        # The first replica copied, and its pages: the next ones copy its file.
        skipped, copied = [], None
        for alias in replicas:
            source, pages = copied or (PRIMARY, None)
            try:
                pages = copy_database(source, alias, pages)
            except (sqlite3.Error, OSError) as error:
                self.stderr.write(f"{alias}: skipped: {error}")
                skipped.append(alias)
                continue
            copied = copied or (alias, pages)
            # This process's own connection (a shell's call_command, a test) would keep
            # reading the file it had open: close it, as the end of a request does. One
            # in a transaction reads one copy to its end, as any reader's does.
            if not connections[alias].in_atomic_block:
                connections[alias].close()
            self.say(f"{alias}: copied {pages} pages, heartbeat {beat:%H:%M:%S}")
        return skipped

    def resume_replay(self, alias):
        """Let a standby replay what it streams, if it was paused; False if it cannot be
        reached (it catches up by itself once it is back)."""
        try:
            with connections[alias].cursor() as standby:
                standby.execute("SELECT pg_is_in_recovery()")
                if not standby.fetchone()[0]:  # postgres/failover.sh promoted it
                    self.say(f"{alias}: promoted, the primary now: no replay to resume")
                    return True
                standby.execute("SELECT pg_wal_replay_resume()")
        except DatabaseError as error:
            self.stderr.write(f"{alias}: skipped: {error}")
            return False
        self.say(f"{alias}: streaming, replay resumed")
        return True


def copy_database(source, target, pages=None):
    """Copy one alias's database over another's file, consistently, while both are in
    use; the pages copied.

    The copy is built in a new file beside the target, which no reader sees until it is
    complete and synced, then os.replace() swaps it in at once: a reader opens the
    previous copy or this one, never half of either. A connection already open keeps
    reading the previous copy, whole, until it reconnects (Django's, at the end of each
    request). The temporary file goes, whatever happens.

    With `pages`, the source is a replica this copy has just swapped in, that many pages
    long: a whole file that nothing writes into, copied byte for byte, at the speed of
    cp, and the same snapshot of the primary in every replica.
    """
    path = database_file(target)
    # One per process: two copies under way never write into the same file.
    building = path.with_name(f"{path.name}.{os.getpid()}.new")
    try:
        if pages is None:
            pages = build_copy(database_file(source), building)
        else:
            shutil.copyfile(database_file(source), building)
        with open(building, "r+b") as file:
            os.fsync(file.fileno())
        try:
            # A -wal beside the new file would be read as part of it: replicas copied
            # in place were in WAL mode, and a reader may have kept theirs.
            for end in ("-wal", "-shm"):
                path.with_name(path.name + end).unlink(missing_ok=True)
            os.replace(building, path)
        except OSError as error:
            raise OSError(f"cannot replace {path.name} ({error.strerror})") from None
    finally:
        building.unlink(missing_ok=True)
    return pages


def build_copy(source, building):
    """Copy the database in `source` into the new file `building`; its pages."""
    primary = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    # closing() for both: a copy that cannot be opened must not leave the primary open.
    with closing(primary), closing(sqlite3.connect(building)) as copy:
        # The copy reads every page: mapped into memory, a page is read without a system
        # call (SQLite caps the size at its own limit, 2 GB unless built otherwise).
        primary.execute(f"PRAGMA mmap_size = {1 << 40}")
        # Nobody reads this file until it is whole: it needs no journal, which would
        # write each page twice, nor a sync before the one at the end. A crash leaves
        # a stray file, never half a replica.
        copy.execute("PRAGMA journal_mode = OFF")
        copy.execute("PRAGMA synchronous = OFF")
        # In one step: one consistent snapshot of the primary, whatever it is writing.
        primary.backup(copy)
        # The copy says WAL, as the primary does; a WAL reader keeps a -wal and -shm
        # named after the file, which a file swapped in would share with readers of
        # the old one. A file nobody writes to is read as well without them.
        copy.execute("PRAGMA journal_mode = DELETE")
        return copy.execute("PRAGMA page_count").fetchone()[0]
