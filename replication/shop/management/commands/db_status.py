"""`manage.py db_status`: each alias reached or not (common/db_status.py), then how old
each replica's copy is and where reads would go now, and on PostgreSQL each standby's
replication slot on the primary. A replica that is down, or whose copy is over
REPLICA_MAX_LAG_SECONDS, leaves the site degraded (exit 1), not down (2): its reads go
elsewhere."""

from django.conf import settings
from django.db import connections

from common.db_status import StatusCommand, replication_slots, size
from shop.primaries import server_roles
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
        facts = {"replicas": replicas, "reads_from": usable or [PRIMARY]}
        if connections[PRIMARY].vendor == "postgresql":
            facts["primary_servers"] = roles = server_roles()
            first, role = next(iter(roles.items()))
            # The first one not the primary, and another one promoted: writes still go.
            if role != "primary" and "primary" in roles.values():
                writes = next(server for server, role in roles.items() if role == "primary")
                state = "a standby" if role == "standby" else role
                self.degraded.append(f"{PRIMARY}: {first} is {state}, writes go to {writes}")
        if PRIMARY in up and connections[PRIMARY].vendor == "postgresql":
            facts["slots"] = replication_slots(PRIMARY)
        return facts

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
        for server, role in facts.get("primary_servers", {}).items():
            yield f"{PRIMARY} names {server}: {role}"
        for slot in facts.get("slots", ()):
            yield slot_line(slot)


def slot_line(slot):
    """A slot holds back the WAL its standby has yet to receive, streaming or not."""
    state = "active" if slot["active"] else "inactive (its standby is not streaming)"
    line = f"slot {slot['slot']}: {state}, wal {slot['wal_status']} from {slot['restart_lsn']}"
    line += f", holds back {size(slot['retained_bytes'])} of WAL"
    if slot["safe_wal_size"] is None:
        return line + ", without limit (max_slot_wal_keep_size = -1)"
    return line + f", {size(max(slot['safe_wal_size'], 0))} more before it is lost"
