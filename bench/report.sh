#!/usr/bin/env bash
# Benchmark of `chatrev report response-time|conversion|funnel|summary --by week` (business clock
# on) over a store of about 10 M messages and 1 M orders (issues 3, 4 and 5: each ≤ 3 s wall and
# ≤ 2 GiB peak on 2 cores).
#
# Generates 12,000,000 lines of pt-BR exports (2,400 chats, ≈ 10.3 M messages, ≈ 1 GB) with the
# project's generator (seed 42) and ingests them once into a scratch store; then writes --orders
# generic-CSV orders from the store's own sessions (bench/orders.py: most people who chatted buy
# within days, some never chatted) and ingests those once. Times each report --runs times and
# prints the median wall time and the peak RSS.
#
# Usage: bench/report.sh [--lines N] [--orders N] [--runs N] [--data DIR] [--store-only]
#   --store-only  build the store (DATA/store-LINES, config DATA/chatrev.toml) and stop: how
#                 bench/reports_vs_duckdb.sh gets its store
# Environment: CHATREV_BIN (default target/release/chatrev), GENERATE_BIN (default
#   `cargo run --release --example generate --`), CARGO_TARGET_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LINES=12000000
ORDERS=1000000
RUNS=5
DATA=$TARGET/bench-report
STORE_ONLY=0
while (($# > 0)); do
    case $1 in
        --lines) LINES=$2; shift 2 ;;
        --orders) ORDERS=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --data) DATA=$2; shift 2 ;;
        --store-only) STORE_ONLY=1; shift ;;
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
orders=$DATA/orders-$ORDERS.csv
cat >"$config" <<TOML
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
[[sources]]
kind = "orders"
format = "generic"
path = "$orders"
columns = { order_id = "id", created_at = "created", total = "total", currency = "currency", status = "status", phone = "phone", email = "email", refunded = "refunded" }
TOML
if [[ ! -d $chats ]]; then
    echo "report.sh: generating $LINES lines into $chats" >&2
    gen=(--lines "$LINES" --format android-br --chats $((LINES / 5000)) --out "$chats")
    if [[ -n ${GENERATE_BIN:-} ]]; then
        "$GENERATE_BIN" "${gen[@]}"
    else
        (cd "$ROOT" && cargo run --quiet --release --example generate -- "${gen[@]}")
    fi
fi
if [[ ! -f $store/manifest.json ]]; then
    echo "report.sh: ingesting the chats (once)" >&2
    "$CHATREV_BIN" --config "$config" --store "$store" ingest --chats "$chats"
fi
if [[ ! -f $orders ]]; then
    echo "report.sh: writing $ORDERS orders from the store's sessions" >&2
    "$CHATREV_BIN" --config "$config" --store "$store" sessions --reveal --no-refresh --format csv |
        python3 "$ROOT/bench/orders.py" "$ORDERS" >"$orders.tmp"
    mv "$orders.tmp" "$orders"
fi
# Ingests the orders file when it is new or changed (the config's only [[sources]] entry).
"$CHATREV_BIN" --config "$config" --store "$store" ingest
((STORE_ONLY)) && exit 0
counts=$("$CHATREV_BIN" --config "$config" --store "$store" status --format json |
    python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["messages"]["rows"], d["orders"]["rows"])')
read -r messages order_rows <<<"$counts"

echo
echo "| store | report | runs | wall s (median) | all runs | peak RSS MB |"
echo "|---|---|---:|---:|---|---:|"
for report in response-time conversion funnel summary; do
    walls=()
    peak=0
    for ((i = 1; i <= RUNS; i++)); do
        /usr/bin/time -f '%e %M' -o "$DATA/time.txt" \
            "$CHATREV_BIN" --config "$config" --store "$store" report "$report" --by week \
            --no-refresh --format csv >/dev/null
        read -r wall rss <"$DATA/time.txt"
        walls+=("$wall")
        ((rss > peak)) && peak=$rss
    done
    median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    echo "| $messages messages, $order_rows orders | $report --by week | $RUNS | $median | ${walls[*]} | $((peak / 1024)) |"
done
