#!/usr/bin/env bash
# Stop Pgpool-II, PgBouncer and every demo server (the standbys first) and delete their data. Safe to run twice.
set -euo pipefail
. "$(dirname "$0")/env.sh"

# Pgpool-II and PgBouncer first, their clients and server connections with them. Pgpool's
# main process stops its children: SIGINT, its fast shutdown, which does not wait for
# clients to leave (its log: "shutting down by signal 2", "terminating all child processes").
if [ -f "$DATA/pgpool.pid" ]; then
  pid=$(pgpool_pid)
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  echo "pgpool: stopped"
fi
# PgBouncer: SIGTERM stops it at once.
if [ -f "$DATA/pgbouncer.pid" ]; then
  pid=$(cat "$DATA/pgbouncer.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  echo "pgbouncer: stopped"
fi
for server in replica1 replica2 shard1 shard2 shard3 shard4 primary; do
  if [ -f "$DATA/$server/postmaster.pid" ]; then
    stop_server $server || true
    echo "$server: stopped"
  fi
done
rm -rf "$DATA"
