#!/usr/bin/env bash
# Renders the weekly page of the sample shop (report summary --format html) and takes the
# README's screenshot of it with headless Chromium (Debian's `chromium` package).
#
# Usage: examples/screenshot.sh [OUT.png]   (default docs/weekly-summary.png)
# Environment: CHATREV (default `cargo run --quiet --`), CHROMIUM (default chromium on PATH),
#   WIDTH and HEIGHT of the browser window (default 1100 × 2300: the headline and first charts).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$ROOT/docs/weekly-summary.png}
WIDTH=${WIDTH:-1100}
HEIGHT=${HEIGHT:-2300}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z $CHROMIUM ]]; then
    echo "screenshot.sh: no chromium on PATH (apt-get install chromium, or set CHROMIUM)" >&2
    exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
if [[ -n ${CHATREV:-} ]]; then
    run() { "$CHATREV" "$@"; }
else
    run() { cargo run --quiet -- "$@"; }
fi
# A store of its own, so the picture never depends on what ./chatrev-store holds.
run --config examples/chatrev.toml --store "$WORK/store" -q \
    report summary --format html --output "$WORK/weekly.html"
mkdir -p "$(dirname "$OUT")"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --hide-scrollbars --user-data-dir="$WORK/profile" --window-size="$WIDTH,$HEIGHT" \
    --screenshot="$OUT" "file://$WORK/weekly.html" 2>/dev/null
echo "screenshot.sh: wrote $OUT (${WIDTH}×${HEIGHT}) from examples/chatrev.toml" >&2
