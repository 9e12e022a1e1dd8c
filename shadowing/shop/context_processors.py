from common.db_panel import note

from .local_changes import count_local_changes
from .reading import snapshot_missing
from .shadow import SNAPSHOT
from .snapshot import snapshot_label, taken_at


def banners(request):
    """Above every page: when the snapshot was taken, and how many changes are local.

    A function, which the template calls only where it shows banners: the database
    panel, rendered with this context too, must not query the databases it reports on.
    """
    return {"banners": snapshot_banners}


def snapshot_banners():
    if snapshot_missing():
        note(
            SNAPSHOT,
            f"{SNAPSHOT} is not available: the pages show the local rows only",
            state="missing",
        )
        # The same words as sharding's banner for a missing shard.
        return [
            f"{SNAPSHOT} ({snapshot_label()}) is not available: "
            "the rows it holds are missing from this page."
        ]
    taken = taken_at()
    if taken is None:
        return ["No snapshot yet: run python manage.py setup_demo."]
    changes = count_local_changes()
    plural = "" if changes == 1 else "s"
    return [f"Snapshot taken {taken:%Y-%m-%d %H:%M} UTC, {changes} local change{plural}"]
