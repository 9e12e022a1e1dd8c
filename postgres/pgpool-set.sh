#!/usr/bin/env bash
# Change one setting of the running Pgpool-II and reload it, as postgres/delay.sh does a
# standby's: postgres/pgpool-set.sh disable_load_balance_on_write always (then
# transaction, postgres/pgpool.sh's value, to undo it). Sessions opened after the reload
# have it; `PGPOOL SHOW setting` says which value a new session gets.
set -euo pipefail
. "$(dirname "$0")/env.sh"

[ $# = 2 ] || { echo "usage: $0 SETTING VALUE (a setting postgres/pgpool.sh writes)" >&2; exit 2; }
conf="$DATA/pgpool.conf"
grep -q "^$1 = " "$conf" || { echo "$1: not in $conf" >&2; exit 2; }
sed -i "s/^$1 = .*/$1 = '$2'/" "$conf"
kill -HUP "$(pgpool_pid)"  # Pgpool-II's reload (what `pgpool reload` sends)
echo "pgpool: $1 = '$2', reloaded"
