from .local_changes import count_local_changes
from .snapshot import taken_at


def banners(request):
    """Above every page: when the snapshot was taken, and how many changes are local.

    A function, which the template calls only where it shows banners: the database
    panel, rendered with this context too, must not query the databases it reports on.
    """
    return {"banners": snapshot_banners}


def snapshot_banners():
    taken = taken_at()
    if taken is None:
        return ["No snapshot yet: run python manage.py setup_demo."]
    changes = count_local_changes()
    plural = "" if changes == 1 else "s"
    return [f"Snapshot taken {taken:%Y-%m-%d %H:%M} UTC, {changes} local change{plural}"]
