"""`manage.py db_status`: each alias reached or not (common/db_status.py), then how old
each replica's copy is and where reads would go now. A replica that is down, or whose
copy is over REPLICA_MAX_LAG_SECONDS, leaves the site degraded (exit 1), not down (2):
its reads go elsewhere."""

from django.conf import settings

from common.db_status import StatusCommand
from shop.replicas import PRIMARY, REPLICAS, Health, check_health, why_skipped


class Command(StatusCommand):
    optional = REPLICAS

    def facts(self, up):
        max_lag = settings.REPLICA_MAX_LAG_SECONDS
        # Only the replicas that answered the probe are read: no file is ever created.
        healths = [
            check_health(alias) if alias in up else Health(alias, problem="it is down")
            for alias in REPLICAS
        ]
        replicas = {
            health.alias: {"lag_seconds": health.lag, "skipped": why_skipped(health, max_lag)}
            for health in healths
        }
        self.degraded += [  # one that is down is in already
            f"{alias}: {replica['skipped']}"
            for alias, replica in replicas.items()
            if replica["skipped"] and alias in up
        ]
        usable = [alias for alias, replica in replicas.items() if not replica["skipped"]]
        return {"replicas": replicas, "reads_from": usable or [PRIMARY]}

    def fact_lines(self, facts, verbosity):
        for alias, replica in facts["replicas"].items():
            if replica["skipped"]:
                yield f"{alias}: {self.style.WARNING('skipped')}: {replica['skipped']}"
            else:
                yield f"{alias}: its copy is {replica['lag_seconds']:.1f} s old"
        reads = facts["reads_from"]
        if reads == [PRIMARY]:
            yield f"reads now: {PRIMARY} (no replica is usable)"
        else:
            yield f"reads now: {', '.join(reads)}{' in turn' if len(reads) > 1 else ''}"
