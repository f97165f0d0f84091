//! The funnel through the binary over testdata/funnel (as of 2026-11-30 12:00 -03:00, window
//! 14d, model last / 7d). Computed by hand:
//!
//! - P1 (…0001), Mon 2 Nov: lead 10:00; Ana answers 10:05 with a price, which is *before*
//!   `engaged` and so not the quote; the customer writes again 10:10 (engaged, +600 s); Ana sends
//!   a checkout link 10:20 (quote, +600 s); O1 is created 10:30:40 (order, +640 s) and paid
//!   10:30:10 — earlier, but in the same minute, so it counts in stage order (paid, +0 s).
//! - P2 (…0002), Tue 3 Nov: lead 14:00, engaged 14:40 (+2400 s), never quoted; O2 (paid) is
//!   credited to the session, but an ordered unit that skips `quote` stops there.
//! - P3 (…0003), Wed 4 Nov: a lead nobody answered.
//! - P4 (…0004), Tue 17 Nov 12:00: lead, engaged, quote — 13 days before as-of, so immature
//!   (lead + 14d > as-of), reported apart rather than dropped.
//! - P5 (…0005), Sun 8 Nov 20:00 (the last day of 2026-W45): engaged 20:06 (+360 s), quote 20:10
//!   "R$ 149,90 no pix" (+240 s), O5 created Wed 11 Nov 10:00 (+222600 s), paid 10:05 (+300 s).
//!
//! Decided units: P1, P2, P3, P5. Stage times (s): engaged 360, 600, 2400 → p50 600, p90
//! 600 + 0.8 × 1800 = 2040; quote 240, 600 → 420, 564; order 640, 222600 → 111620, 200404;
//! paid 0, 300 → 150, 270.

mod common;

use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-30T12:00:00-03:00";
const HEADER: &str = "step,stage,units,from_start,from_previous,dropped,immature,time_from_previous_p50_s,time_from_previous_p90_s";

fn config() -> PathBuf {
    common::config("funnel")
}

fn run(store: &Path, args: &[&str]) -> String {
    common::run_ok(&config(), store, args)
}

fn funnel_csv(store: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["report", "funnel", "--as-of", AS_OF, "--format", "csv"];
    args.extend(extra);
    run(store, &args).lines().map(str::to_string).collect()
}

#[test]
fn ordered_funnel_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        funnel_csv(tmp.path(), &[]),
        [
            HEADER,
            // P4 is immature: counted apart at every stage it reached so far.
            "1,lead,4,1.0000,,,1,,",
            // P3 drops at engaged.
            "2,engaged,3,0.7500,0.7500,1,1,600,2040",
            // P2 skips the quote and stops there, though its order was paid.
            "3,quote,2,0.5000,0.6667,1,1,420,564",
            "4,order,2,0.5000,1.0000,0,0,111620,200404",
            // P1's payment in the same minute as (but seconds before) its order counts, +0 s.
            "5,paid,2,0.5000,1.0000,0,0,150,270",
        ]
    );
}

#[test]
fn the_period_filters_the_lead_only() {
    let tmp = tempfile::tempdir().unwrap();
    // 2026-W45 is 2–8 Nov: P1, P2, P3 and P5 (lead on its last day, paid 3 days later).
    assert_eq!(
        funnel_csv(tmp.path(), &["--period", "2026-W45"]),
        [
            HEADER,
            "1,lead,4,1.0000,,,0,,",
            "2,engaged,3,0.7500,0.7500,1,0,600,2040",
            "3,quote,2,0.5000,0.6667,1,0,420,564",
            "4,order,2,0.5000,1.0000,0,0,111620,200404",
            "5,paid,2,0.5000,1.0000,0,0,150,270",
        ]
    );
    // The week of P4's lead alone: one immature unit, no decided ones.
    assert_eq!(
        funnel_csv(tmp.path(), &["--period", "2026-W47"]),
        [
            HEADER,
            "1,lead,0,,,,1,,",
            "2,engaged,0,,,0,1,,",
            "3,quote,0,,,0,1,,",
            "4,order,0,,,0,0,,",
            "5,paid,0,,,0,0,,",
        ]
    );
}

#[test]
fn a_shorter_window_or_a_later_as_of_changes_maturity() {
    let tmp = tempfile::tempdir().unwrap();
    // With a 2-day window P4 is mature (17 Nov + 2d < as-of), so five decided leads, and three
    // quotes (P1, P4, P5); P5's order (2 d 14 h after its lead) is too late, so only P1 orders.
    let rows = funnel_csv(tmp.path(), &["--window", "2d"]);
    assert_eq!(rows[1], "1,lead,5,1.0000,,,0,,");
    // Quote waits: P5 240, P4 300, P1 600 s.
    assert_eq!(rows[3], "3,quote,3,0.6000,0.7500,1,0,300,540");
    assert_eq!(rows[4], "4,order,1,0.2000,0.3333,2,0,640,640");
}

#[test]
fn sessions_stage_is_the_furthest_ordered_stage() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        tmp.path(),
        &["sessions", "--reveal", "--as-of", AS_OF, "--format", "csv"],
    );
    let stage = |phone: &str| {
        let line = out.lines().find(|l| l.contains(phone)).unwrap();
        line.split(',').nth(10).unwrap().to_string()
    };
    assert_eq!(stage("tel:+5511900000001"), "paid");
    assert_eq!(stage("tel:+5511900000002"), "engaged");
    assert_eq!(stage("tel:+5511900000003"), "lead");
    assert_eq!(stage("tel:+5511900000004"), "quote");
    assert_eq!(stage("tel:+5511900000005"), "paid");
}

#[test]
fn contact_units_and_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    // One session per person here, so contacts give the same counts.
    assert_eq!(
        funnel_csv(tmp.path(), &["--unit", "contact"]),
        funnel_csv(tmp.path(), &[])
    );
    for format in ["json", "markdown", "table"] {
        let out = run(
            tmp.path(),
            &["report", "funnel", "--as-of", AS_OF, "--format", format],
        );
        insta::assert_snapshot!(format!("funnel_{format}"), out);
    }
}

#[test]
fn a_store_without_bodies_keeps_its_funnel() {
    let tmp = tempfile::tempdir().unwrap();
    let (with, without) = (tmp.path().join("with"), tmp.path().join("without"));
    run(&with, &["ingest"]);
    run(&without, &["ingest", "--no-text"]);
    // The quote rule was evaluated at ingest and stored as a flag: same funnel, no bodies.
    let df = chatrev::store::tables::read_table(&without.join("messages.parquet")).unwrap();
    assert_eq!(df.column("text").unwrap().null_count(), df.height());
    let report = |store: &Path| {
        run(
            store,
            &[
                "report",
                "funnel",
                "--no-refresh",
                "--as-of",
                AS_OF,
                "--format",
                "csv",
            ],
        )
    };
    assert_eq!(report(&without), report(&with));
    assert_eq!(
        report(&without).lines().nth(3).unwrap(),
        "3,quote,2,0.5000,0.6667,1,1,420,564"
    );
}
