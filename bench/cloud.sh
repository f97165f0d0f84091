#!/usr/bin/env bash
# Benchmark of `chatrev ingest --cloud-api` (issue 6: at least 500,000 webhook lines/s wall on
# 2 cores for a generated 1 M-line file).
#
# Generates --lines webhook lines with the project's generator (seed 42: ~100 k customers,
# statuses out of order and retried, wrapped lines, echoes), then ingests the file into a fresh
# store --runs times and prints the median wall time, lines/s and the peak RSS.
#
# Usage: bench/cloud.sh [--lines N] [--runs N] [--data DIR]
# Environment: CHATREV_BIN (default target/release/chatrev), CARGO_TARGET_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LINES=1000000
RUNS=5
DATA=$TARGET/bench-cloud
while (($# > 0)); do
    case $1 in
        --lines) LINES=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --data) DATA=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "cloud.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
CHATREV_BIN=${CHATREV_BIN:-$TARGET/release/chatrev}
[[ -x $CHATREV_BIN ]] || { echo "cloud.sh: build first: cargo build --release (or set CHATREV_BIN)" >&2; exit 1; }

mkdir -p "$DATA"
log=$DATA/webhooks-$LINES.jsonl
if [[ ! -f $log ]]; then
    echo "cloud.sh: generating $LINES webhook lines into $log" >&2
    (cd "$ROOT" && cargo run --quiet --release --example generate -- --cloud-api "$log" --lines "$LINES")
fi
bytes=$(stat -c %s "$log")

walls=()
peak=0
for ((i = 1; i <= RUNS; i++)); do
    rm -rf "$DATA/store"
    /usr/bin/time -f '%e %M' -o "$DATA/time.txt" \
        "$CHATREV_BIN" --store "$DATA/store" -q ingest --cloud-api "$log"
    read -r wall rss <"$DATA/time.txt"
    walls+=("$wall")
    ((rss > peak)) && peak=$rss
done
median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
rate=$(awk -v l="$LINES" -v s="$median" 'BEGIN { printf "%.0f", l / s }')
echo
echo "| input | runs | wall s (median) | all runs | lines/s | peak RSS MB |"
echo "|---|---:|---:|---|---:|---:|"
echo "| $LINES webhook lines, $((bytes / 1000000)) MB | $RUNS | $median | ${walls[*]} | $rate | $((peak / 1024)) |"
