"""`manage.py db_status`: each alias reached or not (common/db_status.py). Separation
by function has no facts of its own: two databases, each needed."""

from common.db_status import StatusCommand


class Command(StatusCommand):
    pass
