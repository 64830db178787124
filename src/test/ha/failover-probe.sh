#!/usr/bin/env bash
# Measures one failover of a stack started by `stack.sh up <dir>`:
#   failover-probe.sh <dir> [kill-primary|kill-node]
# A writer (probe-writer.py) inserts one row per PROBE_INTERVAL (default 0.05 s) through
# HAProxy on one connection, reconnecting after errors, and logs each acknowledged id.
# The leader is killed; the script times Patroni's promotion of the other node (its REST
# /primary answering 200), the first write through HAProxy that succeeds again, the old leader coming back as a streaming standby (for kill-node its
# Patroni is started again first) and synchronous replication being back, then counts
# acknowledged rows missing from the table. Prints KEY=VALUE lines; exits 1 if a row was lost.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STACK=$HERE/stack.sh
DIR=$(cd "${1:?usage: failover-probe.sh <dir> [kill-primary|kill-node]}" && pwd)
MODE=${2:-kill-primary}
INTERVAL=${PROBE_INTERVAL:-0.05}
LIMIT=${PROBE_TIMEOUT:-120}

eval "$("$STACK" env "$DIR" | grep -E '^[A-Z0-9_]+=')"
now_ms() { date +%s%3N; }
code() { curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$1$2" 2>/dev/null || true; }
rest_port() { local v="${1^^}_REST_PORT"; echo "${!v}"; }
fail() { echo "failover-probe: $*" >&2; touch "$WORK/stop"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/failover-probe.XXXXXX")
RUN=$(date +%s%N)
export PGCONNECT_TIMEOUT=2
psql "$APP_URL" -X -q -v ON_ERROR_STOP=1 -c \
  'CREATE TABLE IF NOT EXISTS failover_probe (run bigint, id int, at timestamptz DEFAULT clock_timestamp(), PRIMARY KEY (run, id))'

/usr/bin/python3 "$HERE/probe-writer.py" "$APP_URL" "$RUN" "$INTERVAL" "$WORK" 2>>"$WORK/writer.err" &
WRITER=$!
trap 'touch "$WORK/stop"' EXIT

sleep 3
OLD=$("$STACK" leader "$DIR") || fail "no leader before the kill"
NEW=node1
[[ $OLD == node1 ]] && NEW=node2
LOG_OFFSET=$(stat -c %s "$DIR/logs/$OLD.log")
"$STACK" "$MODE" "$DIR" >"$WORK/kill.out"
T_KILL=$(grep '^KILLED_AT_MS=' "$WORK/kill.out" | cut -d= -f2)

# Patroni's part: the other node's REST /primary answers 200
deadline=$(($(now_ms) + LIMIT * 1000))
until [[ $(code "$(rest_port "$NEW")" /primary) == 200 ]]; do
  (($(now_ms) < deadline)) || fail "$NEW never became primary"
  sleep 0.02
done
T_PROMOTED=$(now_ms)

# first acknowledged write that started after the kill
T_WRITE=
while [[ -z $T_WRITE ]]; do
  T_WRITE=$(awk -v k="$T_KILL" '$2 > k && $3 == 0 { print $2; exit }' "$WORK/writes")
  [[ -n $T_WRITE ]] && break
  (($(now_ms) < deadline)) || fail "no write succeeded after the kill"
  sleep 0.05
done
LAST_OK_BEFORE=$(awk -v k="$T_KILL" '$2 <= k && $3 == 0 { t = $2 } END { print t }' "$WORK/writes")

if [[ $MODE == kill-node ]]; then
  "$STACK" start-node "$DIR" "$OLD" >/dev/null
fi
# the old leader is back as a running standby
deadline=$(($(now_ms) + LIMIT * 1000))
until [[ $(code "$(rest_port "$OLD")" /replica) == 200 ]]; do
  (($(now_ms) < deadline)) || fail "$OLD did not come back as a replica"
  sleep 0.1
done
T_REJOIN=$(now_ms)
HA_TIMEOUT=$LIMIT "$STACK" wait-sync "$DIR"
T_SYNC=$(now_ms)

sleep 2
touch "$WORK/stop"
wait "$WRITER" || true

ACKED=$(awk '$3 == 0' "$WORK/writes" | wc -l)
FAILED=$(awk '$3 != 0' "$WORK/writes" | wc -l)
awk '$3 == 0 { print $1 }' "$WORK/writes" | sort >"$WORK/acked"
psql "$APP_URL" -X -q -At -c "SELECT id FROM failover_probe WHERE run = $RUN ORDER BY id" | sort >"$WORK/stored"
LOST=$(comm -23 "$WORK/acked" "$WORK/stored" | wc -l)
UNACKED_STORED=$(comm -13 "$WORK/acked" "$WORK/stored" | wc -l)
REWIND=no
tail -c +"$((LOG_OFFSET + 1))" "$DIR/logs/$OLD.log" | grep -q "running pg_rewind from $NEW" && REWIND=yes

echo "MODE=$MODE"
echo "OLD_LEADER=$OLD"
echo "NEW_LEADER=$NEW"
echo "KILL_TO_PROMOTED_MS=$((T_PROMOTED - T_KILL))"
echo "KILL_TO_FIRST_WRITE_MS=$((T_WRITE - T_KILL))"
echo "WRITE_GAP_MS=$((T_WRITE - ${LAST_OK_BEFORE:-$T_KILL}))"
echo "KILL_TO_OLD_LEADER_REPLICA_MS=$((T_REJOIN - T_KILL))"
echo "KILL_TO_SYNC_AGAIN_MS=$((T_SYNC - T_KILL))"
echo "OLD_LEADER_PG_REWIND=$REWIND"
echo "WRITES_ACKED=$ACKED"
echo "WRITES_FAILED=$FAILED"
echo "ACKED_ROWS_LOST=$LOST"
echo "UNACKED_ROWS_STORED=$UNACKED_STORED"
echo "PROBE_WORK_DIR=$WORK"
((LOST == 0))
