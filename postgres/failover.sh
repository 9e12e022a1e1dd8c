#!/usr/bin/env bash
# Lose the primary, then put it back (replication/README.rst, "Losing the primary"):
#   postgres/failover.sh          the drill: stop the primary the hard way (as a crash
#                                 would), promote replica1, point replica2 at it, fence the
#                                 old primary
#   postgres/failover.sh restore  rebuild the old primary as a standby of replica1
#                                 (pg_rewind), then switch back: the roles of make postgres-up
# Options of the drill, to show what a failover loses:
#   postgres/failover.sh cut      cut replica1 off the primary (no WAL received): what the
#                                 primary acknowledges from now on, replica1 never has
#   postgres/failover.sh uncut    replica1 streams from the primary again
#   postgres/failover.sh sync replica1|'FIRST 1 (replica1, replica2)'|off
#                                 synchronous_standby_names on the primary: a commit waits
#                                 for that standby to have flushed it
set -euo pipefail
here=$(dirname "$0")
. "$here/env.sh"
. "$here/roles.sh"

drill() {
  [ -f "$DATA/primary/standby.signal" ] && { echo "A drill is under way: make postgres-restore first." >&2; exit 2; }
  [ -f "$DATA/primary/postmaster.pid" ] || { echo "The primary is not running: make postgres-up first." >&2; exit 2; }
  as_postgres pg_ctl stop -D "$DATA/primary" -m immediate -w >/dev/null
  echo "primary: stopped (immediate: no shutdown checkpoint, as a crash)"
  # The fence: started again by mistake (a reboot, a service manager), it comes up as a
  # standby, read-only, never as a second primary taking writes beside replica1.
  as_postgres touch "$DATA/primary/standby.signal"
  echo "primary: fenced (standby.signal: it can only start read-only)"
  as_postgres pg_ctl promote -D "$DATA/replica1" -w >/dev/null
  # A slot for the old primary at once: it keeps the WAL from the fork point on, which
  # its rewind (restore) replays; checkpoints would recycle it.
  slot_for replica1 primary
  slot_for replica1 replica2
  echo "replica1: promoted, the primary now, on timeline $(timeline replica1)"
  # A standby that received WAL the promoted one never had (past the fork point) cannot
  # follow the new timeline: it needs a new base backup.
  if past_fork replica2 replica1; then
    echo "replica2: received WAL past the fork point: a new base backup of replica1"
    base_backup replica2 replica1
  else
    follow replica2 replica1
  fi
  wait_streaming replica1 replica2
  echo "replica2: streaming from replica1"
}

restore() {
  [ -f "$DATA/primary/standby.signal" ] || { echo "No drill to undo: the primary is not fenced." >&2; exit 2; }
  rewind primary replica1
  wait_streaming replica1 primary
  echo "primary: a standby of replica1, streaming"
  # The switch back, planned: a clean stop of replica1 sends its standbys all its WAL,
  # then the old primary takes over again, and nothing acknowledged is lost.
  sql_on replica1 "ALTER SYSTEM RESET synchronous_standby_names; SELECT pg_reload_conf()" >/dev/null
  stop_server replica1
  wait_replayed primary "$(checkpoint_lsn replica1)"
  as_postgres pg_ctl promote -D "$DATA/primary" -w >/dev/null
  sql_on primary "ALTER SYSTEM RESET primary_conninfo; ALTER SYSTEM RESET primary_slot_name;
    ALTER SYSTEM RESET synchronous_standby_names; SELECT pg_reload_conf()" >/dev/null
  fresh_slot primary replica1
  fresh_slot primary replica2
  echo "primary: promoted, the primary again, on timeline $(timeline primary)"
  follow replica2 primary
  rewind replica1 primary
  sql_on replica1 "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots" >/dev/null
  wait_streaming primary replica1
  wait_streaming primary replica2
  echo "replica1, replica2: streaming from the primary, as make postgres-up left them"
}

cut_off() {
  sql_on replica1 "ALTER SYSTEM SET primary_conninfo = ''; SELECT pg_reload_conf()" >/dev/null
  wait_for replica1 "SELECT count(*) = 0 FROM pg_stat_wal_receiver" "cut off"
  echo "replica1: cut off the primary (no primary_conninfo): it receives nothing more"
}

uncut() {
  follow replica1 primary
  wait_streaming primary replica1
  echo "replica1: streaming from the primary again"
}

synchronous() {
  local names=${1:?"usage: $0 sync replica1|'FIRST 1 (replica1, replica2)'|off"}
  [ "$names" = off ] && names=""
  sql_on primary "ALTER SYSTEM SET synchronous_standby_names = '$names'; SELECT pg_reload_conf()" >/dev/null
  [ -z "$names" ] || wait_for primary "SELECT count(*) = 1 FROM pg_stat_replication
    WHERE sync_state = 'sync'" "waiting for a synchronous standby"
  echo "primary: synchronous_standby_names = '$names'"
}

case "${1:-drill}" in
  drill) drill ;;
  restore) restore ;;
  cut) cut_off ;;
  uncut) uncut ;;
  sync) synchronous "${2:-}" ;;
  *) echo "usage: $0 [drill|restore|cut|uncut|sync NAMES]" >&2; exit 2 ;;
esac
