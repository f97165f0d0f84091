#!/usr/bin/env bash
# Runs one fuzz target for a while: fuzz/run.sh TARGET [SECONDS]  (default 600).
# Expects `cargo afl build --release` done and fuzz/seeds/ built (seeds.sh). Findings land in
# fuzz/out/TARGET/default/{crashes,hangs}; the summary in fuzz/out/TARGET/default/fuzzer_stats.
set -euo pipefail
cd "$(dirname "$0")"
target=$1
secs=${2:-600}
bin="${CARGO_TARGET_DIR:-target}/release/$target"
# A shared machine: no CPU pinning, no governor check; never ask questions.
export AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_NO_UI=1 AFL_QUIET=1
mkdir -p out
nice -n 19 cargo afl fuzz -i "seeds/$target" -o "out/$target" -V "$secs" -- "$bin" >"out-$target.log" 2>&1 || true
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|stability|bitmap_cvg) ' \
  "out/$target/default/fuzzer_stats"
