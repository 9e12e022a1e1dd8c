from datetime import UTC, datetime

from .local_changes import count_local_changes
from .snapshot import snapshot_file


def banners(request):
    """Above every page: when the snapshot was taken, and how many changes are local.

    A function, which the template calls only where it shows banners: the database
    panel, rendered with this context too, must not query the databases it reports on.
    """
    return {"banners": snapshot_banners}


def snapshot_banners():
    path = snapshot_file()
    if not path.exists():
        return ["No snapshot yet: run python manage.py setup_demo."]
    taken = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    changes = count_local_changes()
    plural = "" if changes == 1 else "s"
    return [f"Snapshot taken {taken:%Y-%m-%d %H:%M} UTC, {changes} local change{plural}"]
