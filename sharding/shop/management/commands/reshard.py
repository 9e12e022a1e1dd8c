"""Spread the buckets evenly over every shard in settings, moving as few as it must."""

import signal
from contextlib import contextmanager

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from common.command_output import CommandOutput
from common.db_errors import NOT_SET_UP, first_line
from common.db_status import server_down, unreachable
from shop import online_moves, resharding

# What a shell reports for a command stopped by Ctrl-C: 128 + SIGINT.
INTERRUPTED = 130


@contextmanager
def sigterm_as_ctrl_c():
    """`kill` stops reshard as Ctrl-C does, with the same message and the same clean state."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Command(CommandOutput, BaseCommand):
    help = "Move buckets of reviews so every shard in settings.SHARDS holds an even share."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print the plan only")
        parser.add_argument(
            "--drain",
            action="append",
            default=[],
            metavar="SHARD",
            help="move every bucket off this shard, before it is removed from settings",
        )
        parser.add_argument(
            "--online",
            action="store_true",
            help="move each bucket while it takes writes, refusing them for the switch only",
        )
        parser.add_argument(
            "--abort",
            action="store_true",
            help="return every bucket an online move left in flight to its source",
        )

    def handle(self, *args, **options):
        try:
            with sigterm_as_ctrl_c():
                self.run(*args, **options)
        except KeyboardInterrupt:
            raise CommandError(
                "Interrupted: nothing is lost. Run reshard again to finish the bucket it was "
                "moving.",
                returncode=INTERRUPTED,
            ) from None
        except NOT_SET_UP as error:
            if down := server_down(error):
                raise CommandError(
                    f"{down}: nothing is lost. Start it, then run reshard again."
                ) from None
            raise CommandError(
                f"{first_line(error)}: nothing is lost. Run setup_demo first, or bring the "
                "missing shard back, then run reshard again."
            ) from None

    def run(self, *args, dry_run=False, drain=(), online=False, abort=False, **options):
        if abort:
            return self.abort_online()
        shards = self.shards_to_keep(drain)
        self.resume_online(dry_run)
        moves = resharding.plan(shards)
        self.check_targets(moves)
        if not dry_run:
            resharding.release_unplanned(moves)
        stray = self.finish_half_done(shards, dry_run)
        for number, (bucket, source, target) in enumerate(moves, 1):
            prefix = f"[{number}/{len(moves)}] bucket {bucket}: {source} → {target}"
            if dry_run:
                rows = resharding.rows(source, bucket).count()
                self.say(f"{prefix}: would move {rows} rows")
            elif online:
                self.move_online(prefix, online_moves.move_online, bucket, source, target)
            else:
                self.move(prefix, bucket, source, target)
        if not moves and not stray:
            self.say("Nothing to move: every shard holds its share of buckets.")

    @staticmethod
    def shards_to_keep(drain):
        """settings.SHARDS without the drained ones; refused if the map names an unknown shard."""
        for shard, buckets in resharding.unknown_shards().items():
            raise CommandError(
                f"The bucket map gives {len(buckets)} buckets to {shard}, which is not in "
                f"DATABASES: their reviews cannot be read. Put {shard} back in DATABASES, run "
                f"`reshard --drain {shard}`, then remove it."
            )
        unknown = set(drain) - set(settings.SHARDS)
        if unknown:
            raise CommandError(f"Cannot drain {', '.join(sorted(unknown))}: not in SHARDS.")
        shards = [shard for shard in settings.SHARDS if shard not in drain]
        if not shards:
            raise CommandError("Cannot drain every shard: the reviews need one to live on.")
        return shards

    def finish_half_done(self, shards, dry_run):
        """Delete the rows an interrupted run left on a shard the map no longer points to."""
        stray = resharding.leftovers(shards)
        for bucket, shard in stray:
            if lacking := resharding.only_copies(bucket, shard):
                raise CommandError(
                    f"bucket {bucket}: {lacking} of its rows on {shard} are not on the shard "
                    "the map gives it, so they are no leftovers: nothing deleted. Was the map "
                    "(default) restored from an older backup than the shards? Restore all "
                    "of them to one point in time (sharding's README, Traps)."
                )
        for bucket, shard in stray:
            if dry_run:
                rows = resharding.rows(shard, bucket).count()
                self.say(f"bucket {bucket}: would delete {rows} rows left on {shard}")
            else:
                deleted = resharding.delete_source(bucket, shard)
                self.say(f"bucket {bucket}: deleted {deleted} rows left on {shard}")
        return stray

    @staticmethod
    def check_targets(moves):
        """A shard that cannot take rows is refused before any bucket is marked."""
        for target in sorted({target for _, _, target in moves}):
            problem = resharding.not_ready(target)
            if problem and (why := unreachable(target)):
                raise CommandError(
                    f"{target}: its server cannot be reached ({why}): no bucket was marked. "
                    "Start it, then run reshard again."
                )
            if problem:
                raise CommandError(
                    f"{target} cannot take buckets ({problem}): no bucket was marked. Create "
                    f"it and run `migrate --database={target}`, then run reshard again."
                )

    def move(self, prefix, bucket, source, target):
        resharding.mark(bucket, target)
        try:
            resharding.wait_for_writes(source, self.say)
        except resharding.WritesInTheWay as error:
            resharding.unmark(bucket)
            raise CommandError(
                f"{prefix}: {error}; the bucket takes writes again, nothing was moved. "
                f"Find it in pg_stat_activity on {source}, let it end, then run reshard again."
            ) from None
        copied = resharding.copy(bucket, source, target)
        if not resharding.verify(bucket, source, target):
            raise CommandError(
                f"{prefix}: the copy on {target} differs from {source}; nothing was "
                "switched. Run reshard again to copy the bucket afresh."
            )
        resharding.switch(bucket, source, target)
        deleted = resharding.delete_source(bucket, source)
        self.say(f"{prefix}: {copied} rows copied, verified, switched, {deleted} deleted")

    def move_online(self, prefix, run, *args):
        """run(*args): an online move begun, or resumed; one line of what it did."""
        try:
            done = run(*args)
        except (online_moves.NotVerified, resharding.WritesInTheWay) as error:
            raise CommandError(
                f"{prefix}: {error}; the bucket takes writes again, nothing was switched. Run "
                "reshard --online again, or reshard --abort to return it to its source."
            ) from None
        copied = "" if done["copied"] is None else f"{done['copied']} rows copied, "
        fenced = f"writes refused {done['fenced_s'] * 1000:.0f} ms, " if "fenced_s" in done else ""
        self.say(
            f"{prefix}: {copied}{done['caught_up']} changes caught up, verified, {fenced}"
            f"switched, {done['deleted']} deleted (online)"
        )

    def resume_online(self, dry_run):
        """Finish the online moves a killed run left, toward the shard each state names."""
        for move in online_moves.in_flight():
            prefix = f"bucket {move.bucket}: {move.source} → {move.target}"
            if dry_run:
                self.say(f"{prefix}: would resume its online move, {move.state}")
            else:
                self.move_online(f"{prefix}, resumed {move.state}", online_moves.resume, move)

    def abort_online(self):
        moves = online_moves.in_flight()
        for move in moves:
            try:
                deleted = online_moves.abort(move)
            except online_moves.NotVerified as error:
                raise CommandError(f"{error}: run reshard to finish its move.") from None
            self.say(
                f"bucket {move.bucket}: back on {move.source}, {deleted} copied rows deleted "
                f"from {move.target}, capture dropped, writes taken again"
            )
        if not moves:
            self.say("No online move in flight: nothing to abort.")
