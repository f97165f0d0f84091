//! Report tests over testdata/reports (three chats, numbers computed by hand below), through
//! the binary: the store is built by the reports' own refresh from the config's [[sources]].
//!
//! The chats (America/Sao_Paulo, business hours Mon–Fri 09:00–18:00):
//! - Carla: Fri 20 Nov 17:50 asks; Ana replies Mon 23 Nov 09:10 (FRT 63h20m = 228000 s calendar,
//!   10 min Friday + 10 min Monday = 1200 s business); Carla writes 09:12, an auto-reply at 09:13
//!   does not stop the clock, Bruno replies 09:20 (NRT 480 s on both clocks).
//! - +55 11 98765-4321: Tue 24 Nov 10:00 and a re-ping 10:05; Ana replies 10:30 (FRT 1800 s from
//!   the first message); a new question at 11:00 is pending (the latest message: the default as-of).
//! - Dora: Tue 10 Nov 15:00, never answered: 13 days old at as-of, so unanswered.

mod common;

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

fn config() -> PathBuf {
    common::config("reports")
}

fn run(store: &Path, args: &[&str]) -> String {
    common::run_ok(&config(), store, args)
}

fn json_rows(store: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let doc: Value = serde_json::from_str(&run(store, &all)).unwrap();
    doc["rows"].as_array().unwrap().clone()
}

fn find<'a>(rows: &'a [Value], clock: &str, metric: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["clock"] == clock && r["metric"] == metric)
        .unwrap()
}

#[test]
fn response_time_numbers_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = json_rows(tmp.path(), &["report", "response-time"]);
    assert_eq!(rows.len(), 6, "2 clocks × 3 metrics");

    let frt = find(&rows, "calendar", "frt");
    assert_eq!(
        (frt["turns"].as_i64(), frt["answered"].as_i64()),
        (Some(3), Some(2))
    );
    assert_eq!(
        (frt["pending"].as_i64(), frt["unanswered"].as_i64()),
        (Some(0), Some(1))
    );
    assert_eq!(frt["answer_rate"].as_f64(), Some(0.6667));
    // Answered FRTs 1800 and 228000: mean and median 114900; p90 = 1800 + 0.9 × 226200.
    assert_eq!(frt["mean_s"].as_i64(), Some(114_900));
    assert_eq!(frt["p50_s"].as_i64(), Some(114_900));
    assert_eq!(frt["p90_s"].as_i64(), Some(205_380));
    assert_eq!(frt["p95_s"].as_i64(), Some(216_690));
    assert_eq!(frt["max_s"].as_i64(), Some(228_000));
    // SLA: Dora's unanswered turn counts as a miss; 1800 s is within 1 h.
    assert_eq!(frt["sla_15m"].as_f64(), Some(0.0));
    assert_eq!(frt["sla_1h"].as_f64(), Some(0.3333));

    let nrt = find(&rows, "calendar", "nrt");
    assert_eq!(
        (
            nrt["turns"].as_i64(),
            nrt["answered"].as_i64(),
            nrt["pending"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(nrt["answer_rate"].as_f64(), Some(1.0));
    assert_eq!(nrt["mean_s"].as_i64(), Some(480));
    // The pending turn (0 s old) is younger than 5 min: in neither side of the SLA.
    assert_eq!(nrt["sla_5m"].as_f64(), Some(0.0));
    assert_eq!(nrt["sla_15m"].as_f64(), Some(1.0));

    let all = find(&rows, "calendar", "all");
    assert_eq!(all["turns"].as_i64(), Some(5));
    assert_eq!(all["answer_rate"].as_f64(), Some(0.75));
    assert_eq!(all["mean_s"].as_i64(), Some(76_760));
    assert_eq!(all["p50_s"].as_i64(), Some(1800));
    assert_eq!(all["p90_s"].as_i64(), Some(182_760));

    // Business clock: Friday 17:50 → Monday 09:10 is 20 minutes of business time.
    let bfrt = find(&rows, "business", "frt");
    assert_eq!(bfrt["max_s"].as_i64(), Some(1800));
    assert_eq!(bfrt["mean_s"].as_i64(), Some(1500));
    assert_eq!(bfrt["p90_s"].as_i64(), Some(1740));
    assert_eq!(bfrt["sla_1h"].as_f64(), Some(0.6667));
}

#[test]
fn notes_count_inputs_and_auto_reply_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let doc: Value = serde_json::from_str(&run(
        tmp.path(),
        &["report", "response-time", "--format", "json"],
    ))
    .unwrap();
    let notes = &doc["notes"];
    assert_eq!(notes["turns"], 5);
    assert_eq!(notes["messages"], 10);
    assert_eq!(notes["messages_by_class"]["outbound_auto"], 1);
    assert_eq!(notes["auto_reply"]["rules"][0]["messages"], 1);
    assert_eq!(notes["rejected_lines"], 0);
}

#[test]
fn pending_becomes_unanswered_with_a_later_as_of() {
    let tmp = tempfile::tempdir().unwrap();
    let nrt_at = |as_of: &str| {
        let rows = json_rows(
            tmp.path(),
            &[
                "report",
                "response-time",
                "--clock",
                "calendar",
                "--as-of",
                as_of,
            ],
        );
        let nrt = find(&rows, "calendar", "nrt").clone();
        (
            nrt["pending"].as_i64().unwrap(),
            nrt["unanswered"].as_i64().unwrap(),
        )
    };
    // 11:00 question on 24 Nov: 6 days later still pending, 8 days later unanswered.
    assert_eq!(nrt_at("2026-11-30"), (1, 0));
    assert_eq!(nrt_at("2026-12-02"), (0, 1));
    // An as-of before the 11:00 message leaves it out: only Carla's NRT.
    assert_eq!(nrt_at("2026-11-24 10:45"), (0, 0));
}

#[test]
fn grouped_by_week_and_agent() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = json_rows(
        tmp.path(),
        &[
            "report",
            "response-time",
            "--clock",
            "calendar",
            "--by",
            "week",
            "--by",
            "agent",
        ],
    );
    let groups: Vec<(String, Value)> = rows
        .iter()
        .filter(|r| r["metric"] == "all")
        .map(|r| {
            (
                r["period"].as_str().unwrap().to_string(),
                r["agent"].clone(),
            )
        })
        .collect();
    // Dora (W46, no reply), Carla's first turn (W47, Ana), Carla's second turn (W48, Bruno),
    // the +55 turns in W48 (Ana; the pending one has no agent).
    assert_eq!(
        groups,
        [
            ("2026-W46".to_string(), Value::Null),
            ("2026-W47".into(), "Ana".into()),
            ("2026-W48".into(), Value::Null),
            ("2026-W48".into(), "Ana".into()),
            ("2026-W48".into(), "Bruno".into()),
        ]
    );
}

#[test]
fn every_format_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "report",
        "response-time",
        "--clock",
        "calendar",
        "--sla",
        "15m,1h",
    ];
    for format in ["csv", "json", "markdown", "table"] {
        let mut a = args.to_vec();
        a.extend(["--format", format]);
        insta::assert_snapshot!(format!("response_time_{format}"), run(tmp.path(), &a));
    }
}

#[test]
fn sessions_hide_phones_unless_revealed() {
    let tmp = tempfile::tempdir().unwrap();
    let hidden = run(tmp.path(), &["sessions", "--format", "csv"]);
    assert!(
        !hidden.contains("+55") && !hidden.contains("5511987654321") && !hidden.contains("carla"),
        "{hidden}"
    );
    assert_eq!(
        hidden.lines().next().unwrap(),
        "session_id,person,start,end,initiator,agent,source,messages_in,messages_out_human,frt_s,stage,attributed_orders,attributed_net,currency,ctwa_clid"
    );
    assert_eq!(hidden.lines().filter(|l| l.contains(",p_")).count(), 3);
    let shown = run(tmp.path(), &["sessions", "--format", "csv", "--reveal"]);
    let rui = shown
        .lines()
        .find(|l| l.contains("tel:+5511987654321"))
        .unwrap();
    // start, end, initiator, agent, source, in, out, frt, stage
    assert!(rui.contains(",2026-11-24T10:00:00-03:00,2026-11-24T11:00:00-03:00,customer,Ana,organic,3,1,1800,engaged,0,"), "{rui}");
    let dora = shown.lines().find(|l| l.contains("name:dora")).unwrap();
    assert!(
        dora.ends_with(",customer,,organic,1,0,,lead,0,,,"),
        "{dora}"
    );
    // The same pseudonym every run (the key is kept in the store, mode 0600).
    assert_eq!(hidden, run(tmp.path(), &["sessions", "--format", "csv"]));
}

#[test]
fn output_file_and_footer() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rt.csv");
    assert_cmd::cargo::cargo_bin_cmd!("chatrev")
        .arg("--config")
        .arg(config())
        .arg("--store")
        .arg(tmp.path().join("store"))
        .args(["report", "response-time", "--format", "table", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(
            predicate::str::contains("used: 5 customer turn(s) in 3 session(s)")
                .and(predicate::str::contains("refreshed")),
        );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("frt"), "{text}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

fn with_holiday(tmp: &Path) -> PathBuf {
    let text = std::fs::read_to_string(config()).unwrap().replace(
        "fri = [\"09:00-18:00\"]",
        "fri = [\"09:00-18:00\"]\nholidays = [\"2026-11-23\"]",
    );
    let cfg = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/reports");
    let path = tmp.join("chatrev.toml");
    std::fs::write(
        &path,
        text.replace(
            "path = \"chats\"",
            &format!("path = \"{}\"", cfg.join("chats").display()),
        ),
    )
    .unwrap();
    path
}

#[test]
fn a_holiday_is_skipped_on_the_business_clock() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = with_holiday(tmp.path());
    let out = assert_cmd::cargo::cargo_bin_cmd!("chatrev")
        .arg("--config")
        .arg(&cfg)
        .arg("--store")
        .arg(tmp.path().join("store"))
        .args([
            "report",
            "response-time",
            "--clock",
            "business",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    // Monday 23 Nov is a holiday: Carla's FRT is the 10 minutes of Friday; her NRT (Monday) is 0.
    let nrt = find(rows, "business", "nrt");
    assert_eq!(nrt["max_s"].as_i64(), Some(0));
    let frt = find(rows, "business", "frt");
    assert_eq!(frt["mean_s"].as_i64(), Some(1200)); // (600 + 1800) / 2
}

#[test]
fn response_time_page_draws_the_first_response_histogram_by_hand() {
    // The two answered first turns took 1800 s (the 30m–1h bucket) and 228000 s (1d+); Dora's
    // is unanswered and not drawn. Each default SLA threshold is marked at its bucket edge.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rt.html");
    run(
        tmp.path(),
        &[
            "report",
            "response-time",
            "--by",
            "week",
            "--format",
            "html",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(&out).unwrap();
    let hist = html
        .split("<section class=\"chart\">")
        .nth(1)
        .expect("the histogram comes first");
    assert!(hist.contains("<h2>Distribuição do tempo até a primeira resposta</h2>"));
    let row = |bucket: &str, n: u32, share: &str| {
        format!("<tr><td>{bucket}</td><td class=\"n\">{n}</td><td class=\"n\">{share}</td></tr>")
    };
    assert!(hist.contains(&row("30m–1h", 1, "50,0%")), "{hist}");
    assert!(hist.contains(&row("1d+", 1, "50,0%")), "{hist}");
    assert!(hist.contains(&row("&lt;1m", 0, "0,0%")), "{hist}");
    for sla in ["15m", "1h", "4h", "24h"] {
        assert!(
            hist.contains(&format!(">SLA {sla}</text>")),
            "{sla}: {hist}"
        );
    }
    // The per-week chart: weeks 47 (Carla, Fri 20 Nov: 228000 s) and 48 (1800 s).
    let weekly = html.split("<section class=\"chart\">").nth(2).unwrap();
    assert!(weekly.contains("sem. 16/11/2026") && weekly.contains("sem. 23/11/2026"));
    assert!(
        weekly.contains("2d 15h") && weekly.contains("30m"),
        "{weekly}"
    );
}
