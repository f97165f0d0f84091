//! Cloud API webhooks and inbox CSVs through the binary.
//!
//! testdata/cloud/webhooks.jsonl (São Paulo time, 19 Nov 2025), computed by hand:
//! - A (wa_id 554188887777, the legacy 12-digit form of +55 41 98888-7777) clicks ad
//!   120210000000000101 and writes at 10:00; Ana's reply is sent 10:05 (its `read` webhook comes
//!   first, its `sent` twice): FRT 300 s. A answers with a button at 10:10 and sends a catalog
//!   order at 10:20 (that webhook retried); Ana writes again at 10:30 (a wrapped line): NRT 1200 s.
//! - B (+55 11 97777-6666) writes at 11:00, Bruno answers 11:45: FRT 2700 s. A marketing template
//!   to B three days later fails with 131047: kept, but no session, turn or touch.
//! - Line 10 is cut off (not JSON) and line 11 is JSON but no webhook: two rejects; the rest is read.
//! - Orders: W1 (A, 11:00, 199.90) and W2 (B, next day 09:00, 89.90).

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn config() -> PathBuf {
    common::config("cloud")
}

fn run(store: &Path, args: &[&str]) -> String {
    common::run_ok(&config(), store, args)
}

fn field<'a>(line: &'a str, header: &str, name: &str) -> &'a str {
    let i = header.split(',').position(|h| h == name).unwrap();
    line.split(',').nth(i).unwrap()
}

#[test]
fn a_cloud_api_log_feeds_sessions_response_times_and_revenue_by_ad() {
    let tmp = tempfile::tempdir().unwrap();
    let s = tmp.path();
    let sessions = run(s, &["sessions", "--reveal", "--format", "csv"]);
    let header = sessions.lines().next().unwrap();
    let a = sessions
        .lines()
        .find(|l| l.contains("tel:+5541988887777"))
        .unwrap();
    let b = sessions
        .lines()
        .find(|l| l.contains("tel:+5511977776666"))
        .unwrap();
    assert_eq!(sessions.lines().count(), 3, "two sessions: {sessions}");
    assert_eq!(field(a, header, "source"), "ad:120210000000000101");
    assert_eq!(field(a, header, "agent"), "Ana");
    // Three inbound messages (the retried order once), two replies, lead → … → paid.
    assert_eq!(field(a, header, "messages_in"), "3");
    assert_eq!(field(a, header, "messages_out_human"), "2");
    assert_eq!(field(a, header, "frt_s"), "300");
    assert_eq!(field(a, header, "stage"), "paid");
    // The ad's click id is kept per session (for Meta's Conversions API).
    assert_eq!(field(a, header, "ctwa_clid"), "CLID_A1");
    assert_eq!(field(b, header, "ctwa_clid"), "");
    assert_eq!(field(b, header, "source"), "organic");
    assert_eq!(field(b, header, "frt_s"), "2700");

    let rt = run(
        s,
        &[
            "report",
            "response-time",
            "--format",
            "csv",
            "--as-of",
            "2025-11-19T18:00:00-03:00",
        ],
    );
    let all = rt.lines().find(|l| l.starts_with("calendar,all,")).unwrap();
    // Turns 300, 1200, 2700 s: mean 1400, median 1200.
    assert!(
        all.starts_with("calendar,all,3,3,0,0,1.0000,1400,1200,"),
        "{all}"
    );

    let conv = run(
        s,
        &["report", "conversion", "--by", "source", "--format", "csv"],
    );
    let ad = conv
        .lines()
        .find(|l| l.starts_with("ad:120210000000000101,BRL,"))
        .unwrap();
    let header = conv.lines().next().unwrap();
    assert_eq!(field(ad, header, "net_revenue"), "199.90");
    assert_eq!(field(ad, header, "attributed_orders"), "1");
    let organic = conv
        .lines()
        .find(|l| l.starts_with("organic,BRL,"))
        .unwrap();
    assert_eq!(field(organic, header, "net_revenue"), "89.90");

    let status: Value = serde_json::from_str(&run(s, &["status", "--format", "json"])).unwrap();
    // 9 messages read (the order twice), 8 stored: A ×3, B, Ana ×2, Bruno, the failed template.
    assert_eq!(status["messages"]["rows"], 8);
    assert_eq!(status["messages"]["delivery"]["failed"], 1);
    assert_eq!(status["messages"]["delivery"]["read"], 1);
    assert_eq!(status["messages"]["delivery"]["sent"], 2);
    assert_eq!(status["messages"]["top_error_codes"][0]["code"], 131_047);
    // Reports leave the failed send out and say so.
    let rt: Value =
        serde_json::from_str(&run(s, &["report", "response-time", "--format", "json"])).unwrap();
    assert_eq!(rt["notes"]["failed_sends"], 1);
    assert_eq!(rt["notes"]["messages"], 7);
    assert_eq!(status["rejects"]["rows"], 2);
    let rejects = std::fs::read_to_string(s.join("rejects.csv")).unwrap();
    assert!(rejects.contains("webhooks.jsonl,10,not JSON"), "{rejects}");
    assert!(
        rejects.contains("webhooks.jsonl,11,JSON but not a WhatsApp Cloud API webhook"),
        "{rejects}"
    );
}

#[test]
fn retries_reingests_shuffles_and_split_days_give_the_same_store() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cloud/webhooks.jsonl");
    let text = std::fs::read_to_string(&data).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let snapshot = |store: &Path| {
        let sessions = run(
            store,
            &["sessions", "--reveal", "--format", "csv", "--no-refresh"],
        );
        let status: Value =
            serde_json::from_str(&run(store, &["status", "--format", "json"])).unwrap();
        (sessions, status["messages"].clone())
    };
    let whole = tmp.path().join("whole");
    run(&whole, &["ingest", "--cloud-api", data.to_str().unwrap()]);
    let expected = snapshot(&whole);
    // The same file again: nothing changes.
    let again = run(&whole, &["ingest", "--cloud-api", data.to_str().unwrap()]);
    assert_eq!(again, "");
    assert_eq!(snapshot(&whole), expected);
    // The manifest names each file by its SHA-256 and size.
    let recorded = |store: &Path, n: usize| -> (String, u64) {
        let m: Value =
            serde_json::from_slice(&std::fs::read(store.join("manifest.json")).unwrap()).unwrap();
        let f = &m["files"][n];
        (
            f["sha256"].as_str().unwrap().to_string(),
            f["bytes"].as_u64().unwrap(),
        )
    };
    let sha_and_size = |path: &Path| {
        let bytes = std::fs::read(path).unwrap();
        (
            chatrev::sources::input::sha256_hex(&bytes),
            bytes.len() as u64,
        )
    };
    assert_eq!(recorded(&whole, 0), sha_and_size(&data));
    // A shuffled copy (reversed lines) into a fresh store, and into the first one. A blank line
    // pads it to 8 MiB: a file that large, of a size never ingested, is hashed beside the run.
    let mut lines: Vec<&str> = text.lines().collect();
    lines.reverse();
    let shuffled = tmp.path().join("shuffled.jsonl");
    let pad = " ".repeat(8 << 20);
    std::fs::write(&shuffled, format!("{}\n{pad}\n", lines.join("\n"))).unwrap();
    let fresh = tmp.path().join("fresh");
    run(
        &fresh,
        &["ingest", "--cloud-api", shuffled.to_str().unwrap()],
    );
    assert_eq!(snapshot(&fresh), expected);
    run(
        &whole,
        &["ingest", "--cloud-api", shuffled.to_str().unwrap()],
    );
    assert_eq!(snapshot(&whole), expected);
    assert_eq!(recorded(&whole, 1), sha_and_size(&shuffled));
    let again = run(
        &whole,
        &["ingest", "--cloud-api", shuffled.to_str().unwrap()],
    );
    assert_eq!(
        again, "",
        "the hash computed beside the run is the one checked later"
    );
    // The log split in two days: the second day's statuses update the first day's sends.
    let all: Vec<&str> = text.lines().collect();
    let (day1, day2) = all.split_at(2);
    let (p1, p2) = (tmp.path().join("day1.jsonl"), tmp.path().join("day2.jsonl"));
    std::fs::write(&p1, day1.join("\n")).unwrap();
    std::fs::write(&p2, day2.join("\n")).unwrap();
    let split = tmp.path().join("split");
    run(&split, &["ingest", "--cloud-api", p1.to_str().unwrap()]);
    run(&split, &["ingest", "--cloud-api", p2.to_str().unwrap()]);
    assert_eq!(snapshot(&split), expected);
}

#[test]
fn gzip_logs_and_twilio_message_logs() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cloud/webhooks.jsonl");
    let gz = tmp.path().join("webhooks.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(&std::fs::read(&data).unwrap()).unwrap();
    enc.finish().unwrap();
    let store = tmp.path().join("gz");
    run(&store, &["ingest", "--cloud-api", gz.to_str().unwrap()]);
    let status: Value =
        serde_json::from_str(&run(&store, &["status", "--format", "json"])).unwrap();
    assert_eq!(status["messages"]["rows"], 8);

    // Twilio (times in UTC without a zone): 12:00 question, 12:20 answer → FRT 1200 s; the
    // undelivered promotion is a failed send (63016); `ontem` is not a date: one reject.
    let twilio = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cloud/twilio.csv");
    let store = tmp.path().join("twilio");
    let out = assert_cmd::cargo::cargo_bin_cmd!("chatrev")
        .env_remove("CHATREV_KEY")
        .args([
            "--store",
            store.to_str().unwrap(),
            "ingest",
            "--messages-csv",
        ])
        .arg(&twilio)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read as twilio messages"), "{stderr}");
    assert!(stderr.contains("1 line(s) rejected"), "{stderr}");
    let sessions = assert_cmd::cargo::cargo_bin_cmd!("chatrev")
        .env_remove("CHATREV_KEY")
        .args([
            "--store",
            store.to_str().unwrap(),
            "sessions",
            "--reveal",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let sessions = String::from_utf8(sessions.stdout).unwrap();
    let header = sessions.lines().next().unwrap();
    let row = sessions.lines().nth(1).unwrap();
    assert_eq!(sessions.lines().count(), 2, "{sessions}");
    assert_eq!(field(row, header, "person"), "tel:+5521987651234");
    assert_eq!(field(row, header, "frt_s"), "1200");
    assert_eq!(field(row, header, "messages_in"), "2");
}

/// The shared Cloud API samples (../shared/fixtures), when present.
fn fixtures() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/inputs/whatsapp_cloud_api");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} not found", dir.display());
        None
    }
}

#[test]
fn every_shared_sample_parses_to_what_it_says() {
    use chatrev::sources::cloud_api::{CloudKind, Delivery, Event, parse};
    let Some(dir) = fixtures() else { return };
    let one = |name: &str| -> Vec<Event<'static>> {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let compact =
            serde_json::to_string(&serde_json::from_str::<Value>(&text).unwrap()).unwrap();
        let p = parse(&compact);
        assert!(p.rejects.is_empty(), "{name}: {:?}", p.rejects);
        p.events().map(|e| e.clone().into_owned()).collect()
    };
    let inbound = |events: &[Event]| -> Vec<CloudKind> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Inbound(m) => Some(m.kind),
                _ => None,
            })
            .collect()
    };
    for (file, kind) in [
        ("inbound_text.json", CloudKind::Text),
        ("inbound_text_meta_docs_example.json", CloudKind::Text),
        ("inbound_image.json", CloudKind::Media),
        ("inbound_order_catalog.json", CloudKind::Order),
        ("inbound_referral_ctwa.json", CloudKind::Text),
        ("inbound_reply_with_context.json", CloudKind::Text),
        (
            "inbound_unsupported_with_errors.json",
            CloudKind::Unsupported,
        ),
        (
            "inbound_interactive_button_reply.json",
            CloudKind::Interactive,
        ),
        (
            "inbound_interactive_list_reply.json",
            CloudKind::Interactive,
        ),
        (
            "inbound_template_quick_reply_button.json",
            CloudKind::Button,
        ),
        ("system_user_changed_number.json", CloudKind::System),
    ] {
        assert_eq!(inbound(&one(file)), [kind], "{file}");
    }
    let referral = |file: &str| match &one(file)[..] {
        [.., Event::Inbound(m)] => m.referral.clone().unwrap(),
        other => panic!("{file}: {other:?}"),
    };
    assert_eq!(referral("inbound_referral_ctwa.json").source_id, "ADID");
    let r = referral("inbound_referral_ctwa_chatwoot_fixture.json");
    assert_eq!(
        (&*r.source_id, r.ctwa_clid.as_deref()),
        ("52558118838064", Some("AfhcQdP2E4A8wWpeb1FqUzUi"))
    );
    for (file, delivery) in [
        ("status_sent.json", Delivery::Sent),
        ("status_delivered.json", Delivery::Delivered),
        ("status_read.json", Delivery::Read),
        ("status_failed.json", Delivery::Failed),
        (
            "status_sent_with_biz_opaque_callback_data.json",
            Delivery::Sent,
        ),
        ("SYNTHETIC_status_sent_pmp_pricing.json", Delivery::Sent),
    ] {
        // pywa's statuses also carry `contacts` (wa_id + user_id: an identity link).
        match &one(file)[..] {
            [.., Event::Status(s)] => assert_eq!(s.delivery, delivery, "{file}"),
            other => panic!("{file}: {other:?}"),
        }
    }
    match &one("status_failed.json")[..] {
        [.., Event::Status(s)] => assert_eq!(s.error_code, Some(130_472)),
        other => panic!("{other:?}"),
    }
    match &one("status_sent.json")[..] {
        [Event::Contact { wa_id, user_id }, _] => {
            assert_eq!(
                (&**wa_id, &**user_id),
                ("972987654321", "US.13491208655302741918")
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        &one("echo_smb_message_echoes_text.json")[..],
        [.., Event::Echo(_)]
    ));
    // A user known only by a business-scoped id.
    match &one("inbound_bsuid_only_no_wa_id_chatwoot_fixture.json")[..] {
        [.., Event::Inbound(m)] => {
            assert_eq!(m.from, None);
            assert_eq!(m.from_user_id.as_deref(), Some("IN.2081978709342942"));
        }
        other => panic!("{other:?}"),
    }
    // The JSON Lines files: every line a body.
    for file in [
        "pywa_fixtures.webhooks.jsonl",
        "SYNTHETIC_br_conversation.webhooks.jsonl",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let p = parse(&text);
        assert!(p.rejects.is_empty(), "{file}: {:?}", p.rejects);
        assert!(p.event_count() > 0);
    }
}

#[test]
fn the_shared_brazilian_conversation_is_one_ad_session() {
    let Some(dir) = fixtures() else { return };
    let file = dir.join("SYNTHETIC_br_conversation.webhooks.jsonl");
    let tmp = tempfile::tempdir().unwrap();
    let chatrev = |args: &[&str]| {
        let out = assert_cmd::cargo::cargo_bin_cmd!("chatrev")
            .env_remove("CHATREV_KEY")
            .arg("--store")
            .arg(tmp.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    chatrev(&["ingest", "--cloud-api", file.to_str().unwrap()]);
    let sessions = chatrev(&["sessions", "--reveal", "--format", "csv"]);
    let header = sessions.lines().next().unwrap();
    assert_eq!(sessions.lines().count(), 2, "one session: {sessions}");
    let row = sessions.lines().nth(1).unwrap();
    assert_eq!(field(row, header, "person"), "tel:+5541988887777");
    assert_eq!(field(row, header, "source"), "ad:120200000000000001");
    assert_eq!(field(row, header, "agent"), "ana@loja.example");
    let status: Value = serde_json::from_str(&chatrev(&["status", "--format", "json"])).unwrap();
    let kinds = status["messages"]["by_class_kind"].as_array().unwrap();
    assert!(
        kinds
            .iter()
            .any(|k| k["kind"] == "order" && k["class"] == "inbound")
    );
    assert_eq!(status["messages"]["delivery"]["failed"], 1);
    assert_eq!(status["messages"]["top_error_codes"][0]["code"], 131_047);
}

/// `--no-text` stores no body from a Cloud API log or an inbox CSV either, and the funnel stages
/// their bodies reach are flagged at ingest: the sessions (stage column included) are the same.
#[test]
fn no_text_keeps_no_cloud_or_inbox_bodies_and_the_same_sessions() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cloud");
    let (log, twilio) = (testdata.join("webhooks.jsonl"), testdata.join("twilio.csv"));
    let tmp = tempfile::tempdir().unwrap();
    let ingest = |store: &Path, extra: &[&str]| {
        let mut args = vec!["ingest", "--cloud-api", log.to_str().unwrap()];
        args.extend(["--messages-csv", twilio.to_str().unwrap()]);
        args.extend(extra);
        run(store, &args);
        run(
            store,
            &["sessions", "--reveal", "--format", "csv", "--no-refresh"],
        )
    };
    let (with, without) = (tmp.path().join("with"), tmp.path().join("without"));
    let sessions = ingest(&with, &[]);
    assert_eq!(ingest(&without, &["--no-text"]), sessions);
    let texts = |store: &Path| {
        let df = chatrev::store::tables::read_table(&store.join("messages.parquet")).unwrap();
        (df.height(), df.column("text").unwrap().null_count())
    };
    let (rows, nulls) = texts(&with);
    assert!(nulls < rows, "bodies are kept by default");
    assert_eq!(texts(&without), (rows, rows));
}
