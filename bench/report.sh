#!/usr/bin/env bash
# Benchmark of `chatrev report response-time --by week` over a store of about 10 M messages
# (issue 3: ≤ 3 s wall and ≤ 2 GiB peak on 2 cores), business clock on.
#
# Generates 12,000,000 lines of pt-BR exports (2,400 chats, ≈ 10.3 M messages, ≈ 1 GB) with the
# project's generator (seed 42), ingests them once into a scratch store, then times the report
# --runs times and prints the median wall time and the peak RSS.
#
# Usage: bench/report.sh [--lines N] [--runs N] [--data DIR]
# Environment: CHATREV_BIN (default target/release/chatrev), CARGO_TARGET_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LINES=12000000
RUNS=5
DATA=$TARGET/bench-report
while (($# > 0)); do
    case $1 in
        --lines) LINES=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --data) DATA=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "report.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
CHATREV_BIN=${CHATREV_BIN:-$TARGET/release/chatrev}
[[ -x $CHATREV_BIN ]] || { echo "report.sh: build first: cargo build --release (or set CHATREV_BIN)" >&2; exit 1; }

mkdir -p "$DATA"
chats=$DATA/chats-$LINES
store=$DATA/store-$LINES
config=$DATA/chatrev.toml
cat >"$config" <<'TOML'
timezone = "America/Sao_Paulo"
business_names = ["Loja Exemplo"]
agent_pattern = '^\*(?P<agent>[^*]+)\*:'
[business_hours]
mon = ["09:00-18:00"]
tue = ["09:00-18:00"]
wed = ["09:00-18:00"]
thu = ["09:00-18:00"]
fri = ["09:00-18:00"]
sat = ["09:00-13:00"]
[[auto_reply]]
regex = '^Olá! Obrigado por entrar em contato'
TOML
if [[ ! -d $chats ]]; then
    echo "report.sh: generating $LINES lines into $chats" >&2
    (cd "$ROOT" && cargo run --quiet --release --example generate -- \
        --lines "$LINES" --format android-br --chats $((LINES / 5000)) --out "$chats")
fi
if [[ ! -f $store/manifest.json ]]; then
    echo "report.sh: ingesting (once)" >&2
    "$CHATREV_BIN" --config "$config" --store "$store" ingest --chats "$chats"
fi
messages=$("$CHATREV_BIN" --config "$config" --store "$store" status --format json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["messages"]["rows"])')

walls=()
peak=0
for ((i = 1; i <= RUNS; i++)); do
    /usr/bin/time -f '%e %M' -o "$DATA/time.txt" \
        "$CHATREV_BIN" --config "$config" --store "$store" report response-time --by week \
        --no-refresh --format csv >/dev/null
    read -r wall rss <"$DATA/time.txt"
    walls+=("$wall")
    ((rss > peak)) && peak=$rss
done
median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo
echo "| store | report | runs | wall s (median) | all runs | peak RSS MB |"
echo "|---|---|---:|---:|---|---:|"
echo "| $messages messages | response-time --by week (both clocks) | $RUNS | $median | ${walls[*]} | $((peak / 1024)) |"
