# Sourced by failover.sh, after env.sh: the steps that move a server from one role to
# another (primary, standby of a given upstream). Every wait is bounded.

sql_on() {  # sql_on SERVER SQL: one statement at a time (ALTER SYSTEM refuses a transaction)
  as_postgres psql -h 127.0.0.1 -p "$(port_of "$1")" -U postgres -d postgres -qAt \
    -v ON_ERROR_STOP=1 <<<"$2"
}

timeline() {  # the timeline a server writes on now (its control file lags until a checkpoint)
  sql_on "$1" "SELECT ('x' || substr(pg_walfile_name(pg_last_wal_replay_lsn()), 1, 8))::bit(32)::int
    WHERE pg_is_in_recovery() UNION ALL
    SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int
    WHERE NOT pg_is_in_recovery()"
}

past_fork() {  # past_fork STANDBY PROMOTED: whether STANDBY holds WAL PROMOTED never had
  local fork
  # The promoted server's history file ends with the position where its timeline began.
  fork=$(sql_on "$2" "SELECT pg_read_file('pg_wal/' || upper(lpad(to_hex($(timeline "$2")), 8,
    '0')) || '.history')" | awk 'NF { lsn = $2 } END { print lsn }')
  [ -n "$fork" ] || { echo "$2: no fork point in its timeline's history file" >&2; exit 1; }
  [ "$(sql_on "$1" "SELECT greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())
    > '$fork'::pg_lsn")" = t ]
}

slot_for() {  # slot_for SERVER NAME: a slot NAME on SERVER, holding WAL from its last checkpoint
  sql_on "$1" "SELECT pg_create_physical_replication_slot('$2', true)
    WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = '$2')" >/dev/null
}

fresh_slot() {  # fresh_slot SERVER NAME: a new slot NAME on SERVER, holding WAL from now
  sql_on "$1" "SELECT pg_drop_replication_slot('$2') FROM pg_replication_slots
    WHERE slot_name = '$2'; SELECT pg_create_physical_replication_slot('$2', true)" >/dev/null
}

conninfo() {  # how a standby reaches its upstream; cluster_name names it there
  echo "host=127.0.0.1 port=$(port_of "$1") user=replicator"
}

follow() {  # follow STANDBY UPSTREAM: a running standby streams from UPSTREAM from now on
  sql_on "$1" "ALTER SYSTEM SET primary_conninfo = '$(conninfo "$2")';
    ALTER SYSTEM SET primary_slot_name = '$1'; SELECT pg_reload_conf()" >/dev/null
}

as_standby_of() {  # as_standby_of STANDBY UPSTREAM, on a stopped server: then started
  printf "primary_conninfo = '%s'\nprimary_slot_name = '%s'\n" "$(conninfo "$2")" "$1" |
    as_postgres tee -a "$DATA/$1/postgresql.auto.conf" >/dev/null
  as_postgres touch "$DATA/$1/standby.signal"
  start_server "$1"
}

base_backup() {  # base_backup STANDBY UPSTREAM: STANDBY made again from a copy of UPSTREAM
  stop_server "$1"
  as_postgres cp "$DATA/$1/postgresql.conf" "$DATA/$1.conf"  # its own port and name
  as_postgres rm -rf "$DATA/$1"
  fresh_slot "$2" "$1"
  # --no-sync, as fsync = off (postgres/up.sh): throwaway servers; a real one syncs.
  as_postgres pg_basebackup -h 127.0.0.1 -p "$(port_of "$2")" -U replicator -D "$DATA/$1" \
    -S "$1" -X stream --checkpoint=fast --no-sync
  as_postgres mv "$DATA/$1.conf" "$DATA/$1/postgresql.conf"
  as_standby_of "$1" "$2"
}

rewind() {  # rewind TARGET SOURCE: a stopped or crashed TARGET made a standby of SOURCE
  stop_server "$1"
  as_postgres rm -f "$DATA/$1/standby.signal"  # the fence: pg_rewind's crash recovery refuses it
  # A server just promoted names its new timeline in its control file only at its next
  # checkpoint: before it, pg_rewind compares the old one and finds "no rewind required".
  sql_on "$2" "CHECKPOINT"
  # pg_rewind copies the source's configuration files over the target's: its port and
  # name would be the source's. The target keeps its own.
  as_postgres cp "$DATA/$1/postgresql.conf" "$DATA/$1.conf"
  local said status=0
  said=$(as_postgres pg_rewind -D "$DATA/$1" --no-sync \
    --source-server="host=127.0.0.1 port=$(port_of "$2") user=postgres dbname=postgres" 2>&1) ||
    status=$?
  grep -e "servers diverged" -e "no rewind required" <<<"$said" | sed "s/^/$1: /" || true
  if [ $status != 0 ]; then
    echo "$1: pg_rewind failed ($(tail -n 1 <<<"$said")): a new base backup of $2"
    as_postgres rm -f "$DATA/$1.conf"
    base_backup "$1" "$2"
    return
  fi
  as_postgres mv "$DATA/$1.conf" "$DATA/$1/postgresql.conf"
  slot_for "$2" "$1"  # made at the promotion, if not before: it kept the WAL from the fork
  as_standby_of "$1" "$2"
}

checkpoint_lsn() {  # where a stopped server's last checkpoint (its shutdown's) begins
  as_postgres pg_controldata -D "$DATA/$1" | sed -n 's/^Latest checkpoint location: *//p'
}

wait_for() {  # wait_for SERVER SQL WHAT: up to 20 s for SQL to say t on SERVER
  for _ in $(seq 200); do
    [ "$(sql_on "$1" "$2" 2>/dev/null)" = t ] && return
    sleep 0.1
  done
  echo "$1: not $3 after 20 s: see $DATA/$1.log" >&2
  exit 1
}

wait_streaming() {  # wait_streaming UPSTREAM STANDBY
  wait_for "$1" "SELECT count(*) = 1 FROM pg_stat_replication
    WHERE application_name = '$2' AND state = 'streaming'" "streaming to $2"
}

wait_replayed() {  # wait_replayed STANDBY LSN
  wait_for "$1" "SELECT pg_last_wal_replay_lsn() >= '$2'" "at $2"
}
