#!/usr/bin/env bash
# Stop the demo servers (the standby first) and delete their data. Safe to run twice.
set -euo pipefail
. "$(dirname "$0")/env.sh"

for server in standby primary; do
  if [ -f "$DATA/$server/postmaster.pid" ]; then
    as_postgres pg_ctl stop -D "$DATA/$server" -m fast -w >/dev/null || true
    echo "$server: stopped"
  fi
done
rm -rf "$DATA"
