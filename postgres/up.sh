#!/usr/bin/env bash
# Start the PostgreSQL servers the demos use with DEMO_DATABASE=postgres, on 127.0.0.1 only:
# a primary, and a hot standby streaming from it, each in a folder under $DATA.
set -euo pipefail
here=$(dirname "$0")
. "$here/env.sh"

"$here/down.sh"  # leftovers from an earlier run go first
mkdir -p "$DATA"
[ "$(id -u)" = 0 ] && chown postgres: "$DATA"

# The primary. Trust on loopback only: a throwaway server for learning, no passwords.
as_postgres initdb -D "$DATA/primary" -U postgres --auth=trust --encoding=UTF8 \
  --no-instructions >/dev/null
cat >>"$DATA/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$DATA'
wal_level = replica
max_wal_senders = 4
max_replication_slots = 4
hot_standby = on
# Throwaway data under a temporary folder: no need to survive a power cut.
fsync = off
CONF
as_postgres pg_ctl start -D "$DATA/primary" -l "$DATA/primary.log" -w >/dev/null
echo "primary: 127.0.0.1:$PRIMARY_PORT"

psql_primary() { as_postgres psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAt "$@"; }
psql_primary -c "CREATE ROLE replicator WITH REPLICATION LOGIN" \
  -c "SELECT pg_create_physical_replication_slot('standby')" >/dev/null

# The standby: a base backup of the primary; -R writes primary_conninfo and
# standby.signal, so it starts as a hot standby that streams through the slot.
as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U replicator \
  -D "$DATA/standby" -R -S standby -X stream --checkpoint=fast
echo "port = $STANDBY_PORT" >>"$DATA/standby/postgresql.conf"
"$here/standby.sh" start >/dev/null
echo "standby: 127.0.0.1:$STANDBY_PORT, streaming from the primary"

# One database per alias of each project (the names in the settings' postgres block).
# They reach the standby too, by streaming.
for name in functional_split functional_split_reviews \
  replication \
  sharding sharding_tickets sharding_shard1 sharding_shard2 sharding_shard3 sharding_shard4 \
  shadowing shadowing_snapshot; do
  echo "CREATE DATABASE $name;"
done | psql_primary >/dev/null
# shadowing's snapshot is read with a role that can read every table and write none,
# in read-only transactions: a write through that alias fails, whatever sends it.
psql_primary -c "CREATE ROLE snapshot_reader WITH LOGIN IN ROLE pg_read_all_data" \
  -c "ALTER ROLE snapshot_reader SET default_transaction_read_only = on" >/dev/null
echo "databases: created on the primary; role snapshot_reader can only read"
