#!/usr/bin/env python3
"""The DuckDB side of the comparison: runs bench/sql/ over a chatrev store and prints one report
as CSV on stdout, with the same parameters chatrev would use (read from the same chatrev.toml).

    duckdb_reports.py {response-time|conversion|funnel} --store DIR [--config FILE] [--tz TZ]
                      [--as-of RFC3339] [--since DATE] [--until DATE] [--no-by]

Reports are by ISO week (`--by week`) unless --no-by. Only what the SQL implements is accepted:
the `last` attribution model, the session funnel unit and the default funnel stages; anything else
is refused (exit 2) rather than computed differently. Imports only duckdb and the standard
library, so the process costs what an analyst's script would.
"""

import argparse
import datetime as dt
import pathlib
import sys
import tempfile
import tomllib
import zoneinfo

import duckdb

SQL = pathlib.Path(__file__).resolve().parent / "sql"
REPORTS = {
    "response-time": ["sessions.sql", "response_time.sql"],
    "conversion": ["sessions.sql", "attribution.sql", "conversion.sql"],
    "funnel": ["sessions.sql", "attribution.sql", "funnel.sql"],
}
# src/analytics/funnel.rs DEFAULT_QUOTE_REGEX (RE2 reads it the same, see README: \b and \d are
# ASCII-only in RE2, Unicode in Rust's regex).
QUOTE_REGEX = (
    r"(?i)(?:R\$|US\$|\$)\s?\d[\d.,]*"
    r"|https?://\S*(?:pay|checkout|pagamento|pagar|mpago|mercadopago|picpay|pagseguro|stripe|invoice|boleto|pix)\S*"
    r"|\b(?:or[çc]amento|cotizaci[oó]n|quote|pix|boleto)\b"
)
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def seconds(spec: str) -> int:
    spec = spec.strip()
    return int(spec[:-1]) * UNITS[spec[-1]]


def load_config(path):
    if path is None:
        return {}
    with open(path, "rb") as f:
        return tomllib.load(f)


def parameters(args) -> dict:
    """The SET VARIABLE values the SQL reads (see the header of bench/sql/sessions.sql)."""
    cfg = load_config(args.config)
    tz = args.tz or cfg.get("timezone") or "UTC"
    attribution = cfg.get("attribution", {})
    funnel = cfg.get("funnel", {})
    sessions = cfg.get("sessions", {})
    model = attribution.get("model", "last")
    if model != "last":
        sys.exit(f"duckdb_reports: the SQL implements the `last` model only, config says `{model}`")
    if funnel.get("unit", "session") != "session" or funnel.get("stages"):
        sys.exit("duckdb_reports: the SQL implements the session unit and default stages only")
    zone = zoneinfo.ZoneInfo(tz)

    def local_midnight_ms(day: str, plus_days: int = 0):
        d = dt.date.fromisoformat(day) + dt.timedelta(days=plus_days)
        return int(dt.datetime(d.year, d.month, d.day, tzinfo=zone).timestamp() * 1000)

    as_of = None
    if args.as_of:
        as_of = int(dt.datetime.fromisoformat(args.as_of).timestamp() * 1000)
    store = pathlib.Path(args.store).resolve()
    return {
        "messages": messages_glob(store),
        "orders": str(store / "orders.parquet"),
        "tz": tz,
        "as_of_ms": as_of,
        "since_ms": local_midnight_ms(args.since) if args.since else None,
        "until_ms": local_midnight_ms(args.until, 1) if args.until else None,
        "gap_ms": seconds(sessions.get("gap", "24h")) * 1000,
        "abandon_ms": seconds(sessions.get("abandon", "7d")) * 1000,
        "attr_window_ms": seconds(attribution.get("window", "7d")) * 1000,
        "funnel_window_ms": seconds(funnel.get("window", "14d")) * 1000,
        "quote_regex": QUOTE_REGEX,
        "by_week": not args.no_by,
    }


def messages_glob(store: pathlib.Path) -> str:
    """The store's messages table: its month partitions (SPEC §4) once it has them, else the one file."""
    if (store / "messages").is_dir():
        return str(store / "messages" / "*" / "*.parquet")
    return str(store / "messages.parquet")


def statements(files):
    for name in files:
        for stmt in (SQL / name).read_text().split(";\n"):
            if stmt.strip() and not all(
                line.strip().startswith("--") or not line.strip() for line in stmt.splitlines()
            ):
                yield stmt


def run(report: str, params: dict, con=None):
    """Runs the report's SQL; returns (columns, rows) of the last statement."""
    con = con or duckdb.connect()
    if not pathlib.Path(params["orders"]).exists():
        # A store without orders: an empty table of the same columns (chatrev reads it as none).
        tmp = tempfile.mkdtemp(prefix="duckdb-reports-")
        params = {**params, "orders": tmp + "/orders.parquet"}
        con.execute(
            f"COPY (SELECT NULL::VARCHAR AS order_id, NULL::VARCHAR AS person, NULL::TIMESTAMPTZ AS created_at, "
            "NULL::TIMESTAMPTZ AS paid_at, NULL::VARCHAR AS status, NULL::VARCHAR AS currency, "
            f"NULL::BIGINT AS total_minor, NULL::BIGINT AS refunded_minor LIMIT 0) TO '{params['orders']}' (FORMAT parquet)"
        )
    for key, value in params.items():
        con.execute(f"SET VARIABLE {key} = ?", [value])
    stmts = list(statements(REPORTS[report]))
    for stmt in stmts[:-1]:
        con.execute(stmt)
    result = con.execute(stmts[-1])
    columns = [d[0] for d in result.description]
    rows = result.fetchall()
    if not params["by_week"] and "period" in columns:
        i = columns.index("period")
        columns.pop(i)
        rows = [r[:i] + r[i + 1 :] for r in rows]
    return columns, rows


def argument_parser():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("report", choices=sorted(REPORTS))
    p.add_argument("--store", required=True)
    p.add_argument("--config")
    p.add_argument("--tz")
    p.add_argument("--as-of")
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--no-by", action="store_true", help="no --by week (funnel only)")
    return p


def main():
    args = argument_parser().parse_args()
    columns, rows = run(args.report, parameters(args))
    import csv

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(columns)
    out.writerows(rows)


if __name__ == "__main__":
    main()
