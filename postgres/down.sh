#!/usr/bin/env bash
# Stop every demo server (the standbys first) and delete their data. Safe to run twice.
set -euo pipefail
. "$(dirname "$0")/env.sh"

for server in replica1 replica2 shard1 shard2 shard3 shard4 primary; do
  if [ -f "$DATA/$server/postmaster.pid" ]; then
    stop_server $server || true
    echo "$server: stopped"
  fi
done
rm -rf "$DATA"
