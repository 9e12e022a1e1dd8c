# Sourced by up.sh and down.sh: where the demo servers live, and how to run their tools.
# The ports and the host match common/postgres.py, which the projects' settings read.
DATA=${DEMO_POSTGRES_DATA:-${TMPDIR:-/tmp}/multidb-patterns-postgres}
PRIMARY_PORT=${DEMO_POSTGRES_PORT:-55432}
STANDBY_PORT=${DEMO_POSTGRES_STANDBY_PORT:-55433}

# Debian keeps the server's tools out of PATH, under /usr/lib/postgresql/<version>/bin.
if ! command -v initdb >/dev/null; then
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
    runuser -u postgres -- env PATH="$PATH" "$@"
  else
    "$@"
  fi
}
