#!/usr/bin/env bash
# W1 "no-op burn-down" for troupe, on the protocol the peer job systems are
# measured with: enqueue N no-op jobs from one client, check the server holds
# exactly N queued, then start the workers and let them run until all N are
# complete, on a fresh server each repetition.
#
# usage: bench/w1.sh [N=100000]
#   env: SHAPE      cluster (default): `serve --slots 0` and one
#                   `troupe worker` with its default settings;
#                   embedded: `serve` with its local executor, the type
#                   paused while enqueuing and resumed to start the workers
#        REPS       repetitions (default 3)
#        DURABILITY serve's --durability (default: serve's own default)
#        TLS        1: the cluster over mutual TLS (cluster shape only)
#        TROUPE     the troupe binary (default build/apps/troupe)
#        PORT       the server's port on 127.0.0.1 (default 4960)
#
# Figures, as the peers define them:
#   enqueue_jps  N / enqueue time, measured around the submitting clients
#                (10,000 jobs per `troupe submit --batch`, each a new
#                connection and login, so this figure is conservative);
#   process_jps  N / (last completion - first start), both read back from the
#                jobs' own `started` and `finished` times (millisecond
#                precision) once all N are complete: the earliest start of
#                the 1,000 oldest jobs (dispatch is oldest first) and the
#                latest finish of the 1,000 last updated;
#   total_s      last completion - enqueue start.
# The detail lines add peak memory (VmHWM) and the CPU time (user and system)
# the server and the worker used from the workers' start to the last
# completion, per job (the server's includes answering the harness's polls).
# The last line is `W1 troupe[-SHAPE] N=... enqueue_jps=... process_jps=...
# total_s=...`, the median of each figure taken separately.
set -euo pipefail

N="${1:-100000}"
SHAPE="${SHAPE:-cluster}"
REPS="${REPS:-3}"
PORT="${PORT:-4960}"
HERE="$(cd "$(dirname "$0")" && pwd)"
TROUPE="${TROUPE:-$HERE/../build/apps/troupe}"
JOB_TIMEOUT_S="${JOB_TIMEOUT_S:-900}"
BATCH=10000

case "$SHAPE" in
cluster) PEER=troupe ;;
embedded) PEER=troupe-embedded ;;
*) echo "w1.sh: SHAPE: must be cluster or embedded, got '$SHAPE'" >&2; exit 2 ;;
esac
[[ -z "${DURABILITY:-}" ]] || PEER+="-$DURABILITY"
[[ "${TLS:-0}" == 1 ]] && PEER+="-tls"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "w1.sh: N: must be a positive integer, got '$N'" >&2; exit 2; }
[[ -x "$TROUPE" ]] || { echo "w1.sh: no troupe binary at $TROUPE (make build)" >&2; exit 2; }
command -v jq >/dev/null || { echo "w1.sh: needs jq (make bench-w1 installs it)" >&2; exit 2; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }

WORKDIR="$(mktemp -d /tmp/w1-troupe.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SERVER="127.0.0.1:$PORT"
client() { "$TROUPE" "$@" --server "$SERVER" "${CLIENT_FLAGS[@]}"; }

# The jobs, written once: files of at most $BATCH lines.
for ((k = 0; k * BATCH < N; k++)); do
  n=$((N - k * BATCH < BATCH ? N - k * BATCH : BATCH))
  awk -v n="$n" 'BEGIN {for (i = 0; i < n; i++) print "{\"type\": \"noop\"}"}' \
    >"$WORKDIR/jobs.$k.jsonl"
done

if [[ "${TLS:-0}" == 1 ]]; then
  [[ "$SHAPE" == cluster ]] || die "TLS=1 needs SHAPE=cluster"
  "$TROUPE" certs init "$WORKDIR/pki" >/dev/null
  for who in coordinator:admin worker:executor client:admin; do
    "$TROUPE" certs issue --name "${who%%:*}" --role "${who##*:}" "$WORKDIR/pki" >/dev/null
  done
  tls() { echo --tls-cert "$WORKDIR/pki/$1.pem" --tls-key "$WORKDIR/pki/$1.key" --tls-ca "$WORKDIR/pki/ca.pem"; }
fi

# CPU seconds (user and system) a process used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f", ($14 + $15) / hz}' "/proc/$1/stat"; }

hwm_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Waits until `file` has a line matching `pattern`, or `pid` exits.
wait_line() {
  local file="$1" pattern="$2" pid="$3" deadline=$((SECONDS + 60))
  until grep -q "$pattern" "$file" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || die "$(cat "$file" "$file.err" 2>/dev/null)"
    ((SECONDS < deadline)) || die "no '$pattern' within 60 s"
    sleep 0.05
  done
}

# The first start and the last completion, in seconds. The queue hands out
# jobs of one type, owner and priority oldest first, so the first start is
# among the oldest jobs; a completion is a completed job's last update, so
# the last one is among the most recently updated.
first_and_last() {
  local t='def t: capture("^(?<s>[^.]+)(\\.(?<ms>[0-9]+))?Z$") |
             (.s + "Z" | fromdateiso8601) + ((.ms // "0") | tonumber) / 1000;'
  local first last
  first=$(client list --status completed --sort created --limit 1000 --json |
    jq -r "$t"' map(.started | t) | min')
  last=$(client list --status completed --sort updated --desc --limit 1000 --json |
    jq -r "$t"' map(.finished | t) | max')
  echo "$first $last"
}

REP_LINES=()
for ((rep = 1; rep <= REPS; rep++)); do
  data="$WORKDIR/data$rep"
  serve_flags=(--data "$data" --listen "$SERVER")
  [[ -z "${DURABILITY:-}" ]] || serve_flags+=(--durability "$DURABILITY")
  [[ "$SHAPE" == cluster ]] && serve_flags+=(--slots 0)
  CLIENT_FLAGS=(--secret-file "$data/client.secret")
  if [[ "${TLS:-0}" == 1 ]]; then
    serve_flags+=($(tls coordinator))
    CLIENT_FLAGS=($(tls client))
  fi
  "$TROUPE" serve "${serve_flags[@]}" >"$WORKDIR/serve$rep.log" 2>"$WORKDIR/serve$rep.log.err" &
  server_pid=$!
  PIDS+=("$server_pid")
  wait_line "$WORKDIR/serve$rep.log" "listening on" "$server_pid"
  [[ "$SHAPE" == embedded ]] && client pause --type noop >/dev/null

  e0=$(now)
  for f in "$WORKDIR"/jobs.*.jsonl; do
    client submit --batch "$f" >/dev/null
  done
  e1=$(now)
  queued=$(client stats --json | jq '.by_status.queued')
  [[ "$queued" == "$N" ]] || die "the server holds $queued queued jobs, expected $N"

  tl=$(now)
  cpu0=$(cpu_s "$server_pid")
  worker_pid=""
  if [[ "$SHAPE" == cluster ]]; then
    worker_flags=(--join "$SERVER" --name w1-worker)
    [[ "${TLS:-0}" == 1 ]] && worker_flags+=($(tls worker))
    "$TROUPE" worker "${worker_flags[@]}" >"$WORKDIR/worker$rep.log" 2>&1 &
    worker_pid=$!
    PIDS+=("$worker_pid")
  else
    client resume --type noop >/dev/null
  fi

  deadline=$((SECONDS + JOB_TIMEOUT_S))
  until [[ "$(client stats --json | jq '.by_status.completed')" == "$N" ]]; do
    ((SECONDS < deadline)) || die "not all $N jobs completed within $JOB_TIMEOUT_S s"
    sleep 1 # the figures come from the jobs' own times; polling less often disturbs less
  done
  cpu1=$(cpu_s "$server_pid")
  cpu_worker=0
  [[ -z "$worker_pid" ]] || cpu_worker=$(cpu_s "$worker_pid")
  read -r first last < <(first_and_last)
  rss_server=$(hwm_mb "$server_pid")
  rss_worker=0
  [[ -n "$worker_pid" ]] && rss_worker=$(hwm_mb "$worker_pid")

  line=$(awk -v n="$N" -v e0="$e0" -v e1="$e1" -v tl="$tl" -v f="$first" -v l="$last" \
    -v rs="$rss_server" -v rw="$rss_worker" -v c0="$cpu0" -v c1="$cpu1" -v cw="$cpu_worker" 'BEGIN {
      printf "enqueue_jps=%.0f process_jps=%.0f total_s=%.2f worker_boot_s=%.2f rss_server_mb=%d rss_workers_mb=%d cpu_server_us_per_job=%.1f cpu_worker_us_per_job=%.1f",
        n / (e1 - e0), n / (l - f), l - e0, f - tl, rs, rw, (c1 - c0) * 1e6 / n, cw * 1e6 / n }')
  echo "rep $rep $PEER N=$N $line"
  REP_LINES+=("$line")

  for p in $worker_pid $server_pid; do kill -TERM "$p" 2>/dev/null || true; done
  for p in $worker_pid $server_pid; do wait "$p" 2>/dev/null || true; done
  PIDS=()
done

median() { # field name -> median over the repetitions
  printf '%s\n' "${REP_LINES[@]}" | tr ' ' '\n' | sed -n "s/^$1=//p" | sort -g |
    awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
echo "median-of-$REPS $PEER worker_boot_s=$(median worker_boot_s) rss_server_mb=$(median rss_server_mb) rss_workers_mb=$(median rss_workers_mb) cpu_server_us_per_job=$(median cpu_server_us_per_job) cpu_worker_us_per_job=$(median cpu_worker_us_per_job)"
echo "W1 $PEER N=$N enqueue_jps=$(median enqueue_jps) process_jps=$(median process_jps) total_s=$(median total_s)"
