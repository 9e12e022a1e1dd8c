"""Shards found unreachable, remembered per process (common/down.py), as replication
remembers a dead replica.

Without this memory, with one shard's PostgreSQL server stopped, every page and write
that needed it waited the pool's full timeout (3 s), until every worker was waiting and
the writes to the other shards waited for a worker too. While a shard is remembered, a
request that needs it is answered at once, naming it; after SHARD_RETRY_SECONDS the next
request that needs it tries it again.
"""

from django.conf import settings
from django.db import OperationalError, connections

from common.down import DownMemory

DOWN = DownMemory()


class ShardDown(OperationalError):
    """A shard found unreachable less than SHARD_RETRY_SECONDS ago: not asked again yet.

    An OperationalError with the shard's alias, so that the pages answer it as they
    answer the shard's own error: a banner on a page that reads every shard, the 503
    page naming the alias (common/db_errors.py) for a request that needs it alone.
    """

    def __init__(self, alias, why):
        super().__init__(f"{alias} is not asked again yet: {why}")
        self.alias = alias


def reach(shard):
    """Connect to a shard now, or refuse at once one remembered down; a shard that cannot
    be connected to is remembered down for SHARD_RETRY_SECONDS."""
    if why := DOWN.still_down(shard):
        raise ShardDown(shard, why)
    try:
        connections[shard].ensure_connection()
    except OperationalError:
        DOWN.remember(shard, settings.SHARD_RETRY_SECONDS)
        raise
    DOWN.forget(shard)
