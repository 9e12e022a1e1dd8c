#!/usr/bin/env bash
# Stop or start the demo's hot standby alone, as a failover drill: postgres/standby.sh stop
set -euo pipefail
. "$(dirname "$0")/env.sh"

case "${1:-}" in
  stop)
    as_postgres pg_ctl stop -D "$DATA/standby" -m fast -w >/dev/null
    echo "standby: stopped" ;;
  start)
    as_postgres pg_ctl start -D "$DATA/standby" -l "$DATA/standby.log" -w >/dev/null
    echo "standby: started, catching up with the primary" ;;
  *)
    echo "usage: $0 stop|start" >&2
    exit 2 ;;
esac
