#!/usr/bin/env bash
# Whether every demo server accepts connections; names any that does not.
. "$(dirname "$0")/env.sh"

status=0
for server in $SERVERS; do
  port=$(port_of "$server")
  if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
    echo "The PostgreSQL server $server does not answer on 127.0.0.1:$port."
    status=1
  fi
done
exit $status
