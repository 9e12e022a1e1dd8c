# Sourced by the scripts here: which servers the demos use, where they live, and how to run
# their tools. common/postgres.py derives the same ports, for the projects' settings.

# Each checkout its own ports and folder, so two clones on one machine never meet: the base
# port comes from a hash of the checkout's path, unless DEMO_POSTGRES_PORT sets it: one of
# 400 bases from 61000, above Linux's ephemeral ports (PORTS in common/postgres.py says why).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BASE_PORT=${DEMO_POSTGRES_PORT:-$((61000 + 10 * (16#$(printf %s "$ROOT" | md5sum | cut -c1-4) % 400)))}
DATA=$(realpath -m "${DEMO_POSTGRES_DATA:-${TMPDIR:-/tmp}/multidb-patterns-postgres-$BASE_PORT}")
# Every server, in the order of its port from BASE_PORT up (the same list in common/postgres.py):
# the primary, a hot standby per replica alias, and a server per shard.
SERVERS="primary replica1 replica2 shard1 shard2 shard3 shard4"
# PgBouncer, when installed, in front of the primary: the port after the servers' (BOUNCER in
# common/postgres.py). Debian puts it in /usr/sbin, which a user's PATH may lack.
BOUNCER_PORT=$((BASE_PORT + $(wc -w <<<"$SERVERS")))
PGBOUNCER=$(command -v pgbouncer || command -v /usr/sbin/pgbouncer || true)
# Pgpool-II, when installed, one endpoint for the primary and both standbys, on the port
# after PgBouncer's, and its control (PCP) port after that: the last of the base's ten.
PGPOOL_PORT=$((BOUNCER_PORT + 1))
PCP_PORT=$((BOUNCER_PORT + 2))
PGPOOL=$(command -v pgpool || command -v /usr/sbin/pgpool || true)
pgpool_pid() {  # Pgpool-II's pid file ends with a NUL byte, which $(cat) warns about
  tr -d '\0' <"$DATA/pgpool.pid" 2>/dev/null
}

port_of() {  # port_of SERVER
  local offset=0 server
  for server in $SERVERS; do
    [ "$server" = "$1" ] && { echo $((BASE_PORT + offset)); return; }
    offset=$((offset + 1))
  done
  echo "Unknown server '$1'. Choose one of: $SERVERS" >&2
  return 2
}

# Debian keeps the server's tools out of PATH, under /usr/lib/postgresql/<version>/bin (a
# machine may link a few of them, initdb and pg_ctl, from /usr/local/bin: pg_rewind tells).
if ! command -v pg_rewind >/dev/null; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$PG_BIN" ]; then
    echo "PostgreSQL's server tools are missing: sudo apt-get install postgresql" >&2
    exit 2
  fi
  PATH="$PG_BIN:$PATH"
fi

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    # From /: the postgres user may not enter the caller's folder (psql would say so).
    (cd / && runuser -u postgres -- env PATH="$PATH" "$@")
  else
    "$@"
  fi
}

# Start or stop one server; a server already in that state is left as it is.
start_server() {
  [ -f "$DATA/$1/postmaster.pid" ] && return
  as_postgres pg_ctl start -D "$DATA/$1" -l "$DATA/$1.log" -w >/dev/null
}
stop_server() {
  [ -f "$DATA/$1/postmaster.pid" ] || return 0
  as_postgres pg_ctl stop -D "$DATA/$1" -m fast -w >/dev/null
}
