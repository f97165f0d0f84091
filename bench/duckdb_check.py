#!/usr/bin/env python3
"""Checks that chatrev and the DuckDB SQL in bench/sql/ give the same numbers.

For each of `report response-time --by week --clock calendar`, `report conversion --by week`,
`report funnel --by week` and `report funnel` it runs chatrev (`--format csv --no-refresh`) and
the SQL (bench/duckdb_reports.py) with the same store, config, zone, period and as-of, and
compares them cell by cell: counts and money exactly, rates (4 decimals) within 1e-4 and
durations (whole seconds from percentiles and means) within 1 s, where floating point may round
the other way. Prints every difference; exits 1 on any mismatch.

    bench/.venv/bin/python bench/duckdb_check.py --example           # ingests examples/ into a temp store
    bench/.venv/bin/python bench/duckdb_check.py --store DIR --config FILE [--as-of T] [--since D] [--until D] [--tz TZ]

Environment: CHATREV_BIN (default $CARGO_TARGET_DIR/debug/chatrev, else target/debug/chatrev).
"""

import argparse
import csv
import io
import os
import pathlib
import subprocess
import sys
import tempfile
from decimal import Decimal

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import duckdb_reports  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHECKS = [
    ("response-time", ["--by", "week", "--clock", "calendar"], False),
    ("conversion", ["--by", "week"], False),
    ("funnel", ["--by", "week"], False),
    ("funnel", [], True),
]
KEYS = {"period", "currency", "clock", "metric", "step", "stage"}
DURATIONS = {"mean_s", "p50_s", "p90_s", "p95_s", "max_s", "time_to_order_p50_s",
             "time_from_previous_p50_s", "time_from_previous_p90_s"}
RATES = {"answer_rate", "conversion_rate", "match_rate", "from_start", "from_previous"}


def chatrev_bin() -> str:
    if os.environ.get("CHATREV_BIN"):
        return os.environ["CHATREV_BIN"]
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    return str(pathlib.Path(target) / "debug" / "chatrev")


def chatrev(args, report, flags):
    cmd = [chatrev_bin(), "--store", args.store, "-q"]
    if args.config:
        cmd += ["--config", args.config]
    cmd += ["report", report, *flags, "--format", "csv", "--no-refresh"]
    for flag in ("tz", "as_of", "since", "until"):
        value = getattr(args, flag)
        if value:
            cmd += ["--" + flag.replace("_", "-"), value]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    return rows[0], rows[1:]


def cell(v):
    """A value as text, for the exact comparison and the diff."""
    if v is None or v == "":
        return ""
    return str(v)


def same(column, a, b):
    a, b = cell(a), cell(b)
    if a == "" or b == "":
        return a == b
    if column in KEYS:
        return a == b
    if column in RATES or column.startswith("sla_"):
        return abs(float(a) - float(b)) <= 1e-4 + 1e-9
    if column in DURATIONS:
        return abs(float(a) - float(b)) <= 1.0
    return Decimal(a) == Decimal(b)


def compare(name, left, right):
    """left = chatrev, right = DuckDB: (columns, rows). Returns a list of difference lines."""
    (lc, lrows), (rc, rrows) = left, right
    if lc != rc:
        return [f"{name}: columns differ\n  chatrev: {lc}\n  duckdb:  {rc}"], len(lrows)
    keys = [i for i, c in enumerate(lc) if c in KEYS]

    def index(rows):
        return {tuple(cell(r[i]) for i in keys): r for r in rows}

    li, ri = index(lrows), index(rrows)
    diffs = []
    for k in sorted(set(li) | set(ri)):
        label = ",".join(k)
        if k not in ri:
            diffs.append(f"{name} [{label}]: only in chatrev: {li[k]}")
            continue
        if k not in li:
            diffs.append(f"{name} [{label}]: only in duckdb: {list(ri[k])}")
            continue
        for i, c in enumerate(lc):
            if not same(c, li[k][i], ri[k][i]):
                diffs.append(f"{name} [{label}] {c}: chatrev {cell(li[k][i])!r} ≠ duckdb {cell(ri[k][i])!r}")
    return diffs, len(li)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", help="an existing store (with --config, the config that made it)")
    p.add_argument("--config")
    p.add_argument("--example", action="store_true",
                   help="ingest examples/chatrev.toml into a temporary store and check that")
    p.add_argument("--tz")
    p.add_argument("--as-of")
    p.add_argument("--since")
    p.add_argument("--until")
    args = p.parse_args()
    tmp = None
    if args.example:
        tmp = tempfile.TemporaryDirectory(prefix="chatrev-check-")
        args.store = tmp.name + "/store"
        args.config = args.config or str(ROOT / "examples" / "chatrev.toml")
        subprocess.run([chatrev_bin(), "--config", args.config, "--store", args.store, "-q", "ingest"], check=True)
    if not args.store:
        p.error("give --store DIR (and --config FILE) or --example")

    failed = False
    for report, flags, no_by in CHECKS:
        name = "report " + " ".join([report, *flags])
        ns = argparse.Namespace(store=args.store, config=args.config, tz=args.tz, as_of=args.as_of,
                                since=args.since, until=args.until, no_by=no_by, report=report)
        left = chatrev(args, report, flags)
        right = duckdb_reports.run(report, duckdb_reports.parameters(ns))
        diffs, n = compare(name, left, right)
        if diffs:
            failed = True
            print(f"MISMATCH {name}: {len(diffs)} difference(s) over {n} chatrev row(s)")
            for d in diffs[:50]:
                print("  " + d)
            if len(diffs) > 50:
                print(f"  … {len(diffs) - 50} more")
        else:
            print(f"ok       {name}: {n} row(s) agree")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
