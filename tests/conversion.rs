//! Attribution and conversion through the binary over testdata/conversion (as of
//! 2026-11-20 12:00 -03:00, window 7d). Every number below was computed by hand:
//!
//! Sessions (all customer-initiated, one question and one reply each):
//! - A = +55 11 98765-4321: S1 Mon 2 Nov 10:00–10:05 (Ana), S2 Thu 5 Nov 09:00–09:10 (Bruno).
//! - B = +55 21 8765-4321 (a legacy 12-digit WhatsApp number; the shop has +55 21 98765-4321):
//!   S3 Tue 3 Nov 15:00–15:30, S4 Fri 6 Nov 15:00–15:20, S5 Mon 9 Nov 15:00–15:10 (all Ana).
//! - C = +55 31 99999-0000: S6 Sun 1 Nov 10:00–10:05.
//! - G = +55 11 91111-2222: S7 Wed 18 Nov 10:00–10:02 — immature (18 Nov + 7d > as-of).
//!
//! Orders: A1 5 Nov 12:00 BRL 100.00 paid; A4 5 Nov 13:00 USD 20.00 paid; A2 6 Nov cancelled
//! 30.00; A3 7 Nov pending 40.00 (all A); B1 10 Nov 10:00 BRL 100.00 partially refunded 10.00;
//! D1 12 Nov 80.00 paid, nobody who chatted (no_conversation); E1 12 Nov pending 20.00 with
//! neither phone nor e-mail (no_person); C1 15 Nov 50.00 paid, C's only session 14 days before
//! (outside_window); G1 19 Nov 60.00 paid.

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

const AS_OF: &str = "2026-11-20T12:00:00-03:00";

fn config() -> PathBuf {
    common::config("conversion")
}

fn run(store: &Path, args: &[&str]) -> String {
    common::run_ok(&config(), store, args)
}

/// CSV output as rows of (header → value).
fn csv_rows(store: &Path, args: &[&str]) -> Vec<Vec<(String, String)>> {
    let mut all = args.to_vec();
    all.extend(["--as-of", AS_OF, "--format", "csv"]);
    let text = run(store, &all);
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

fn get<'a>(row: &'a [(String, String)], column: &str) -> &'a str {
    &row.iter()
        .find(|(h, _)| h == column)
        .unwrap_or_else(|| panic!("no column {column}"))
        .1
}

/// The named columns of a row, in order, joined by `,`.
fn pick(row: &[(String, String)], columns: &str) -> String {
    columns
        .split(',')
        .map(|c| get(row, c))
        .collect::<Vec<_>>()
        .join(",")
}

const SESSION_COLS: &str =
    "sessions,mature_sessions,immature_sessions,converted_sessions,conversion_rate";
const MONEY_COLS: &str = "attributed_orders,gross_revenue,refunds,net_revenue,revenue_per_session,average_order_value,time_to_order_p50_s";
const ORDER_COLS: &str =
    "unattributed_orders,unattributed_revenue,match_rate,matched_orders,orders";

#[test]
fn conversion_last_touch_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = csv_rows(tmp.path(), &["report", "conversion"]);
    assert_eq!(rows.len(), 2, "one row per currency");
    let (brl, usd) = (&rows[0], &rows[1]);
    assert_eq!(get(brl, "currency"), "BRL");
    assert_eq!(get(usd, "currency"), "USD");
    // 7 sessions, S7 immature; S2 (A1, A4) and S5 (B1) converted: 2 of 6.
    for r in [brl, usd] {
        assert_eq!(pick(r, SESSION_COLS), "7,6,1,2,0.3333");
    }
    // BRL: A1 100 + B1 100 (refund 10) + G1 60 = 260 / 10 / 250; 250 ÷ 7 = 35.71; 260 ÷ 3 =
    // 86.67; session start → order: A1 3 h, B1 19 h, G1 24 h, median 68400 s.
    assert_eq!(
        pick(brl, MONEY_COLS),
        "3,260.00,10.00,250.00,35.71,86.67,68400"
    );
    // Unattributed paid orders: D1 80 + C1 50 (E1 is pending). 6 of 8 BRL orders have a person
    // with a session (A×3, B1, C1, G1).
    assert_eq!(pick(brl, ORDER_COLS), "2,130.00,0.7500,6,8");
    // USD never mixes with BRL: A4 20.00 alone; 20 ÷ 7 = 2.86; 4 h to order.
    assert_eq!(pick(usd, MONEY_COLS), "1,20.00,0.00,20.00,2.86,20.00,14400");
    assert_eq!(pick(usd, ORDER_COLS), "0,0.00,1.0000,1,1");
}

#[test]
fn conversion_by_week_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = csv_rows(tmp.path(), &["report", "conversion", "--by", "week"]);
    let line = |r: &Vec<(String, String)>| {
        format!(
            "{} {} {} | {} | {}",
            get(r, "period"),
            get(r, "currency"),
            pick(r, SESSION_COLS),
            pick(r, MONEY_COLS),
            pick(r, ORDER_COLS)
        )
    };
    let got: Vec<String> = rows.iter().map(line).collect();
    assert_eq!(
        got,
        [
            // W44: S6 only; no order created that week.
            "2026-W44 BRL 1,1,0,0,0.0000 | 0,0.00,0.00,0.00,0.00,, | 0,0.00,,0,0",
            "2026-W44 USD 1,1,0,0,0.0000 | 0,0.00,0.00,0.00,0.00,, | 0,0.00,,0,0",
            // W45: S1–S4, S2 converted; A1 is credited here, B1 (to S5) is not; A1, A2, A3 created.
            "2026-W45 BRL 4,4,0,1,0.2500 | 1,100.00,0.00,100.00,25.00,100.00,10800 | 0,0.00,1.0000,3,3",
            "2026-W45 USD 4,4,0,1,0.2500 | 1,20.00,0.00,20.00,5.00,20.00,14400 | 0,0.00,1.0000,1,1",
            // W46: S5 converted by B1; B1, D1, E1, C1 created (D1 and C1 unattributed and paid).
            "2026-W46 BRL 1,1,0,1,1.0000 | 1,100.00,10.00,90.00,90.00,100.00,68400 | 2,130.00,0.5000,2,4",
            "2026-W46 USD 1,1,0,1,1.0000 | 0,0.00,0.00,0.00,0.00,, | 0,0.00,,0,0",
            // W47: S7 is immature: no rate, but its money counts.
            "2026-W47 BRL 1,0,1,0, | 1,60.00,0.00,60.00,60.00,60.00,86400 | 0,0.00,1.0000,1,1",
            "2026-W47 USD 1,0,1,0, | 0,0.00,0.00,0.00,0.00,, | 0,0.00,,0,0",
        ]
    );
}

#[test]
fn conversion_linear_credits_every_touch() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = csv_rows(
        tmp.path(),
        &[
            "report",
            "conversion",
            "--model",
            "linear",
            "--by",
            "currency",
        ],
    );
    let brl = &rows[0];
    // A1 splits S1/S2, B1 splits S3/S4/S5: five of six mature sessions converted.
    assert_eq!(pick(brl, SESSION_COLS), "7,6,1,5,0.8333");
    // Pairs: 10800, 68400, 86400, 266400, 327600, 586800 → median (86400 + 266400) / 2.
    assert_eq!(
        pick(brl, MONEY_COLS),
        "3,260.00,10.00,250.00,35.71,86.67,176400"
    );
    // --by currency alone: the currency is the only group column.
    assert_eq!(brl[0].0, "currency");
}

/// `attribute` rows of one order: (session start, weight, gross, refunds, net).
fn credits(store: &Path, model: &[&str], order: &str) -> Vec<String> {
    let mut args = vec!["attribute", "--reveal"];
    args.extend(model);
    let rows = csv_rows(store, &args);
    rows.iter()
        .filter(|r| get(r, "order_id") == order)
        .map(|r| pick(r, "touch_at,weight,gross,refunds,net,reason"))
        .collect()
}

#[test]
fn attribute_rows_for_every_model_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let s = tmp.path();
    // last: all to S5; the refund follows the credit.
    assert_eq!(
        credits(s, &[], "B1"),
        ["2026-11-09T15:10:00-03:00,1.0000,100.00,10.00,90.00,"]
    );
    // first: S3.
    assert_eq!(
        credits(s, &["--model", "first"], "B1"),
        ["2026-11-03T15:30:00-03:00,1.0000,100.00,10.00,90.00,"]
    );
    // linear, 3 ways: 10000 / 3 = 3333.33 each, the spare cent to the earliest touch; the
    // 1000-cent refund the same way; net 30.00 on every row.
    assert_eq!(
        credits(s, &["--model", "linear"], "B1"),
        [
            "2026-11-03T15:30:00-03:00,0.3333,33.34,3.34,30.00,",
            "2026-11-06T15:20:00-03:00,0.3333,33.33,3.33,30.00,",
            "2026-11-09T15:10:00-03:00,0.3333,33.33,3.33,30.00,",
        ]
    );
    // position, 3 touches: 40/20/40.
    assert_eq!(
        credits(s, &["--model", "position"], "B1"),
        [
            "2026-11-03T15:30:00-03:00,0.4000,40.00,4.00,36.00,",
            "2026-11-06T15:20:00-03:00,0.2000,20.00,2.00,18.00,",
            "2026-11-09T15:10:00-03:00,0.4000,40.00,4.00,36.00,",
        ]
    );
    // time-decay, half-life 7d: Δt = 585000, 326400, 67800 s; 2^(−Δt/604800) normalised =
    // 0.24074, 0.32378, 0.43548 → 2407.36, 3237.84, 4354.81 cents: floors sum to 9998, the two
    // largest remainders (.84, .81) get a cent. Refunds 240.74, 323.78, 435.48: floors 998,
    // remainders .78 and .74 get a cent.
    assert_eq!(
        credits(s, &["--model", "time-decay"], "B1"),
        [
            "2026-11-03T15:30:00-03:00,0.2407,24.07,2.41,21.66,",
            "2026-11-06T15:20:00-03:00,0.3238,32.38,3.24,29.14,",
            "2026-11-09T15:10:00-03:00,0.4355,43.55,4.35,39.20,",
        ]
    );
    // time-decay, two touches: Δt = 266100 s (S1) and 10200 s (S2): 0.4272 / 0.5728.
    assert_eq!(
        credits(s, &["--model", "time-decay", "--half-life", "7d"], "A1"),
        [
            "2026-11-02T10:05:00-03:00,0.4272,42.72,0.00,42.72,",
            "2026-11-05T09:10:00-03:00,0.5728,57.28,0.00,57.28,",
        ]
    );
    // A cancelled and a pending order keep their weights, with no money.
    assert_eq!(
        credits(s, &[], "A2"),
        ["2026-11-05T09:10:00-03:00,1.0000,0.00,0.00,0.00,"]
    );
    assert_eq!(
        credits(s, &[], "A3"),
        ["2026-11-05T09:10:00-03:00,1.0000,0.00,0.00,0.00,"]
    );
    // Unattributed orders: one row each with the reason; paid ones carry their money.
    assert_eq!(
        credits(s, &[], "D1"),
        [",,80.00,0.00,80.00,no_conversation"]
    );
    assert_eq!(credits(s, &[], "E1"), [",,0.00,0.00,0.00,no_person"]);
    assert_eq!(credits(s, &[], "C1"), [",,50.00,0.00,50.00,outside_window"]);
    // A 14-day window reaches C's session (1 Nov 10:05 → 15 Nov 10:00 is 13d 23h 55m).
    assert_eq!(
        credits(s, &["--window", "14d"], "C1"),
        ["2026-11-01T10:05:00-03:00,1.0000,50.00,0.00,50.00,"]
    );
}

#[test]
fn legacy_twelve_digit_number_matches_the_shop_phone() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = csv_rows(tmp.path(), &["attribute", "--reveal"]);
    let b1 = rows.iter().find(|r| get(r, "order_id") == "B1").unwrap();
    assert_eq!(get(b1, "person"), "tel:+5521987654321");
    assert!(!get(b1, "session_id").is_empty());
}

#[test]
fn attribute_hides_persons_unless_revealed() {
    let tmp = tempfile::tempdir().unwrap();
    let hidden = run(
        tmp.path(),
        &["attribute", "--as-of", AS_OF, "--format", "csv"],
    );
    assert!(
        !hidden.contains("tel:") && !hidden.contains("+55"),
        "{hidden}"
    );
    assert_eq!(
        hidden.lines().next().unwrap(),
        "order_id,session_id,person,model,weight,currency,gross,refunds,net,order_created_at,touch_at,reason"
    );
    // Nine orders; B1 is one row under `last`.
    assert_eq!(hidden.lines().count(), 1 + 9);
}

#[test]
fn sessions_carry_attributed_orders_and_stage() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = csv_rows(tmp.path(), &["sessions", "--reveal"]);
    let cols = "stage,attributed_orders,attributed_net,currency";
    let at = |start: &str| {
        let r = rows.iter().find(|r| get(r, "start") == start).unwrap();
        pick(r, cols)
    };
    // S2 holds A1 (BRL) and A4 (USD): two currencies, so no single net. The stage is the ordered
    // funnel's: no session here has a second customer message after the reply, so none is
    // `engaged`, and credited orders do not lift the stage past it.
    assert_eq!(at("2026-11-05T09:00:00-03:00"), "lead,2,,");
    assert_eq!(at("2026-11-09T15:00:00-03:00"), "lead,1,90.00,BRL");
    assert_eq!(at("2026-11-18T10:00:00-03:00"), "lead,1,60.00,BRL");
    assert_eq!(at("2026-11-02T10:00:00-03:00"), "lead,0,,");
}

#[test]
fn json_notes_and_status_match_rate() {
    let tmp = tempfile::tempdir().unwrap();
    let doc: Value = serde_json::from_str(&run(
        tmp.path(),
        &["report", "conversion", "--as-of", AS_OF, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(doc["params"]["model"], "last");
    assert_eq!(doc["params"]["window"], "7d");
    let notes = &doc["notes"];
    assert_eq!(notes["orders"]["read"], 9);
    assert_eq!(notes["attribution"]["attributed"], 6);
    assert_eq!(
        notes["attribution"]["unattributed_by_reason"],
        serde_json::json!({"no_conversation": 1, "no_person": 1, "outside_window": 1})
    );
    assert_eq!(notes["match_rate"]["matched"], 7);
    let status = run(tmp.path(), &["status", "--format", "json"]);
    let status: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["orders"]["rows"], 9);
    assert_eq!(status["orders"]["matched"], 7);
}

#[test]
fn conversion_every_format_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["csv", "json", "markdown", "table"] {
        let out = run(
            tmp.path(),
            &[
                "report",
                "conversion",
                "--by",
                "week",
                "--as-of",
                AS_OF,
                "--format",
                format,
            ],
        );
        insta::assert_snapshot!(format!("conversion_{format}"), out);
    }
}

#[test]
fn by_on_row_listings_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    assert_cmd::cargo::cargo_bin_cmd!("chatrev")
        .arg("--config")
        .arg(config())
        .arg("--store")
        .arg(tmp.path())
        .args(["attribute", "--by", "week"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("takes no --by"));
}

#[test]
fn summary_by_hand_and_snapshots() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = csv_rows(tmp.path(), &["report", "summary"]);
    let w45: Vec<String> = rows
        .iter()
        .filter(|r| get(r, "period") == "2026-W45")
        .map(|r| {
            pick(
                r,
                "currency,sessions,converted_sessions,conversion_rate,net_revenue,frt_p50_s,frt_p90_s,answer_rate,sla_15m,lead_to_paid",
            )
        })
        .collect();
    // W45: S1–S4, S2 converted; first replies 300, 600, 1800, 1200 s → p50 900, p90 1200 +
    // 0.7 × 600 = 1620, two of four within 15 min; no session there is engaged, so no lead
    // reaches paid. Session and response columns repeat on the USD row.
    assert_eq!(
        w45,
        [
            "BRL,4,1,0.2500,100.00,900,1620,1.0000,0.5000,0.0000",
            "USD,4,1,0.2500,20.00,900,1620,1.0000,0.5000,0.0000",
        ]
    );
    for format in ["table", "markdown"] {
        let out = run(
            tmp.path(),
            &["report", "summary", "--as-of", AS_OF, "--format", format],
        );
        insta::assert_snapshot!(format!("summary_{format}"), out);
    }
}

#[test]
fn forget_removes_a_person_for_good() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    // A copy of the fixture, so that a later export can be written beside it.
    std::fs::create_dir_all(data.join("chats")).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/conversion");
    for f in ["chatrev.toml", "orders.csv"] {
        std::fs::copy(src.join(f), data.join(f)).unwrap();
    }
    for e in std::fs::read_dir(src.join("chats")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), data.join("chats").join(e.file_name())).unwrap();
    }
    let config = data.join("chatrev.toml");
    let store = tmp.path().join("store");
    let chatrev = |args: &[&str]| {
        let out = assert_cmd::cargo::cargo_bin_cmd!("chatrev")
            .env_remove("CHATREV_KEY")
            .arg("--config")
            .arg(&config)
            .arg("--store")
            .arg(&store)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    chatrev(&["ingest"]);
    // B: the shop knows +55 21 98765-4321, WhatsApp the legacy +55 21 8765-4321; either works.
    let (_, said) = chatrev(&["forget", "--contact", "(21) 8765-4321"]);
    assert!(said.contains("6 message(s), 1 order(s)"), "{said}");
    let status: Value = serde_json::from_str(&chatrev(&["status", "--format", "json"]).0).unwrap();
    assert_eq!(status["messages"]["rows"], 14 - 6);
    assert_eq!(status["orders"]["rows"], 9 - 1);
    let tombstones = std::fs::read_to_string(store.join("forgotten.txt")).unwrap();
    assert!(
        !tombstones.contains("5521"),
        "tombstones are hashes: {tombstones}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.join("forgotten.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A newer export of B's chat and a new order of B: neither brings B back.
    let chat = data.join("chats/WhatsApp Chat with +55 21 8765-4321.txt");
    let mut text = std::fs::read_to_string(&chat).unwrap();
    text.push_str("12/11/2026 09:00 - +55 21 8765-4321: Chegou, obrigado!\n");
    std::fs::write(&chat, text).unwrap();
    let mut orders = std::fs::read_to_string(data.join("orders.csv")).unwrap();
    orders.push_str("B2,2026-11-12T10:00:00-03:00,55.00,BRL,paid,+55 21 98765-4321,,0.00\n");
    std::fs::write(data.join("orders.csv"), orders).unwrap();
    let (_, said) = chatrev(&["ingest"]);
    // B's 7 messages (6 old, 1 new) and 2 orders (B1 again, B2).
    assert!(
        said.contains("9 message(s)/order(s) of forgotten persons skipped"),
        "{said}"
    );
    let (sessions, _) = chatrev(&["sessions", "--reveal", "--format", "csv", "--no-refresh"]);
    assert!(!sessions.contains("5521"), "{sessions}");
    let (credits, _) = chatrev(&["attribute", "--reveal", "--format", "csv", "--no-refresh"]);
    assert!(
        !credits.contains("5521") && !credits.contains("B2"),
        "{credits}"
    );
}

#[test]
fn the_weekly_page_is_one_self_contained_html_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("weekly.html");
    run(
        tmp.path(),
        &[
            "report",
            "summary",
            "--as-of",
            AS_OF,
            "--format",
            "html",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    // A chart of the weekly numbers, and the numbers themselves in the table.
    assert!(html.contains("<svg") && html.contains("<rect"), "{html}");
    assert!(html.contains("<td class=\"n\">R$ 100,00</td>"), "{html}");
    // Nothing fetched from anywhere, no customer phone or message text.
    for absent in ["://", "<script", "+55", "98765", "tênis"] {
        assert!(!html.contains(absent), "{absent} in the page");
    }
}

#[test]
fn an_orders_only_ingest_leaves_the_messages_table_alone() {
    // The examples' conversations first, then their orders on their own: messages.parquet is
    // not rewritten (same file, same inode), and the conversion numbers are those of one
    // ingest of everything.
    use std::os::unix::fs::MetadataExt;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let config = root.join("chatrev.toml");
    let path = |p: &str| root.join(p).to_str().unwrap().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("split");
    let (chats, contacts, cloud) = (
        path("chats"),
        path("contacts.csv"),
        path("cloud/webhooks.jsonl"),
    );
    let ingest = [
        "ingest",
        "--chats",
        &chats,
        "--contacts",
        &contacts,
        "--cloud-api",
        &cloud,
    ];
    common::run_ok(&config, &store, &ingest);
    let messages = store.join("messages.parquet");
    let before = std::fs::metadata(&messages).unwrap();
    let orders = path("orders/shopify_orders.csv");
    common::run_ok(&config, &store, &["ingest", "--orders", &orders]);
    let after = std::fs::metadata(&messages).unwrap();
    assert_eq!(
        (after.ino(), after.mtime_nsec()),
        (before.ino(), before.mtime_nsec())
    );
    let tables = |store: &Path| -> Value {
        let text = std::fs::read_to_string(store.join("manifest.json")).unwrap();
        serde_json::from_str::<Value>(&text).unwrap()["tables"].clone()
    };
    let report = [
        "report",
        "conversion",
        "--by",
        "week",
        "--format",
        "csv",
        "--no-refresh",
    ];
    let split = common::run_ok(&config, &store, &report);
    let whole_store = tmp.path().join("whole");
    common::run_ok(&config, &whole_store, &["ingest"]);
    let whole = common::run_ok(&config, &whole_store, &report);
    // The manifest still counts the stored messages (the sample's 734), and the 39 orders.
    assert_eq!(tables(&store), tables(&whole_store));
    assert_eq!(tables(&store)["messages"], 734);
    assert_eq!(tables(&store)["orders"], 39);
    assert_eq!(split, whole);
    assert!(split.lines().count() == 4, "{split}");
}
