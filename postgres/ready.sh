#!/usr/bin/env bash
# Whether every demo server accepts connections (and PgBouncer, with DEMO_PGBOUNCER=on);
# names any that does not.
. "$(dirname "$0")/env.sh"

status=0
for server in $SERVERS; do
  port=$(port_of "$server")
  if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
    echo "The PostgreSQL server $server does not answer on 127.0.0.1:$port."
    status=1
  fi
done
# With DEMO_PGBOUNCER=on the primary's aliases go through PgBouncer (common/postgres.py).
if [ "${DEMO_PGBOUNCER:-}" = on ] &&
  ! pg_isready -q -h 127.0.0.1 -p "$BOUNCER_PORT" -U shop -d postgres; then
  echo "PgBouncer does not answer on 127.0.0.1:$BOUNCER_PORT (DEMO_PGBOUNCER=on):" \
    "sudo apt-get install pgbouncer, then make postgres-up."
  status=1
fi
exit $status
