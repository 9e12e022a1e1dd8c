"""`manage.py db_status`: each alias reached or not (common/db_status.py), then how old
the snapshot is and what the local side holds: rows added, changed, deleted (tombstones).
`shadow_status -v 2` lists the rows themselves."""

from datetime import datetime

from django.utils import timezone
from django.utils.timesince import timesince

from common.db_status import StatusCommand
from shop.local_changes import status
from shop.shadow import LOCAL, SNAPSHOT, mode_of, shadowed_models
from shop.snapshot import taken_at


class Command(StatusCommand):
    def facts(self, up):
        if LOCAL not in up:
            return {}  # the local changes and, on PostgreSQL, the snapshot's time live there
        taken = taken_at()
        changes = {
            model._meta.label: {"mode": mode_of(model)}
            | {kind: len(keys) for kind, keys in status(model).items()}
            for model in shadowed_models()
        }
        return {
            "snapshot_taken": taken and taken.isoformat(),
            "snapshot_age_seconds": taken and (timezone.now() - taken).total_seconds(),
            "local_changes": changes,
        }

    def alias_line(self, report, verbosity):
        """The snapshot has no migrations to apply (the router migrates nothing there)."""
        line = super().alias_line(report, verbosity)
        if report["alias"] != SNAPSHOT:
            return line
        return line.replace("migrations applied", "never migrated: production's tables")

    def fact_lines(self, facts, verbosity):
        if not facts:
            return
        taken = facts["snapshot_taken"]
        if taken is None:
            yield f"snapshot: {self.style.ERROR('none')}: run setup_demo or take_snapshot"
        else:
            taken = datetime.fromisoformat(taken)
            age = timesince(taken).replace("\xa0", " ")
            yield f"snapshot: taken {taken:%Y-%m-%d %H:%M:%S} UTC, {age} ago"
        for label, counts in facts["local_changes"].items():
            yield (
                f"{label} ({counts['mode']}): {counts['added']} added, "
                f"{counts['changed']} changed, {counts['deleted']} deleted (tombstones)"
            )
