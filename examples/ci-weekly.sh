#!/usr/bin/env bash
# The weekly job: ingest the config's [[sources]] strictly, then write last week's conversion,
# response-time and funnel reports as CSV.
#
#   examples/ci-weekly.sh [CONFIG] [OUT_DIR]
#
# CONFIG defaults to examples/chatrev.toml, OUT_DIR to ./weekly. Environment:
#   CHATREV        the chatrev command (default: `chatrev` on PATH, else `cargo run --quiet --`)
#   CHATREV_STORE  a store directory other than the config's
#   PERIOD         the report period (default last-week)
#
# Exit status: 0 when every report was written; 3 when an input had rejected rows (nothing is
# ingested and no report is written: fix the file, or look at the rejects the error names);
# 1 on any other error. Reports go to OUT_DIR/<report>.csv, written atomically (mode 0600).
set -euo pipefail

config=${1:-examples/chatrev.toml}
out=${2:-weekly}
period=${PERIOD:-last-week}
if [[ -n ${CHATREV:-} ]]; then
    read -r -a chatrev <<<"$CHATREV"
elif command -v chatrev >/dev/null; then
    chatrev=(chatrev)
else
    chatrev=(cargo run --quiet --)
fi
global=(--config "$config")
[[ -n ${CHATREV_STORE:-} ]] && global+=(--store "$CHATREV_STORE")

# Fails with exit code 3 (and writes nothing) when any input row is rejected.
"${chatrev[@]}" "${global[@]}" ingest --strict

mkdir -p "$out"
for report in conversion response-time funnel; do
    "${chatrev[@]}" "${global[@]}" report "$report" --period "$period" --no-refresh \
        --format csv --output "$out/$report.csv"
done
echo "ci-weekly: wrote $out/conversion.csv, $out/response-time.csv, $out/funnel.csv for $period" >&2
