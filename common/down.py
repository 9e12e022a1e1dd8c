"""Databases found unreachable, remembered per process for a while, so that one dead
database costs one request its connect timeout, not every request.

Per process, like django_replicated's memory: each process finds out for itself once.
Replication remembers a dead replica; sharding, a dead shard.
"""

import time


class DownMemory:
    """alias -> (down since, next try), as time.time()."""

    def __init__(self):
        self.down = {}

    def still_down(self, alias):
        """Why an alias found unreachable is not asked again yet, or None once its retry
        is due (or it was never found down)."""
        since, next_try = self.down.get(alias, (None, 0.0))
        if time.time() < next_try:
            return f"down since {clock(since)}, next try at {clock(next_try)}"
        return None

    def remember(self, alias, retry_seconds):
        """Skip an alias for `retry_seconds`, keeping when it first failed."""
        now = time.time()
        since = self.down.get(alias, (now, 0.0))[0]
        self.down[alias] = (since, now + retry_seconds)

    def forget(self, alias):
        """The alias answered: it is no longer down."""
        self.down.pop(alias, None)


def clock(seconds):
    """A time.time() as the panel shows it: 10:02:30."""
    return time.strftime("%H:%M:%S", time.localtime(seconds))
