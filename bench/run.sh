#!/usr/bin/env bash
# Whole-process benchmark of `chatrev ingest` (SPEC §9): wall time, lines/s, messages/s and peak
# memory over generated WhatsApp exports, optionally side by side with the npm
# whatsapp-chat-parser (the fastest peer in PEERS.md).
#
# Inputs (generated once into the data folder, reused while --lines and the generator are the same):
#   android-us12h  one 1,000,000-line export, `11/24/26, 2:32 PM - …` with U+202F, LF (peers' input 1)
#   ios24h-crlf    one 1,000,000-line export, `[24/11/2026, 14:32:05] …`, LRM marks, CRLF (peers' input 2)
#   corpus-br      1,000,000 lines over 200 Android pt-BR chat files (~5,000 lines each)
# Both single files are generated with --no-date-trap, like the peers' inputs.
#
# Each ingest runs --runs times into a fresh store; the table shows the median wall time and the
# largest peak RSS. Wall times come from hyperfine when it is installed, else from /usr/bin/time.
#
# Usage: bench/run.sh [--lines N] [--runs N] [--data DIR] [--peers] [--regenerate]
# Environment: CHATREV_BIN (default target/release/chatrev), GENERATE_BIN (default
#   `cargo run --release --example generate --`), CARGO_TARGET_DIR (honoured for both defaults).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LINES=1000000
RUNS=5
DATA=$TARGET/bench-data
PEERS=0
REGENERATE=0
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
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
[[ $LINES =~ ^[0-9]+$ && $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --lines and --runs take numbers" >&2; exit 2; }

CHATREV_BIN=${CHATREV_BIN:-$TARGET/release/chatrev}
if [[ ! -x $CHATREV_BIN ]]; then
    echo "run.sh: no chatrev binary at $CHATREV_BIN (cargo build --release, or set CHATREV_BIN)" >&2
    exit 1
fi
CHATREV_BIN=$(cd "$(dirname "$CHATREV_BIN")" && pwd)/$(basename "$CHATREV_BIN")

generate() {
    if [[ -n ${GENERATE_BIN:-} ]]; then
        "$GENERATE_BIN" "$@"
    else
        (cd "$ROOT" && cargo run --quiet --release --example generate -- "$@")
    fi
}

have() { command -v "$1" >/dev/null 2>&1; }

mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
WORK=$(mktemp -d "$DATA/run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# ---- inputs ---------------------------------------------------------------------------------
INPUTS=(android-us12h ios24h-crlf corpus-br)
declare -A GEN_ARGS=(
    [android-us12h]="--single --format android-us12h --no-date-trap"
    [ios24h-crlf]="--single --format ios24h --crlf --no-date-trap"
    [corpus-br]="--format android-br"
)
declare -A PATHS MESSAGES FILES SIZES

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

# ---- timing ---------------------------------------------------------------------------------
TIME_BIN=
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then TIME_BIN=/usr/bin/time; fi
if ! have hyperfine && [[ -z $TIME_BIN ]]; then
    echo "run.sh: neither hyperfine nor GNU /usr/bin/time found; using bash's time (no memory figures)" >&2
fi

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { sort -g | tail -n 1; }

# Seconds from GNU time's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34".
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }

# measure NAME PREPARE_CMD CMD...: runs CMD $RUNS times (PREPARE_CMD before each, untimed) from
# the scratch folder, so no ./chatrev.toml is picked up. Sets WALL (median s), RSS_KB (max) and
# LAST_LOG (the command's output).
measure() {
    local name=$1 prepare=$2
    shift 2
    local walls=$WORK/$name.walls rsss=$WORK/$name.rss log=$WORK/$name.log i loops=$RUNS
    # With hyperfine, one run under /usr/bin/time gives the memory; hyperfine does the timing.
    have hyperfine && loops=1
    : >"$walls"
    : >"$rsss"
    for ((i = 1; i <= loops; i++)); do
        (cd "$WORK" && eval "$prepare")
        if [[ -n $TIME_BIN ]]; then
            if ! (cd "$WORK" && "$TIME_BIN" -v -o "$WORK/time.txt" "$@" >"$log" 2>&1); then
                echo "run.sh: $name failed (run $i):" >&2
                tail -n 20 "$log" >&2
                exit 1
            fi
            wall_of "$WORK/time.txt" >>"$walls"
            rss_of "$WORK/time.txt" >>"$rsss"
        else
            local start end
            start=$(date +%s.%N)
            (cd "$WORK" && "$@" >"$log" 2>&1) || { echo "run.sh: $name failed:" >&2; tail -n 20 "$log" >&2; exit 1; }
            end=$(date +%s.%N)
            awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' >>"$walls"
        fi
    done
    if have hyperfine; then
        local cmd
        cmd=$(printf '%q ' "$@")
        (cd "$WORK" && hyperfine --style basic --runs "$RUNS" --prepare "$prepare" \
            --export-json "$WORK/$name.json" "$cmd" >"$WORK/$name.hyperfine" 2>&1) || {
            echo "run.sh: hyperfine failed for $name:" >&2
            tail -n 20 "$WORK/$name.hyperfine" >&2
            exit 1
        }
        WALL=$(grep -o '"median": *[0-9.e+-]*' "$WORK/$name.json" | head -n 1 | awk -F': *' '{ print $2 }')
    else
        WALL=$(median <"$walls")
    fi
    if [[ -s $rsss ]]; then RSS_KB=$(maxof <"$rsss"); else RSS_KB=; fi
    LAST_LOG=$log
}

ROWS=()
row() { # input tool
    local input=$1 tool=$2 mb rss ratio
    mb=$(awk -v b="${SIZES[$input]}" 'BEGIN { printf "%.1f", b / 1e6 }')
    if [[ -n $RSS_KB ]]; then
        rss=$(awk -v k="$RSS_KB" 'BEGIN { printf "%.0f", k / 1024 }')
        ratio=$(awk -v k="$RSS_KB" -v b="${SIZES[$input]}" 'BEGIN { printf "%.2f×", k * 1024 / b }')
    else
        rss=n/a
        ratio=n/a
    fi
    ROWS+=("$(awk -v i="$input" -v t="$tool" -v f="${FILES[$input]}" -v l="$LINES" -v mb="$mb" \
        -v m="${MESSAGES[$input]}" -v w="$WALL" -v rss="$rss" -v ratio="$ratio" 'BEGIN {
        printf "| %s | %s | %d | %d | %s | %d | %.3f | %.0f | %.0f | %s | %s |", i, t, f, l, mb, m, w, l / w, m / w, rss, ratio
    }')")
}

for input in "${INPUTS[@]}"; do
    echo "run.sh: chatrev ingest $input × $RUNS" >&2
    measure "chatrev-$input" 'rm -rf store' \
        "$CHATREV_BIN" --store store ingest --chats "${PATHS[$input]}" \
        --source-tz "$TZ_NAME" --business "$BUSINESS"
    row "$input" "chatrev ingest"
done

# ---- peers ----------------------------------------------------------------------------------
if ((PEERS)); then
    if ! have node || ! have npm; then
        echo "run.sh: --peers needs node and npm; skipping the peers" >&2
    else
        peer_dir=$DATA/peers/whatsapp-chat-parser
        if [[ ! -f $peer_dir/node_modules/whatsapp-chat-parser/package.json ]]; then
            echo "run.sh: installing whatsapp-chat-parser@4.0.2 into $peer_dir" >&2
            mkdir -p "$peer_dir"
            (cd "$peer_dir" && npm i --no-audit --no-fund --silent whatsapp-chat-parser@4.0.2 >&2)
        fi
        cp "$ROOT/bench/peers/whatsapp-chat-parser.mjs" "$peer_dir/"
        for input in android-us12h ios24h-crlf; do
            echo "run.sh: whatsapp-chat-parser $input × $RUNS" >&2
            measure "peer-$input" ':' node "$peer_dir/whatsapp-chat-parser.mjs" "${PATHS[$input]}"
            echo "run.sh: whatsapp-chat-parser $input: $(cat "$LAST_LOG")" >&2
            row "$input" "whatsapp-chat-parser 4.0.2 (node $(node --version))"
        done
    fi
fi

# ---- report ---------------------------------------------------------------------------------
timer=$([[ -n $TIME_BIN ]] && echo "/usr/bin/time -v" || echo "bash")
have hyperfine && timer="hyperfine (wall), /usr/bin/time -v (RSS)"
echo
echo "chatrev bench: $(uname -srm), $(nproc) CPUs, $RUNS runs each, median wall time, max peak RSS; timer: $timer"
echo "binary: $CHATREV_BIN"
echo
echo "| input | tool | files | lines | MB | messages | wall s (median) | lines/s | messages/s | peak RSS MB | RSS / input size |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
