#!/usr/bin/env bash
# Whether the demo's primary and standby both accept connections; names any that do not.
. "$(dirname "$0")/env.sh"

status=0
for server in "primary $PRIMARY_PORT" "standby $STANDBY_PORT"; do
  set -- $server
  if ! pg_isready -q -h 127.0.0.1 -p "$2"; then
    echo "The PostgreSQL $1 does not answer on 127.0.0.1:$2."
    status=1
  fi
done
exit $status
