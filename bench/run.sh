#!/usr/bin/env bash
# The one benchmark entry point of issue 7: chatrev side by side with its alternatives on the same
# generated data, on the same machine, in one run, with medians and ratios.
#
# 1. Ingest (always, unless --no-ingest; SPEC §9): whole-process wall time, lines/s, messages/s and
#    peak memory of `chatrev ingest` over generated WhatsApp exports; with --peers, side by side
#    with the npm whatsapp-chat-parser@4.0.2 (the fastest peer in PEERS.md, installed into
#    DATA/peers) parsing the same files in Node; and `wc -l` over the same files as the floor.
#    The tools run alternately (chatrev, peer, wc -l, chatrev, …) --runs times, each under
#    /usr/bin/time -v; the table shows the median wall time and the largest peak RSS, then the
#    ratios (peer wall ÷ chatrev wall = chatrev's throughput multiple; chatrev RSS ÷ peer RSS).
#    Inputs (generated once into DATA, reused while --lines and the generator are the same):
#      android-us12h  one export, `11/24/26, 2:32 PM - …` with U+202F, LF (peers' input 1)
#      ios24h-crlf    one export, `[24/11/2026, 14:32:05] …`, LRM marks, CRLF (peers' input 2)
#      corpus-br      the same number of lines over Android pt-BR chat files (~5,000 lines each)
#    Both single files are generated with --no-date-trap, like the peers' inputs.
# 2. --reports: each report versus DuckDB SQL over the same store. First builds bench/report.sh's
#    store of --check-lines lines (≈ 1 M messages) and checks with bench/duckdb_check.py that
#    chatrev and DuckDB give the same numbers there; then runs bench/reports_vs_duckdb.sh over the
#    --report-lines store (≈ 10 M messages, --report-orders orders; it checks that store too unless
#    --no-check), --report-runs alternating runs, and prints its table.
# 3. --scale "M1 M2 …": for each size (messages, approximately: --lines = M × 6/5 generated pt-BR
#    lines, M/10 orders, bench/report.sh's store), the chats' ingest into a fresh store
#    (--scale-runs times) and bench/report.sh's reports (response-time, conversion, funnel and
#    summary --by week, business clock; --scale-runs times each): median wall, all runs, peak RSS.
#
# Usage: bench/run.sh [--lines N] [--runs N] [--data DIR] [--peers] [--regenerate] [--no-ingest]
#                     [--reports] [--check-lines N] [--report-lines N] [--report-orders N]
#                     [--report-runs N] [--no-check] [--scale "M1 M2 …"] [--scale-runs N]
#   defaults: 1,000,000 ingest lines, 5 runs, no peers; reports: 1,200,000 check lines,
#   12,000,000 report lines, 1,000,000 orders, --runs runs; scale: 3 runs per size
#   issue 7 in one go: bench/run.sh --peers --reports --scale "1000000 3000000 10000000"
# Data (generated exports, stores, the npm peer) goes under --data (default
#   $CARGO_TARGET_DIR/bench-data, else target/bench-data); stores of --reports and --scale under
#   DATA/report (shared, so a size built once is reused). DuckDB and pandas, at the versions
#   pinned in bench/reports_vs_duckdb.sh (2.0.0, 3.1.1), are installed into bench/.venv when it is
#   missing. Needs GNU time at /usr/bin/time; --peers needs node and npm.
# Environment: CHATREV_BIN (when unset: `cargo build --release`, then target/release/chatrev),
#   GENERATE_BIN (default `cargo run --release --example generate --`), PYTHON (see
#   bench/reports_vs_duckdb.sh), CARGO_TARGET_DIR (honoured for the defaults).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LINES=1000000
RUNS=5
DATA=$TARGET/bench-data
PEERS=0
REGENERATE=0
INGEST=1
REPORTS=0
CHECK_LINES=1200000
REPORT_LINES=12000000
REPORT_ORDERS=1000000
REPORT_RUNS=
NO_CHECK=
SCALE=
SCALE_RUNS=3
TZ_NAME=America/Sao_Paulo
BUSINESS="Loja Exemplo"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

while (($# > 0)); do
    case $1 in
        --lines) LINES=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --data) DATA=$2; shift 2 ;;
        --peers) PEERS=1; shift ;;
        --regenerate) REGENERATE=1; shift ;;
        --no-ingest) INGEST=0; shift ;;
        --reports) REPORTS=1; shift ;;
        --check-lines) CHECK_LINES=$2; shift 2 ;;
        --report-lines) REPORT_LINES=$2; shift 2 ;;
        --report-orders) REPORT_ORDERS=$2; shift 2 ;;
        --report-runs) REPORT_RUNS=$2; shift 2 ;;
        --no-check) NO_CHECK=--no-check; shift ;;
        --scale) SCALE=$2; shift 2 ;;
        --scale-runs) SCALE_RUNS=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
REPORT_RUNS=${REPORT_RUNS:-$RUNS}
for n in "$LINES" "$CHECK_LINES" "$REPORT_LINES" "$REPORT_ORDERS" $SCALE; do
    [[ $n =~ ^[0-9]+$ ]] || { echo "run.sh: --lines, --check-lines, --report-lines, --report-orders and --scale take numbers" >&2; exit 2; }
done
for n in "$RUNS" "$REPORT_RUNS" "$SCALE_RUNS"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs, --report-runs and --scale-runs take numbers ≥ 1" >&2; exit 2; }
done

if [[ -z ${CHATREV_BIN:-} ]]; then
    echo "run.sh: cargo build --release (CHATREV_BIN not set)" >&2
    (cd "$ROOT" && cargo build --quiet --release --bin chatrev)
    CHATREV_BIN=$TARGET/release/chatrev
fi
if [[ ! -x $CHATREV_BIN ]]; then
    echo "run.sh: no chatrev binary at $CHATREV_BIN (cargo build --release, or set CHATREV_BIN)" >&2
    exit 1
fi
CHATREV_BIN=$(cd "$(dirname "$CHATREV_BIN")" && pwd)/$(basename "$CHATREV_BIN")
export CHATREV_BIN

generate() {
    if [[ -n ${GENERATE_BIN:-} ]]; then
        "$GENERATE_BIN" "$@"
    else
        (cd "$ROOT" && cargo run --quiet --release --example generate -- "$@")
    fi
}

have() { command -v "$1" >/dev/null 2>&1; }

if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true >/dev/null 2>&1; then
    echo "run.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2
    exit 1
fi

mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
WORK=$(mktemp -d "$DATA/run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "run.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) CPUs, load average$(uptime | sed 's/.*load average//')"
echo "run.sh: chatrev $CHATREV_BIN ($("$CHATREV_BIN" --version 2>/dev/null || echo '?'))"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { sort -g | tail -n 1; }

# Seconds from GNU time's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34".
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }

# measure_once NAME PREPARE_CMD CMD...: one run of CMD under /usr/bin/time -v (PREPARE_CMD before
# it, untimed) from the scratch folder, so no ./chatrev.toml is picked up. Appends the wall time
# to $WORK/NAME.walls and the peak RSS (kB) to $WORK/NAME.rss; the output goes to $WORK/NAME.log.
measure_once() {
    local name=$1 prepare=$2
    shift 2
    (cd "$WORK" && eval "$prepare")
    if ! (cd "$WORK" && /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/$name.log" 2>&1); then
        echo "run.sh: $name failed:" >&2
        tail -n 20 "$WORK/$name.log" >&2
        exit 1
    fi
    wall_of "$WORK/time.txt" >>"$WORK/$name.walls"
    rss_of "$WORK/time.txt" >>"$WORK/$name.rss"
}
wall_median() { median <"$WORK/$1.walls"; }
rss_max() { maxof <"$WORK/$1.rss"; }
all_runs() { paste -sd' ' "$WORK/$1.walls"; }

# ==== 1. ingest ==============================================================================
ingest_bench() {
    local INPUTS=(android-us12h ios24h-crlf corpus-br)
    local -A GEN_ARGS=(
        [android-us12h]="--single --format android-us12h --no-date-trap"
        [ios24h-crlf]="--single --format ios24h --crlf --no-date-trap"
        [corpus-br]="--format android-br"
    )
    local -A PATHS MESSAGES FILES SIZES
    local stamp input dir
    stamp="lines=$LINES generator=$(cat "$ROOT"/examples/generate/*.rs | cksum | cut -d' ' -f1)"
    for input in "${INPUTS[@]}"; do
        dir=$DATA/$input
        if ((REGENERATE)) || [[ ! -f $dir/.stamp || $(cat "$dir/.stamp") != "$stamp" ]]; then
            rm -rf "$dir"
            echo "run.sh: generating $input ($LINES lines)" >&2
            # shellcheck disable=SC2086 # GEN_ARGS holds several words on purpose
            generate ${GEN_ARGS[$input]} --lines "$LINES" --out "$dir" 2>"$WORK/gen.log" || {
                cat "$WORK/gen.log" >&2
                exit 1
            }
            # generate: F files, L lines, M messages, B bytes (…) -> DIR
            awk '/^generate:/ { print $6 }' "$WORK/gen.log" >"$dir/.messages"
            echo "$stamp" >"$dir/.stamp"
        fi
        if [[ $input == corpus-* ]]; then PATHS[$input]=$dir; else PATHS[$input]=$dir/export.txt; fi
        MESSAGES[$input]=$(cat "$dir/.messages")
        FILES[$input]=$(find "$dir" -type f ! -name '.*' | wc -l)
        SIZES[$input]=$(find "$dir" -type f ! -name '.*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    done

    local peer_dir=$DATA/peers/whatsapp-chat-parser peers=$PEERS peer_label=
    if ((peers)) && { ! have node || ! have npm; }; then
        echo "run.sh: --peers needs node and npm; skipping the peers" >&2
        peers=0
    fi
    if ((peers)); then
        if [[ ! -f $peer_dir/node_modules/whatsapp-chat-parser/package.json ]]; then
            echo "run.sh: installing whatsapp-chat-parser@4.0.2 into $peer_dir" >&2
            mkdir -p "$peer_dir"
            (cd "$peer_dir" && npm i --no-audit --no-fund --silent whatsapp-chat-parser@4.0.2 >&2)
        fi
        cp "$ROOT/bench/peers/whatsapp-chat-parser.mjs" "$peer_dir/"
        peer_label="whatsapp-chat-parser $(node -p 'require(process.argv[1]).version' "$peer_dir/node_modules/whatsapp-chat-parser/package.json") (node $(node --version)), parse only"
    fi

    # Alternating runs: chatrev, the peer (single files only, as in PEERS.md), wc -l.
    local i
    for input in "${INPUTS[@]}"; do
        echo "run.sh: ingest $input × $RUNS, alternating" >&2
        for ((i = 1; i <= RUNS; i++)); do
            measure_once "chatrev-$input" 'rm -rf store' \
                "$CHATREV_BIN" --store store ingest --chats "${PATHS[$input]}" \
                --source-tz "$TZ_NAME" --business "$BUSINESS"
            if ((peers)) && [[ $input != corpus-* ]]; then
                measure_once "peer-$input" ':' node "$peer_dir/whatsapp-chat-parser.mjs" "${PATHS[$input]}"
            fi
            measure_once "wc-$input" ':' find "${PATHS[$input]}" -type f ! -name '.*' -exec wc -l {} +
        done
        if [[ -f $WORK/peer-$input.log ]]; then
            echo "run.sh: whatsapp-chat-parser $input: $(cat "$WORK/peer-$input.log")" >&2
        fi
    done

    local rows=() tool name mb w rss
    for input in "${INPUTS[@]}"; do
        for tool in chatrev peer wc; do
            name=$tool-$input
            [[ -s $WORK/$name.walls ]] || continue
            case $tool in
                chatrev) label="chatrev ingest" ;;
                peer) label=$peer_label ;;
                wc) label="wc -l (floor)" ;;
            esac
            mb=$(awk -v b="${SIZES[$input]}" 'BEGIN { printf "%.1f", b / 1e6 }')
            w=$(wall_median "$name")
            rss=$(rss_max "$name")
            rows+=("$(awk -v i="$input" -v t="$label" -v f="${FILES[$input]}" -v l="$LINES" -v mb="$mb" \
                -v m="${MESSAGES[$input]}" -v w="$w" -v runs="$(all_runs "$name")" -v k="$rss" \
                -v b="${SIZES[$input]}" 'BEGIN {
                lps = (w > 0 ? sprintf("%.0f", l / w) : "n/a"); mps = (w > 0 ? sprintf("%.0f", m / w) : "n/a")
                printf "| %s | %s | %d | %d | %s | %d | %.2f | %s | %s | %s | %.0f | %.2f× |", i, t, f, l, mb, m, w, runs, lps, mps, k / 1024, k * 1024 / b
            }')")
        done
    done
    echo
    echo "## ingest: $RUNS alternating runs each, median wall time, max peak RSS (/usr/bin/time -v)"
    echo
    echo "| input | tool | files | lines | MB | messages | wall s (median) | all runs | lines/s | messages/s | peak RSS MB | RSS / input size |"
    echo "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    if ((peers)); then
        echo
        echo "| input | chatrev wall s | peer wall s | throughput ratio (peer ÷ chatrev wall) | chatrev RSS MB | peer RSS MB | memory ratio (chatrev ÷ peer) | chatrev ÷ wc -l wall |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|"
        for input in android-us12h ios24h-crlf; do
            awk -v i="$input" -v cw="$(wall_median "chatrev-$input")" -v pw="$(wall_median "peer-$input")" \
                -v cm="$(rss_max "chatrev-$input")" -v pm="$(rss_max "peer-$input")" \
                -v ww="$(wall_median "wc-$input")" 'BEGIN {
                printf "| %s | %.2f | %.2f | %.2f× | %.0f | %.0f | %.2f | %s |\n", i, cw, pw, pw / cw, cm / 1024, pm / 1024, cm / pm, (ww > 0 ? sprintf("%.0f×", cw / ww) : "n/a (wc -l under 10 ms)")
            }'
        done
    fi
}

# ==== 2. reports versus DuckDB ================================================================
reports_bench() {
    local report_data=$DATA/report python=${PYTHON:-$ROOT/bench/.venv/bin/python}
    # reports_vs_duckdb.sh installs the venv when it is missing; the check below needs it first.
    if [[ ! -x $python ]]; then
        echo "run.sh: installing duckdb and pandas into bench/.venv" >&2
        python3 -m venv "$ROOT/bench/.venv"
        "$ROOT/bench/.venv/bin/pip" install --quiet \
            "duckdb==$(sed -n 's/^DUCKDB_VERSION=//p' "$ROOT/bench/reports_vs_duckdb.sh")" \
            "pandas==$(sed -n 's/^PANDAS_VERSION=//p' "$ROOT/bench/reports_vs_duckdb.sh")"
        python=$ROOT/bench/.venv/bin/python
    fi
    echo "run.sh: checking chatrev against DuckDB on the $CHECK_LINES-line store" >&2
    "$ROOT/bench/report.sh" --lines "$CHECK_LINES" --orders $((CHECK_LINES / 12)) --data "$report_data" --store-only >&2
    "$python" "$ROOT/bench/duckdb_check.py" --store "$report_data/store-$CHECK_LINES" \
        --config "$report_data/chatrev.toml" >&2
    echo "run.sh: reports versus DuckDB on the $REPORT_LINES-line store" >&2
    echo
    echo "## reports versus DuckDB (bench/reports_vs_duckdb.sh; checked first on the $CHECK_LINES-line store)"
    PYTHON=$python "$ROOT/bench/reports_vs_duckdb.sh" --lines "$REPORT_LINES" --orders "$REPORT_ORDERS" \
        --runs "$REPORT_RUNS" --data "$report_data" $NO_CHECK
}

# ==== 3. scale ================================================================================
scale_bench() {
    local report_data=$DATA/report rows=() m lines orders store config i out
    for m in $SCALE; do
        lines=$((m * 6 / 5))
        orders=$((m / 10))
        echo "run.sh: scale $m messages: $lines lines, $orders orders" >&2
        "$ROOT/bench/report.sh" --lines "$lines" --orders "$orders" --data "$report_data" --store-only >&2
        store=$report_data/store-$lines
        # The store's config without its [[sources]] (the orders): the ingest timed is the chats'.
        config=$WORK/chats-only.toml
        sed '/^\[\[sources\]\]/,$d' "$report_data/chatrev.toml" >"$config"
        read -r messages order_rows < <("$CHATREV_BIN" --config "$report_data/chatrev.toml" --store "$store" \
            status --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["messages"]["rows"], d["orders"]["rows"])')
        for ((i = 1; i <= SCALE_RUNS; i++)); do
            measure_once "scale-ingest-$m" 'rm -rf store' \
                "$CHATREV_BIN" --config "$config" --store store -q ingest --chats "$report_data/chats-$lines"
        done
        rm -rf "$WORK/store"
        rows+=("$(awk -v m="$messages" -v o="$order_rows" -v r="$SCALE_RUNS" -v w="$(wall_median "scale-ingest-$m")" \
            -v runs="$(all_runs "scale-ingest-$m")" -v k="$(rss_max "scale-ingest-$m")" 'BEGIN {
            printf "| %d | %d | ingest (chats, fresh store) | %d | %.2f | %s | %.0f |", m, o, r, w, runs, k / 1024
        }')")
        # bench/report.sh times the reports: | store | report | runs | median | all runs | peak MB |
        out=$("$ROOT/bench/report.sh" --lines "$lines" --orders "$orders" --data "$report_data" --runs "$SCALE_RUNS")
        while IFS='|' read -r _ _ report runs med all peak _; do
            rows+=("$(printf '| %d | %d | report %s | %d | %s | %s | %s |' "$messages" "$order_rows" \
                "$(echo $report)" "$(echo $runs)" "$(echo $med)" "$(echo $all)" "$(echo $peak)")")
        done < <(grep -- '--by week' <<<"$out")
    done
    echo
    echo "## scale: median wall time, all runs, max peak RSS (ingest: /usr/bin/time -v; reports: bench/report.sh)"
    echo
    echo "| messages | orders | step | runs | wall s (median) | all runs | peak RSS MB |"
    echo "|---:|---:|---|---:|---:|---|---:|"
    printf '%s\n' "${rows[@]}"
}

((INGEST)) && ingest_bench
((REPORTS)) && reports_bench
[[ -n $SCALE ]] && scale_bench
echo
echo "run.sh: done $(date -u '+%Y-%m-%d %H:%M UTC'), load average$(uptime | sed 's/.*load average//')"
