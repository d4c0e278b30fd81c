#!/usr/bin/env bash
# A large backlog: enqueue N no-op jobs into a coordinator without executors,
# report the enqueue rate and the server's resident memory per queued job,
# then kill the server (SIGKILL) and start it again on the same store with
# its local executor, and report when it listens again and when its first
# job completed.
#
# usage: bench/backlog.sh [N=1000000]
#   env: TROUPE (default build/apps/troupe), PORT (default 4961)
set -euo pipefail

N="${1:-1000000}"
HERE="$(cd "$(dirname "$0")" && pwd)"
TROUPE="${TROUPE:-$HERE/../build/apps/troupe}"
PORT="${PORT:-4961}"
BATCH=10000
[[ "$N" =~ ^[1-9][0-9]*0000$ ]] || { echo "backlog.sh: N: must be a positive multiple of $BATCH, got '$N'" >&2; exit 2; }
command -v jq >/dev/null || { echo "backlog.sh: needs jq (make bench-deps installs it)" >&2; exit 2; }

WORKDIR="$(mktemp -d /tmp/backlog-troupe.XXXXXX)"
SERVER_PID=""
cleanup() {
  [[ -z "$SERVER_PID" ]] || { kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; } || true
  rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SERVER="127.0.0.1:$PORT"
DATA="$WORKDIR/data"
client() { "$TROUPE" "$@" --server "$SERVER" --secret-file "$DATA/client.secret"; }
now() { date +%s.%N; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
serve() { # log file, flags...
  local log="$1"
  shift
  "$TROUPE" serve --data "$DATA" --listen "$SERVER" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  until grep -q "listening on" "$log"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.02
  done
}

awk -v n="$BATCH" 'BEGIN {for (i = 0; i < n; i++) print "{\"type\": \"noop\"}"}' >"$WORKDIR/jobs.jsonl"
serve "$WORKDIR/serve1.log" --slots 0
empty=$(rss_kb "$SERVER_PID")
e0=$(now)
for ((k = 0; k < N / BATCH; k++)); do client submit --batch "$WORKDIR/jobs.jsonl" >/dev/null; done
e1=$(now)
queued=$(rss_kb "$SERVER_PID")
awk -v n="$N" -v e0="$e0" -v e1="$e1" -v a="$empty" -v b="$queued" 'BEGIN {
  printf "backlog N=%d enqueue_jps=%.0f rss_empty_mb=%.0f rss_queued_mb=%.0f bytes_per_queued_job=%.0f\n",
    n, n / (e1 - e0), a / 1024, b / 1024, (b - a) * 1024 / n }'

kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
r0=$(now)
serve "$WORKDIR/serve2.log"
r1=$(now)
until [[ "$(client stats --json | jq '.by_status.completed')" -gt 0 ]]; do sleep 0.05; done
r2=$(now)
awk -v n="$N" -v r0="$r0" -v r1="$r1" -v r2="$r2" 'BEGIN {
  printf "restart N=%d listening_s=%.2f first_completed_s=%.2f\n", n, r1 - r0, r2 - r0 }'
