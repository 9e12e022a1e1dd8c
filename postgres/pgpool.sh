#!/usr/bin/env bash
# Start Pgpool-II, when installed, as one endpoint for the primary and both standbys
# (replication/README.rst, "Pgpool-II: the split below the app"): streaming-replication
# mode, writes to the primary, each session's reads balanced over the three servers, a
# standby more than delay_threshold behind skipped. Run by up.sh once the servers answer;
# config, pid, sockets and log under $DATA, as the servers'; down.sh stops it.
set -euo pipefail
. "$(dirname "$0")/env.sh"

[ -n "$PGPOOL" ] || exit 0

backends=""
node=0
for server in primary replica1 replica2; do
  backends+="backend_hostname$node = '127.0.0.1'
backend_port$node = $(port_of $server)
backend_weight$node = 1
"
  node=$((node + 1))
done
# Trust, as the servers trust loopback: no pool_hba, no passwords (the empty pool_passwd
# file only keeps the replication check from warning about a missing one every second).
cat >"$DATA/pgpool.conf" <<CONF
backend_clustering_mode = 'streaming_replication'
listen_addresses = '127.0.0.1'
port = $PGPOOL_PORT
socket_dir = '$DATA'
pcp_listen_addresses = '127.0.0.1'
pcp_port = $PCP_PORT
pcp_socket_dir = '$DATA'
pid_file_name = '$DATA/pgpool.pid'
logdir = '$DATA'
logging_collector = on
log_directory = '$DATA'
log_filename = 'pgpool.log'
$backends
enable_pool_hba = off
pool_passwd = '$DATA/pool_passwd'
# Which server is the primary, and how far behind each standby's replay is, asked every
# second (the default is 10 s); a standby more than 1 MB of WAL behind gets no reads.
sr_check_user = 'postgres'
sr_check_period = 1
delay_threshold = 1048576
# No health checks and no failover: a server stopped on purpose (the replication suite's
# faults) must not be detached for good. Failover is the app's lesson (replication/README.rst).
health_check_period = 0
failover_on_backend_error = off
load_balance_mode = on
# The default: a write in an explicit transaction sends the rest of it to the primary.
disable_load_balance_on_write = 'transaction'
# A session whose application_name is a standby's name reads that standby: the tests pick
# a server instead of counting on the draw.
app_name_redirect_preference_list = 'replica1:1,replica2:2'
# Django's pool keeps the client connections; each of Pgpool's 32 processes serves one
# at a time. No cache of server connections behind a closed one: it would hold the test
# databases open against DROP DATABASE.
num_init_children = 32
connection_cache = off
CONF
: >"$DATA/pool_passwd"
: >"$DATA/pcp.conf"  # no PCP users: SHOW POOL_NODES, through the endpoint, shows the state
[ "$(id -u)" = 0 ] && chown postgres: "$DATA/pgpool.conf" "$DATA/pool_passwd" "$DATA/pcp.conf"
# -D: forget which servers an earlier run saw down (pgpool_status)
as_postgres "$PGPOOL" -D -f "$DATA/pgpool.conf" -F "$DATA/pcp.conf"
pgpool_ready() {  # answering, and ours: its pid file names a live process
  pg_isready -q -t 1 -h 127.0.0.1 -p "$PGPOOL_PORT" -U shop -d postgres &&
    kill -0 "$(pgpool_pid)" 2>/dev/null
}
for _ in $(seq 30); do pgpool_ready && break; sleep 0.1; done
pgpool_ready || { echo "pgpool did not start: see $DATA/pgpool.log" >&2; exit 1; }
