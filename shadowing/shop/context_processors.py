from datetime import UTC, datetime

from .local_changes import count_local_changes
from .snapshot import snapshot_file


def banners(request):
    """Above every page: when the snapshot was taken, and how many changes are local."""
    path = snapshot_file()
    if not path.exists():
        return {"banners": ["No snapshot yet: run python manage.py setup_demo."]}
    taken = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    changes = count_local_changes()
    return {
        "banners": [
            f"Snapshot taken {taken:%Y-%m-%d %H:%M} UTC, "
            f"{changes} local change{'' if changes == 1 else 's'}"
        ]
    }
