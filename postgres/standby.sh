#!/usr/bin/env bash
# Stop or start one server alone, as when one is lost: postgres/standby.sh stop replica2
# (a standby), or postgres/standby.sh stop shard2 (a shard's server).
set -euo pipefail
. "$(dirname "$0")/env.sh"

usage="usage: $0 stop|start SERVER (one of: $SERVERS)"
server=${2:-}
[ -n "$server" ] && port_of "$server" >/dev/null || { echo "$usage" >&2; exit 2; }
case "${1:-}" in
  stop)
    stop_server "$server"
    echo "$server: stopped" ;;
  start)
    start_server "$server"
    echo "$server: started on 127.0.0.1:$(port_of "$server")" ;;
  *)
    echo "$usage" >&2
    exit 2 ;;
esac
