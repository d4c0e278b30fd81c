#!/usr/bin/env bash
# Runs the W1 "no-op burn-down" of BullMQ, Sidekiq and troupe (cluster and
# embedded) in one sitting and prints a table of the medians with each
# figure's ratio to BullMQ's.
#
# usage: bench/peers.sh PEERS_DIR [N=100000] [OUT=build/bench-peers.md]
#   PEERS_DIR holds the peers' W1 scripts (bullmq.sh, sidekiq.sh and their
#   folders, on the same protocol as bench/w1.sh). It is copied to a
#   temporary folder first, since the BullMQ script installs its npm packages
#   beside itself. env: REPS (3), passed on to every script.
set -euo pipefail

PEERS="${1:?usage: bench/peers.sh PEERS_DIR [N] [OUT]}"
N="${2:-100000}"
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${3:-$HERE/../build/bench-peers.md}"
[[ -f "$PEERS/bullmq.sh" && -f "$PEERS/sidekiq.sh" ]] ||
  { echo "bench/peers.sh: $PEERS has no bullmq.sh and sidekiq.sh" >&2; exit 2; }

COPY="$(mktemp -d /tmp/w1-peers.XXXXXX)"
trap 'rm -rf "$COPY"' EXIT
cp -r "$PEERS"/. "$COPY"

LINES=()
run() { # label, command...: shows its output on stderr, keeps its final W1 line
  local label="$1" out line
  shift
  echo "== $label" >&2
  out=$("$@")
  printf '%s\n' "$out" >&2
  line=$(grep '^W1 ' <<<"$out" | tail -n 1)
  [[ -n "$line" ]] || { echo "bench/peers.sh: $label printed no W1 line" >&2; exit 1; }
  LINES+=("$label|$line")
}

run "BullMQ (1 process, concurrency 50)" bash "$COPY/bullmq.sh" "$N"
run "Sidekiq (2 processes, concurrency 10)" env PROCESSES=2 bash "$COPY/sidekiq.sh" "$N"
run "troupe cluster (serve --slots 0 + troupe worker, defaults)" bash "$HERE/w1.sh" "$N"
run "troupe embedded (serve, its local executor)" env SHAPE=embedded bash "$HERE/w1.sh" "$N"

field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }
base=$(field process_jps "${LINES[0]#*|}")
{
  echo "W1, N=$N, $(date -u +%Y-%m-%d), $(nproc) cores, median of ${REPS:-3} runs each"
  echo
  echo "| system | enqueue jobs/s | process jobs/s | ratio to BullMQ | total s |"
  echo "|---|---:|---:|---:|---:|"
  for entry in "${LINES[@]}"; do
    label="${entry%%|*}" line="${entry#*|}"
    p=$(field process_jps "$line")
    printf '| %s | %s | %s | %.2f | %s |\n' "$label" "$(field enqueue_jps "$line")" \
      "$p" "$(awk -v a="$p" -v b="$base" 'BEGIN {print a / b}')" "$(field total_s "$line")"
  done
} | tee "$OUT"
echo "written to $OUT" >&2
