#!/usr/bin/env bash
# Local PostgreSQL HA stack for failover tests: one etcd member (Patroni's DCS), two
# Patroni-managed PostgreSQL 15 nodes with synchronous replication, HAProxy routing to
# the leader by Patroni's REST check. Loopback only; renders the templates of deploy/ha/.
#
#   stack.sh install                 apt-get install the Debian packages
#   stack.sh up <dir>                render into <dir>, start everything, wait, print endpoints
#   stack.sh down <dir>              stop everything started from <dir> (deletes nothing)
#   stack.sh env <dir>               print the endpoints of a stack that is up
#   stack.sh leader <dir>            print the leader's node name (exit 1 if there is none)
#   stack.sh status <dir>            patronictl list
#   stack.sh kill-primary <dir>      kill -9 the leader's postmaster (Patroni stays alive)
#   stack.sh kill-node <dir> [node]  kill -9 a node's Patroni and postmaster (default: leader)
#   stack.sh start-node <dir> <node> start a node's Patroni again (after kill-node)
#   stack.sh wait-sync <dir>         wait until a standby streams synchronously again
#
# `up` on a directory that already has a stack.env restarts that stack (same ports, data)
# and starts whatever of it is not running. A failed `up` leaves what it started running,
# for inspection: call `down` in the test's cleanup either way.
#
# Ports come from the environment when set (HAPROXY_PORT, HAPROXY_REPLICA_PORT,
# HAPROXY_STATS_PORT, ETCD_PORT, ETCD_PEER_PORT, NODE1_PG_PORT, NODE1_REST_PORT,
# NODE2_PG_PORT, NODE2_REST_PORT), otherwise free ones are picked. Other knobs:
# HA_TIMEOUT (s, default 120) bounds every wait; HA_TTL, HA_LOOP_WAIT, HA_RETRY_TIMEOUT;
# HA_CHECK_INTER, HA_CHECK_FASTINTER, HA_CHECK_FALL, HA_CHECK_RISE; HA_APP_USER,
# HA_APP_PASSWORD, HA_APP_DB; HA_RUN_AS (default postgres); PG_BIN_DIR.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEMPLATES=${HA_TEMPLATES:-$(cd "$HERE/../../.." && pwd)/deploy/ha}
PG_BIN_DIR=${PG_BIN_DIR:-/usr/lib/postgresql/15/bin}
RUN_AS=${HA_RUN_AS:-postgres}
TIMEOUT=${HA_TIMEOUT:-120}
LISTEN_ADDR=127.0.0.1
NODES=(node1 node2)
PACKAGES=(etcd-server etcd-client patroni python3-etcd haproxy postgresql-15 postgresql-client-15 curl)

log() { printf '[stack %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# die MESSAGE [LOGFILE...]: error with the tail of the relevant logs
die() {
  local msg=$1; shift
  printf 'stack.sh: ERROR: %s\n' "$msg" >&2
  local f
  for f in "$@"; do
    [[ -f $f ]] || continue
    printf -- '----- last 40 lines of %s -----\n' "$f" >&2
    tail -n 40 "$f" >&2 || true
  done
  exit 1
}

now_ms() { date +%s%3N; }

# AS_USER: command prefix that runs as the service user, each step exec-ing the next,
# so the pid of a background "${AS_USER[@]}" cmd is the service's own pid
AS_USER=()
if [[ $(id -u) -eq 0 && $RUN_AS != root ]]; then
  AS_USER=(env HOME="$(getent passwd "$RUN_AS" | cut -d: -f6)" USER="$RUN_AS" LOGNAME="$RUN_AS"
    setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups --)
fi
as_user() { "${AS_USER[@]}" "$@"; }

http_code() { # PORT PATH -> HTTP status, 000 when nothing answers
  if command -v curl >/dev/null; then
    curl -s -o /dev/null -m 1 -w '%{http_code}' "http://$LISTEN_ADDR:$1$2" 2>/dev/null || true
  else
    /usr/bin/python3 - "$LISTEN_ADDR" "$1" "$2" <<'PY' 2>/dev/null || echo 000
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen("http://%s:%s%s" % tuple(sys.argv[1:4]), timeout=1).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
PY
  fi
}

http_get() { # PORT PATH -> body
  if command -v curl >/dev/null; then
    curl -s -m 2 "http://$LISTEN_ADDR:$1$2" 2>/dev/null || true
  else
    /usr/bin/python3 -c 'import sys,urllib.request;print(urllib.request.urlopen(sys.argv[1],timeout=2).read().decode())' \
      "http://$LISTEN_ADDR:$1$2" 2>/dev/null || true
  fi
}

pick_ports() { # N -> N distinct free loopback ports, one per line
  /usr/bin/python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print("\n".join(str(s.getsockname()[1]) for s in socks))
PY
}

gen_password() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }

cmd_install() {
  [[ $(id -u) -eq 0 ]] || die "install needs root"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${PACKAGES[@]}"
}

need_binaries() {
  local b missing=()
  for b in etcd patroni patronictl haproxy psql setpriv; do command -v "$b" >/dev/null || missing+=("$b"); done
  for b in postgres initdb pg_ctl pg_rewind pg_basebackup; do [[ -x $PG_BIN_DIR/$b ]] || missing+=("$PG_BIN_DIR/$b"); done
  [[ -x /usr/bin/python3 ]] || missing+=(/usr/bin/python3)
  ((${#missing[@]} == 0)) || die "missing: ${missing[*]} (run: $0 install)"
}

# ---------------------------------------------------------------- state of a stack dir
load_env() {
  DIR=$(cd "$1" 2>/dev/null && pwd) || die "no such directory: $1"
  [[ -f $DIR/stack.env ]] || die "$DIR/stack.env not found: was 'stack.sh up $DIR' run?"
  # shellcheck disable=SC1091
  . "$DIR/stack.env"
}

pidfile() { echo "$DIR/pids/$1.pid"; }
logfile() { echo "$DIR/logs/$1.log"; }

# pid of a service we started, if it still runs (and is what we started)
service_pid() {
  local f pid
  f=$(pidfile "$1")
  [[ -f $f ]] || return 1
  pid=$(<"$f")
  [[ -n $pid && -d /proc/$pid ]] || return 1
  # guard against a recycled pid: we start every service from $DIR, most name it too
  [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$DIR" ]] ||
    grep -qa -- "$DIR" "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

postmaster_pid() { # NODE -> pid of its running postmaster
  local f="$DIR/$1/data/postmaster.pid" pid
  [[ -f $f ]] || return 1
  pid=$(head -n1 "$f")
  [[ -n $pid && -d /proc/$pid ]] || return 1
  grep -qa postgres "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

node_var() { local v="${1^^}_$2"; echo "${!v}"; } # node_var node1 REST_PORT

start_service() { # NAME CMD... (as the service user, detached, logging to logs/NAME.log)
  local name=$1; shift
  if service_pid "$name" >/dev/null; then log "$name already running"; return 0; fi
  (cd "$DIR" && exec setsid "${AS_USER[@]}" "$@" </dev/null >>"$(logfile "$name")" 2>&1) &
  echo $! >"$(pidfile "$name")"
}

stop_service() { # NAME [SECONDS]
  local name=$1 secs=${2:-60} pid deadline
  pid=$(service_pid "$name") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + secs))
  while [[ -d /proc/$pid ]] && ((SECONDS < deadline)); do sleep 0.2; done
  if [[ -d /proc/$pid ]]; then
    log "$name (pid $pid) did not stop in ${secs}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  else
    log "stopped $name"
  fi
}

psql_su() { # PORT SQL... -> unaligned output, via TCP as the superuser
  local port=$1; shift
  PGPASSWORD=$SUPERUSER_PASSWORD PGCONNECT_TIMEOUT=2 \
    psql -X -q -At -v ON_ERROR_STOP=1 -h "$LISTEN_ADDR" -p "$port" -U postgres -d postgres "$@"
}

# wait_for DESCRIPTION SECONDS LOGS... -- COMMAND...: retry COMMAND every 0.2 s
wait_for() {
  local what=$1 secs=$2; shift 2
  local logs=()
  while [[ $1 != -- ]]; do logs+=("$1"); shift; done
  shift
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${secs}s waiting for $what" "${logs[@]}"
    sleep 0.2
  done
}

leader_name() {
  local n
  for n in "${NODES[@]}"; do
    if [[ $(http_code "$(node_var "$n" REST_PORT)" /primary) == 200 ]]; then echo "$n"; return 0; fi
  done
  return 1
}

# ---------------------------------------------------------------------------- up
write_env() {
  local ports=() v i=0
  local names=(ETCD_PORT ETCD_PEER_PORT NODE1_PG_PORT NODE1_REST_PORT NODE2_PG_PORT NODE2_REST_PORT
    HAPROXY_PORT HAPROXY_REPLICA_PORT HAPROXY_STATS_PORT)
  mapfile -t ports < <(pick_ports "${#names[@]}")
  {
    echo "# written by stack.sh up; read by the other stack.sh commands"
    echo "SCOPE=${HA_SCOPE:-mfa-ha}"
    for v in "${names[@]}"; do echo "$v=${!v:-${ports[$i]}}"; i=$((i + 1)); done
    echo "SUPERUSER_PASSWORD=${HA_SUPERUSER_PASSWORD:-$(gen_password)}"
    echo "REPLICATION_PASSWORD=$(gen_password)"
    echo "REWIND_PASSWORD=$(gen_password)"
    echo "APP_USER=${HA_APP_USER:-mfa}"
    echo "APP_PASSWORD=${HA_APP_PASSWORD:-$(gen_password)}"
    echo "APP_DB=${HA_APP_DB:-mfa}"
    echo "TTL=${HA_TTL:-10}"
    echo "LOOP_WAIT=${HA_LOOP_WAIT:-1}"
    echo "RETRY_TIMEOUT=${HA_RETRY_TIMEOUT:-4}"
    echo "CHECK_INTER=${HA_CHECK_INTER:-500ms}"
    echo "CHECK_FASTINTER=${HA_CHECK_FASTINTER:-250ms}"
    echo "CHECK_FALL=${HA_CHECK_FALL:-2}"
    echo "CHECK_RISE=${HA_CHECK_RISE:-1}"
  } >"$DIR/stack.env"
  chmod 0600 "$DIR/stack.env"
}

render() { # TEMPLATE OUT NAME=VALUE...
  local tpl=$1 out=$2; shift 2
  local script=() kv k v
  for kv in "$@"; do
    k=${kv%%=*} v=${kv#*=}
    v=${v//\\/\\\\} v=${v//|/\\|} v=${v//&/\\&}
    script+=(-e "s|@${k}@|${v}|g")
  done
  (umask 077 && sed "${script[@]}" "$tpl" >"$out")
  chmod 0600 "$out" # holds passwords
  [[ $(id -u) -ne 0 ]] || chown "$RUN_AS:" "$out"
  if grep -n '@[A-Z0-9_]*@' "$out" >&2; then die "unreplaced placeholders in $out"; fi
}

render_all() {
  local common=(LISTEN_ADDR="$LISTEN_ADDR" SCOPE="$SCOPE")
  render "$TEMPLATES/etcd.conf" "$DIR/etcd.conf" "${common[@]}" ETCD_NAME=etcd1 \
    ETCD_DATA_DIR="$DIR/etcd" ETCD_PORT="$ETCD_PORT" ETCD_PEER_PORT="$ETCD_PEER_PORT"
  local n
  for n in "${NODES[@]}"; do
    render "$TEMPLATES/patroni-node.yml" "$DIR/$n.yml" "${common[@]}" NODE_NAME="$n" \
      PG_PORT="$(node_var "$n" PG_PORT)" REST_PORT="$(node_var "$n" REST_PORT)" \
      DATA_DIR="$DIR/$n/data" RUN_DIR="$DIR/$n/run" LOG_DIR="$DIR/logs" PG_BIN_DIR="$PG_BIN_DIR" \
      ETCD_HOSTS="$LISTEN_ADDR:$ETCD_PORT" TTL="$TTL" LOOP_WAIT="$LOOP_WAIT" RETRY_TIMEOUT="$RETRY_TIMEOUT" \
      SUPERUSER_PASSWORD="$SUPERUSER_PASSWORD" REPLICATION_PASSWORD="$REPLICATION_PASSWORD" \
      REWIND_PASSWORD="$REWIND_PASSWORD"
  done
  render "$TEMPLATES/haproxy.cfg" "$DIR/haproxy.cfg" "${common[@]}" \
    HAPROXY_PORT="$HAPROXY_PORT" HAPROXY_REPLICA_PORT="$HAPROXY_REPLICA_PORT" \
    HAPROXY_STATS_PORT="$HAPROXY_STATS_PORT" \
    NODE1_NAME=node1 NODE1_PG_PORT="$NODE1_PG_PORT" NODE1_REST_PORT="$NODE1_REST_PORT" \
    NODE2_NAME=node2 NODE2_PG_PORT="$NODE2_PG_PORT" NODE2_REST_PORT="$NODE2_REST_PORT" \
    CHECK_INTER="$CHECK_INTER" CHECK_FASTINTER="$CHECK_FASTINTER" \
    CHECK_FALL="$CHECK_FALL" CHECK_RISE="$CHECK_RISE"
}

start_patroni() { # NODE
  start_service "$1" patroni "$DIR/$1.yml"
}

# A standby streams synchronously (asked through HAProxy) AND Patroni has recorded it as the
# synchronous standby in the DCS (its REST /sync answers 200). Only then may Patroni fail
# over: a primary that crashes before that is restarted in place instead.
sync_streaming() {
  [[ $(psql_su "$HAPROXY_PORT" -c \
    "select count(*) from pg_stat_replication where state = 'streaming' and sync_state in ('sync','quorum')") -ge 1 ]] ||
    return 1
  local n
  for n in "${NODES[@]}"; do
    [[ $(http_code "$(node_var "$n" REST_PORT)" /sync) == 200 ]] && return 0
  done
  return 1
}

etcd_healthy() { [[ $(http_get "$ETCD_PORT" /health) == *'"health":"true"'* ]]; }

leader_writable() {
  [[ $(psql_su "$HAPROXY_PORT" -c 'select pg_is_in_recovery()') == f ]]
}

print_endpoints() {
  local n
  echo "HA_DIR=$DIR"
  echo "HAPROXY_PORT=$HAPROXY_PORT"
  echo "HAPROXY_REPLICA_PORT=$HAPROXY_REPLICA_PORT"
  echo "HAPROXY_STATS_PORT=$HAPROXY_STATS_PORT"
  echo "ETCD_PORT=$ETCD_PORT"
  for n in "${NODES[@]}"; do
    echo "${n^^}_NAME=$n"
    echo "${n^^}_PG_PORT=$(node_var "$n" PG_PORT)"
    echo "${n^^}_REST_PORT=$(node_var "$n" REST_PORT)"
    echo "${n^^}_DATA_DIR=$DIR/$n/data"
  done
  echo "SUPERUSER_URL=postgresql://postgres:$SUPERUSER_PASSWORD@$LISTEN_ADDR:$HAPROXY_PORT/postgres"
  echo "APP_USER=$APP_USER"
  echo "APP_PASSWORD=$APP_PASSWORD"
  echo "APP_DB=$APP_DB"
  echo "APP_URL=postgresql://$APP_USER:$APP_PASSWORD@$LISTEN_ADDR:$HAPROXY_PORT/$APP_DB"
  echo "APP_JDBC_URL=jdbc:postgresql://$LISTEN_ADDR:$HAPROXY_PORT/$APP_DB"
  echo "LEADER=$(leader_name || echo none)"
}

cmd_up() {
  local t0 n
  t0=$(now_ms)
  need_binaries
  mkdir -p "$1"
  DIR=$(cd "$1" && pwd)
  id "$RUN_AS" >/dev/null 2>&1 || die "user $RUN_AS does not exist (install postgresql-15 first)"
  [[ -f $DIR/stack.env ]] || write_env
  # shellcheck disable=SC1091
  . "$DIR/stack.env"
  mkdir -p "$DIR/logs" "$DIR/pids" "$DIR/etcd" "$DIR/node1/run" "$DIR/node2/run"
  chmod 0700 "$DIR/etcd"
  if [[ $(id -u) -eq 0 ]]; then
    chown "$RUN_AS:" "$DIR" "$DIR/logs" "$DIR/pids" "$DIR/etcd" "$DIR/node1" "$DIR/node1/run" \
      "$DIR/node2" "$DIR/node2/run" "$DIR/stack.env"
  fi
  as_user test -w "$DIR/logs" ||
    die "$RUN_AS cannot reach $DIR (a parent directory is not searchable by $RUN_AS? use e.g. /tmp/ha)"
  render_all

  log "starting etcd on $LISTEN_ADDR:$ETCD_PORT"
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  start_service etcd bash -c 'set -a; . "$1"; exec etcd' etcd "$DIR/etcd.conf"
  wait_for "etcd /health on port $ETCD_PORT" 30 "$(logfile etcd)" -- etcd_healthy

  for n in "${NODES[@]}"; do
    log "starting patroni $n (postgres $LISTEN_ADDR:$(node_var "$n" PG_PORT), rest $(node_var "$n" REST_PORT))"
    start_patroni "$n"
  done

  as_user haproxy -c -q -f "$DIR/haproxy.cfg" >"$DIR/logs/haproxy-check.log" 2>&1 ||
    die "haproxy rejects $DIR/haproxy.cfg" "$DIR/logs/haproxy-check.log"
  log "starting haproxy on $LISTEN_ADDR:$HAPROXY_PORT"
  start_service haproxy haproxy -db -f "$DIR/haproxy.cfg"

  local left=$((TIMEOUT - (($(now_ms) - t0) / 1000)))
  wait_for "a leader reachable through HAProxy port $HAPROXY_PORT" "$left" \
    "$(logfile node1)" "$(logfile node2)" "$DIR/logs/postgresql-node1.log" "$DIR/logs/postgresql-node2.log" \
    "$(logfile haproxy)" -- leader_writable
  log "leader $(leader_name || echo '?') accepts writes through HAProxy after $(($(now_ms) - t0)) ms"

  psql_su "$HAPROXY_PORT" <<SQL || die "could not create role/database $APP_USER/$APP_DB"
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '$APP_USER', '$APP_PASSWORD')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP_USER') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$APP_DB', '$APP_USER')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$APP_DB') \gexec
SQL

  left=$((TIMEOUT - (($(now_ms) - t0) / 1000)))
  ((left > 5)) || left=5
  wait_for "a standby streaming synchronously" "$left" \
    "$(logfile node1)" "$(logfile node2)" "$DIR/logs/postgresql-node1.log" "$DIR/logs/postgresql-node2.log" \
    -- sync_streaming
  log "ready after $(($(now_ms) - t0)) ms"
  print_endpoints
}

# ---------------------------------------------------------------------- the rest
cmd_down() {
  load_env "$1"
  local n ldr pm order=()
  stop_service haproxy 10
  ldr=$(leader_name || true)
  for n in "${NODES[@]}"; do [[ $n == "$ldr" ]] || order+=("$n"); done
  [[ -n $ldr ]] && order+=("$ldr")
  for n in "${order[@]}"; do stop_service "$n" 90; done
  for n in "${NODES[@]}"; do # a postmaster left over after its Patroni was killed
    if pm=$(postmaster_pid "$n"); then
      log "stopping orphaned postmaster $pm of $n"
      as_user "$PG_BIN_DIR/pg_ctl" stop -D "$DIR/$n/data" -m fast -t 30 >/dev/null 2>&1 || kill -KILL "$pm" 2>/dev/null || true
    fi
  done
  stop_service etcd 20
  log "stopped (files under $DIR left in place)"
}

cmd_kill_primary() {
  load_env "$1"
  local ldr pm
  ldr=$(leader_name) || die "no node answers 200 on /primary"
  pm=$(postmaster_pid "$ldr") || die "no running postmaster for leader $ldr"
  kill -KILL "$pm"
  echo "KILLED_NODE=$ldr"
  echo "KILLED_POSTMASTER_PID=$pm"
  echo "KILLED_AT_MS=$(now_ms)"
}

cmd_kill_node() {
  load_env "$1"
  local n=${2:-} pid pm
  if [[ -z $n ]]; then n=$(leader_name) || die "no node answers 200 on /primary; name the node"; fi
  [[ " ${NODES[*]} " == *" $n "* ]] || die "unknown node $n"
  pm=$(postmaster_pid "$n" || true)
  pid=$(service_pid "$n") && kill -KILL "$pid"
  [[ -n $pm ]] && kill -KILL "$pm" 2>/dev/null
  echo "KILLED_NODE=$n"
  echo "KILLED_PATRONI_PID=${pid:-}"
  echo "KILLED_POSTMASTER_PID=${pm:-}"
  echo "KILLED_AT_MS=$(now_ms)"
}

cmd_start_node() {
  load_env "$1"
  local n=${2:?node name}
  [[ " ${NODES[*]} " == *" $n "* ]] || die "unknown node $n"
  start_patroni "$n"
  echo "STARTED_NODE=$n"
}

cmd_wait_sync() {
  load_env "$1"
  wait_for "a standby streaming synchronously" "$TIMEOUT" \
    "$(logfile node1)" "$(logfile node2)" "$DIR/logs/postgresql-node1.log" "$DIR/logs/postgresql-node2.log" \
    -- sync_streaming
}

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

cmd=${1:-}
[[ -n $cmd ]] || usage
shift
case $cmd in
  install) cmd_install ;;
  up) cmd_up "${1:?usage: stack.sh up <dir>}" ;;
  down) cmd_down "${1:?usage: stack.sh down <dir>}" ;;
  env) load_env "${1:?dir}"; print_endpoints ;;
  leader) load_env "${1:?dir}"; leader_name || die "no leader (no node answers 200 on /primary)" ;;
  status) load_env "${1:?dir}"; patronictl -c "$DIR/node1.yml" list ;;
  kill-primary) cmd_kill_primary "${1:?dir}" ;;
  kill-node) cmd_kill_node "${1:?dir}" "${2:-}" ;;
  start-node) cmd_start_node "${1:?dir}" "${2:-}" ;;
  wait-sync) cmd_wait_sync "${1:?dir}" ;;
  *) usage ;;
esac
