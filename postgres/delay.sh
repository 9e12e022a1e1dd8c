#!/usr/bin/env bash
# Hold a standby's replay a fixed time behind the primary: postgres/delay.sh replica2 2s
# (postgres/delay.sh replica2 0 undoes it). recovery_min_apply_delay, set on that standby
# alone and reloaded: it applies each commit that long after the primary made it, so the
# stale read right after a write comes every time (replication/README.rst, "Read your
# writes by position").
set -euo pipefail
. "$(dirname "$0")/env.sh"

usage="usage: $0 replica1|replica2 DELAY (PostgreSQL's units: 200ms, 2s; 0 for none)"
[ $# = 2 ] || { echo "$usage" >&2; exit 2; }
case "$1" in replica1|replica2) ;; *) echo "$usage" >&2; exit 2;; esac
port=$(port_of "$1")
as_postgres psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -v delay="$2" <<'SQL'
ALTER SYSTEM SET recovery_min_apply_delay = :'delay';
SELECT pg_reload_conf() \gset
SQL
echo "$1: replays each commit $2 after the primary (recovery_min_apply_delay)"
