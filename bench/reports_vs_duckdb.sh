#!/usr/bin/env bash
# chatrev's reports side by side with DuckDB SQL over the same store (issue 7): for each of
# `report response-time --by week --clock calendar`, `report conversion --by week` and
# `report funnel --by week`, runs chatrev and the SQL of bench/sql/ (bench/duckdb_reports.py, a
# whole `python` process: interpreter and duckdb start count, as chatrev's start does)
# alternately --runs times, each under /usr/bin/time, and prints the median wall time and median
# peak RSS of each and their ratios (chatrev ÷ DuckDB; below 1 means chatrev is faster/smaller).
#
# The store is bench/report.sh's (--store-only: generated pt-BR exports, seed 42, ingested, plus
# bench/orders.py orders). Before timing, bench/duckdb_check.py checks that both give the same
# numbers on that store (skip with --no-check). DuckDB and pandas are installed, pinned, into
# bench/.venv when it is missing.
#
# Usage: bench/reports_vs_duckdb.sh [--lines N] [--orders N] [--runs N] [--data DIR] [--no-check]
#   defaults: 12,000,000 lines (≈ 10 M messages), 1,000,000 orders, 5 runs
# Environment: CHATREV_BIN (default target/release/chatrev: use a release build for real
#   figures), GENERATE_BIN (see bench/report.sh), PYTHON (default bench/.venv/bin/python),
#   CARGO_TARGET_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LINES=12000000
ORDERS=1000000
RUNS=5
DATA=$TARGET/bench-report
CHECK=1
DUCKDB_VERSION=2.0.0
PANDAS_VERSION=3.1.1
while (($# > 0)); do
    case $1 in
        --lines) LINES=$2; shift 2 ;;
        --orders) ORDERS=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --data) DATA=$2; shift 2 ;;
        --no-check) CHECK=0; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "reports_vs_duckdb.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
[[ $LINES =~ ^[0-9]+$ && $ORDERS =~ ^[0-9]+$ && $RUNS =~ ^[1-9][0-9]*$ ]] || {
    echo "reports_vs_duckdb.sh: --lines, --orders and --runs take numbers" >&2
    exit 2
}
CHATREV_BIN=${CHATREV_BIN:-$TARGET/release/chatrev}
[[ -x $CHATREV_BIN ]] || { echo "reports_vs_duckdb.sh: no chatrev at $CHATREV_BIN (cargo build --release, or set CHATREV_BIN)" >&2; exit 1; }
CHATREV_BIN=$(cd "$(dirname "$CHATREV_BIN")" && pwd)/$(basename "$CHATREV_BIN")
[[ -x /usr/bin/time ]] && /usr/bin/time -f '%e' true >/dev/null 2>&1 || {
    echo "reports_vs_duckdb.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2
    exit 1
}

PYTHON=${PYTHON:-$ROOT/bench/.venv/bin/python}
if [[ ! -x $PYTHON ]]; then
    echo "reports_vs_duckdb.sh: installing duckdb==$DUCKDB_VERSION pandas==$PANDAS_VERSION into bench/.venv" >&2
    python3 -m venv "$ROOT/bench/.venv"
    "$ROOT/bench/.venv/bin/pip" install --quiet "duckdb==$DUCKDB_VERSION" "pandas==$PANDAS_VERSION"
    PYTHON=$ROOT/bench/.venv/bin/python
fi

CHATREV_BIN=$CHATREV_BIN "$ROOT/bench/report.sh" --lines "$LINES" --orders "$ORDERS" --data "$DATA" --store-only
store=$DATA/store-$LINES
config=$DATA/chatrev.toml
# report.sh's config names the latest orders file it wrote; this store's own orders are in.
if ((CHECK)); then
    echo "reports_vs_duckdb.sh: checking that chatrev and DuckDB agree on $store" >&2
    CHATREV_BIN=$CHATREV_BIN "$PYTHON" "$ROOT/bench/duckdb_check.py" --store "$store" --config "$config" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# timed NAME CMD...: one run, appends "wall_s rss_kb" to $work/NAME.
timed() {
    local name=$1
    shift
    if ! /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt"; then
        echo "reports_vs_duckdb.sh: $name failed:" >&2
        tail -n 20 "$work/err.txt" >&2
        exit 1
    fi
    tail -n 1 "$work/time.txt" >>"$work/$name"
}

declare -A FLAGS=(
    [response-time]="--by week --clock calendar"
    [conversion]="--by week"
    [funnel]="--by week"
)
REPORTS=(response-time conversion funnel)
for report in "${REPORTS[@]}"; do
    echo "reports_vs_duckdb.sh: $report × $RUNS, alternating" >&2
    for ((i = 1; i <= RUNS; i++)); do
        # shellcheck disable=SC2086 # FLAGS holds several words on purpose
        timed "chatrev-$report" "$CHATREV_BIN" --config "$config" --store "$store" -q \
            report "$report" ${FLAGS[$report]} --no-refresh --format csv
        timed "duckdb-$report" "$PYTHON" "$ROOT/bench/duckdb_reports.py" "$report" \
            --store "$store" --config "$config"
    done
done

# The messages table: month partitions (SPEC §4) past 1 M rows, else one file.
messages_table="$store/messages.parquet"
[[ -d "$store/messages" ]] && messages_table="$store/messages/*/*.parquet"
messages=$("$PYTHON" -c 'import duckdb, sys; print(duckdb.sql(f"select count(*) from read_parquet(\"{sys.argv[1]}\")").fetchall()[0][0])' "$messages_table")
order_rows=$("$PYTHON" -c 'import duckdb, sys; print(duckdb.sql(f"select count(*) from read_parquet(\"{sys.argv[1]}\")").fetchall()[0][0])' "$store/orders.parquet")
echo
echo "chatrev vs DuckDB: $(uname -srm), $(nproc) CPUs, $RUNS alternating runs each, medians of wall time and peak RSS from /usr/bin/time"
echo "chatrev: $CHATREV_BIN ($("$CHATREV_BIN" --version 2>/dev/null || echo '?')); duckdb $("$PYTHON" -c 'import duckdb; print(duckdb.__version__)') on $("$PYTHON" --version)"
echo "store: $store ($messages messages, $order_rows orders)"
[[ $CHATREV_BIN == */debug/* ]] && echo "NOTE: a debug build of chatrev: these figures say nothing about chatrev's speed"
echo
echo "| report | chatrev wall s | DuckDB wall s | time ratio | chatrev peak RSS MB | DuckDB peak RSS MB | memory ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for report in "${REPORTS[@]}"; do
    cw=$(awk '{ print $1 }' "$work/chatrev-$report" | median)
    dw=$(awk '{ print $1 }' "$work/duckdb-$report" | median)
    cm=$(awk '{ print $2 }' "$work/chatrev-$report" | median)
    dm=$(awk '{ print $2 }' "$work/duckdb-$report" | median)
    awk -v r="$report ${FLAGS[$report]}" -v cw="$cw" -v dw="$dw" -v cm="$cm" -v dm="$dm" 'BEGIN {
        printf "| %s | %.2f | %.2f | %.2f | %.0f | %.0f | %.2f |\n", r, cw, dw, (dw > 0 ? cw / dw : 0), cm / 1024, dm / 1024, (dm > 0 ? cm / dm : 0)
    }'
done
