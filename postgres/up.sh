#!/usr/bin/env bash
# Start the PostgreSQL servers the demos use with DEMO_DATABASE=postgres, on 127.0.0.1 only,
# each in a folder of its own under $DATA: a primary; replica1 and replica2, two hot standbys
# streaming from it through their own replication slots; shard1 to shard4, one per shard;
# and, when installed, PgBouncer in front of the primary and Pgpool-II in front of the
# primary and both standbys (config and log under $DATA too).
set -euo pipefail
here=$(dirname "$0")
. "$here/env.sh"

"$here/down.sh"  # leftovers from an earlier run go first
mkdir -p "$DATA"
[ "$(id -u)" = 0 ] && chown postgres: "$DATA"

# One initdb, copied for each shard server: initdb is the slow step. Trust on loopback
# only: throwaway servers for learning, no passwords.
as_postgres initdb -D "$DATA/primary" -U postgres --auth=trust --encoding=UTF8 \
  --no-instructions >/dev/null
cat >>"$DATA/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DATA'
# logical: a shard's server publishes a moving bucket's rows to the shard that takes it
# (sharding/README.rst, "Moving a bucket while it takes writes"); it includes replica's.
wal_level = logical
max_wal_senders = 16
max_replication_slots = 16
# The logical replication launcher starts a subscription's worker at most this often
# (default 5 s): each online move creates one, and its catch-up waited for it.
wal_retrieve_retry_interval = 200ms
hot_standby = on
# pg_rewind needs it from the start: a failed primary rejoins as a standby of the one
# promoted in its place (replication/README.rst, "Losing the primary").
wal_log_hints = on
# A slot keeps the WAL its standby has yet to receive: with a standby left down, without
# limit, until the primary's disk is full. Past this much the slot is given up
# (wal_status 'lost': that standby needs a new pg_basebackup); db_status shows each slot.
max_slot_wal_keep_size = 256MB
# An autovacuum in a statement's way is cancelled once the statement has waited this long
# for its lock (the deadlock check does it); PostgreSQL's 1 s is the sites' lock_timeout
# (BOUNDS in common/postgres.py), and the statement, not the autovacuum, was cancelled.
deadlock_timeout = 200ms
# Throwaway data under a temporary folder: no need to survive a power cut, nor to be fast
# with much of it.
fsync = off
shared_buffers = 16MB
CONF
for shard in shard1 shard2 shard3 shard4; do
  as_postgres cp -a "$DATA/primary" "$DATA/$shard"
done
# Started side by side; `wait` on each one, so that a server that fails to start fails
# the script (a bare `wait` would not).
started=()
for server in primary shard1 shard2 shard3 shard4; do
  echo "port = $(port_of $server)" >>"$DATA/$server/postgresql.conf"
  echo "cluster_name = '$server'" >>"$DATA/$server/postgresql.conf"
  start_server $server &
  started+=($!)
done
for pid in "${started[@]}"; do wait "$pid"; done

psql_on() { as_postgres psql -h 127.0.0.1 -p "$(port_of "$1")" -U postgres -qAt; }
psql_on primary <<SQL >/dev/null
CREATE ROLE replicator WITH REPLICATION LOGIN;
SELECT pg_create_physical_replication_slot('replica1', true);
SELECT pg_create_physical_replication_slot('replica2', true);
SQL

# Each standby: a base backup of the primary; -R writes primary_conninfo and standby.signal,
# so it starts as a hot standby that streams through its own slot. Each slot keeps the WAL
# from its creation (the `true` above): without it, one backup's checkpoint could recycle a
# segment the other backup has yet to stream.
started=()
for replica in replica1 replica2; do
  {
    as_postgres pg_basebackup -h 127.0.0.1 -p "$(port_of primary)" -U replicator \
      -D "$DATA/$replica" -R -S $replica -X stream --checkpoint=fast
    # A query that needs rows the primary's VACUUM removed delays replay this long, then
    # is cancelled ("conflict with recovery"). PostgreSQL's default is 30 s, as long as
    # REPLICA_MAX_LAG_SECONDS: a 1 s delay keeps the lag it causes short, and shows the
    # cancellation (replication/README.rst, "A read cancelled on the standby").
    echo "max_standby_streaming_delay = 1s" >>"$DATA/$replica/postgresql.conf"
    echo "port = $(port_of $replica)" >>"$DATA/$replica/postgresql.conf"
    # Its name on its upstream (application_name in pg_stat_replication), as
    # synchronous_standby_names names it (postgres/failover.sh sync replica1).
    echo "cluster_name = '$replica'" >>"$DATA/$replica/postgresql.conf"
    start_server $replica
  } &
  started+=($!)
done
for pid in "${started[@]}"; do wait "$pid"; done

# The sites connect as shop (USER in common/postgres.py), on every server: no superuser, so
# the connections PostgreSQL keeps for superusers stay free however many the sites hold;
# CREATEDB for the test suites' test_* databases. The standbys get it from the primary,
# and with it the right to resume a paused replay (manage.py replicate does), granted in
# template1, which every database created below or by a test run is copied from.
for server in primary shard1 shard2 shard3 shard4; do
  echo "CREATE ROLE shop WITH LOGIN CREATEDB;" | psql_on $server >/dev/null
done
psql_on primary <<SQL >/dev/null
\c template1
GRANT EXECUTE ON FUNCTION pg_wal_replay_resume() TO shop;
SQL
# One database per alias of each project (the names in the settings' postgres block), owned
# by shop: each shard's on its server, the rest on the primary, from where they reach the
# standbys. shadowing's snapshot is its SNAPSHOT_OWNER's (postgres), which alone replaces it.
# sharding_fdw is sharding's postgres_fdw coordinator, empty until `manage.py
# fdw_coordinator` builds it from the bucket map (sharding/shop/coordinator.py).
for name in functional_split functional_split_reviews replication sharding sharding_tickets \
  sharding_fdw shadowing; do
  echo "CREATE DATABASE $name OWNER shop;"
done | psql_on primary >/dev/null
echo "CREATE DATABASE shadowing_snapshot;" | psql_on primary >/dev/null
for shard in shard1 shard2 shard3 shard4; do
  echo "CREATE DATABASE sharding_$shard OWNER shop;" | psql_on $shard >/dev/null
done
# shadowing's snapshot is read with a role that can read every table and write none,
# in read-only transactions: a write through that alias fails, whatever sends it.
psql_on primary <<SQL >/dev/null
CREATE ROLE snapshot_reader WITH LOGIN IN ROLE pg_read_all_data;
ALTER ROLE snapshot_reader SET default_transaction_read_only = on;
SQL
# PgBouncer in front of the primary, in transaction pooling mode: a client holds a server
# connection for one transaction, then another client may (DEMO_PGBOUNCER=on, README's
# "PgBouncer in front of the primary"). Trust for the users listed, as the servers trust
# loopback. PgBouncer 1.18 refuses libpq's options, so it sets the statements' bounds
# (BOUNDS in common/postgres.py) on each server connection itself.
if [ -n "$PGBOUNCER" ]; then
  printf '"%s" ""\n' shop postgres snapshot_reader >"$DATA/pgbouncer.users"
  cat >"$DATA/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$(port_of primary) connect_query='SET statement_timeout = 5000; SET lock_timeout = 1000'
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $DATA/pgbouncer.users
admin_users = postgres
pool_mode = transaction
logfile = $DATA/pgbouncer.log
pidfile = $DATA/pgbouncer.pid
INI
  as_postgres "$PGBOUNCER" -d -q "$DATA/pgbouncer.ini"
  bouncer_ready() {  # answering, and ours: its pid file names a live process
    pg_isready -q -t 1 -h 127.0.0.1 -p "$BOUNCER_PORT" -U shop -d postgres &&
      kill -0 "$(cat "$DATA/pgbouncer.pid" 2>/dev/null)" 2>/dev/null
  }
  for _ in $(seq 20); do bouncer_ready && break; sleep 0.1; done
  bouncer_ready || { echo "pgbouncer did not start: see $DATA/pgbouncer.log" >&2; exit 1; }
fi
"$here/pgpool.sh"
for server in $SERVERS; do
  echo "$server: 127.0.0.1:$(port_of $server)"
done
if [ -n "$PGBOUNCER" ]; then
  echo "pgbouncer: 127.0.0.1:$BOUNCER_PORT, in front of the primary, transaction pooling"
else
  echo "pgbouncer: not installed, not started (sudo apt-get install pgbouncer)"
fi
if [ -f "$DATA/pgpool.pid" ]; then
  echo "pgpool: 127.0.0.1:$PGPOOL_PORT, in front of the primary and both standbys, reads balanced"
else
  echo "pgpool: not installed, not started (sudo apt-get install pgpool2)"
fi
echo "replica1, replica2: streaming from the primary; databases created, owned by role shop (no superuser); role snapshot_reader can only read"
