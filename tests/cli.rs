//! Binary tests: exit codes, stderr, files on disk, crash safety.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

mod common;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cli")
}

fn chatrev() -> Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("chatrev");
    c.env_remove("CHATREV_TEST_PAUSE").env_remove("NO_COLOR");
    c
}

/// `chatrev --config testdata/cli/chatrev.toml --store STORE <args>`
fn with_store(store: &Path) -> Command {
    let mut c = chatrev();
    c.arg("--config")
        .arg(testdata().join("chatrev.toml"))
        .arg("--store")
        .arg(store);
    c
}

fn status_json(store: &Path) -> Value {
    let out = with_store(store)
        .args(["status", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn class_kind_rows(status: &Value) -> Vec<(String, String, u64)> {
    status["messages"]["by_class_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["class"].as_str().unwrap().into(),
                r["kind"].as_str().unwrap().into(),
                r["rows"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn ingest_then_status_counts_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(testdata())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "2 file(s): 9 message(s) read, 9 new, 0 already in the store",
        ));
    let st = status_json(&store);
    // Maria: 1 e2e notice, 3 inbound (2 text, 1 media), 1 greeting (auto), 1 human reply.
    // +55 41 8888-7777 (iOS): 1 e2e notice, 1 inbound, 1 human reply.
    assert_eq!(st["messages"]["rows"], 9);
    assert_eq!(st["messages"]["persons"], 2);
    let mut expected = vec![
        ("inbound".to_string(), "media".to_string(), 1),
        ("inbound".into(), "text".into(), 3),
        ("outbound_auto".into(), "text".into(), 1),
        ("outbound_human".into(), "text".into(), 2),
        ("system".into(), "system".into(), 2),
    ];
    expected.sort();
    assert_eq!(class_kind_rows(&st), expected);
    // 24/11/2026 09:00 São Paulo (UTC-3) is the first message; 25/11/2026 10:30:10 the last.
    assert_eq!(st["messages"]["first"], "2026-11-24T09:00:00-03:00");
    assert_eq!(st["messages"]["last"], "2026-11-25T10:30:10-03:00");
    let persons: Vec<&str> = st["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["options"]["person"].as_str().unwrap())
        .collect();
    // The legacy 8-digit number gets the ninth digit; Maria is known only by name.
    assert!(persons.contains(&"tel:+5541988887777"), "{persons:?}");
    assert!(persons.contains(&"name:maria silva"), "{persons:?}");

    // Modes: directory 0700, every file 0600.
    assert_eq!(
        fs::metadata(&store).unwrap().permissions().mode() & 0o777,
        0o700
    );
    for entry in fs::read_dir(&store).unwrap() {
        let e = entry.unwrap();
        assert_eq!(
            e.metadata().unwrap().permissions().mode() & 0o777,
            0o600,
            "{:?}",
            e.file_name()
        );
    }

    // The same files again change nothing.
    let before = fs::read(store.join("messages.parquet")).unwrap();
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(testdata())
        .assert()
        .success()
        .stderr(predicate::str::contains("2 file(s) unchanged"));
    assert_eq!(fs::read(store.join("messages.parquet")).unwrap(), before);
    assert_eq!(status_json(&store)["messages"]["rows"], 9);
}

const PART1: &str = "\
10/11/2026 14:00 - Joana: Oi, tem a bolsa preta?
10/11/2026 14:05 - Loja Exemplo: *Ana*: Temos! R$ 120,00
10/11/2026 14:06 - Joana: ok
10/11/2026 14:06 - Joana: ok
";

const PART2: &str = "\
10/11/2026 14:05 - Loja Exemplo: *Ana*: Temos! R$ 120,00
10/11/2026 14:06 - Joana: ok
10/11/2026 14:06 - Joana: ok
11/11/2026 09:00 - Joana: Vou querer
11/11/2026 09:10 - Loja Exemplo: *Ana*: Perfeito, segue o link
";

#[test]
fn overlapping_exports_add_only_new_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("week1"), tmp.path().join("week2"));
    fs::create_dir_all(&a).unwrap();
    fs::create_dir_all(&b).unwrap();
    fs::write(a.join("WhatsApp Chat with Joana.txt"), PART1).unwrap();
    fs::write(b.join("WhatsApp Chat with Joana.txt"), PART2).unwrap();
    let store = tmp.path().join("store");
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(&a)
        .assert()
        .success();
    assert_eq!(status_json(&store)["messages"]["rows"], 4);
    // Week 2 repeats three messages (two identical "ok" in the same minute) and adds two.
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(&b)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "5 message(s) read, 2 new, 3 already in the store",
        ));
    assert_eq!(status_json(&store)["messages"]["rows"], 6);
}

#[test]
fn not_an_export_fails_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("notes.txt");
    fs::write(&bad, "shopping list\nmilk\neggs\n").unwrap();
    let store = tmp.path().join("store");
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("notes.txt")
                .and(predicate::str::contains("not a WhatsApp export")),
        );
    assert!(
        !store.exists(),
        "a failed first ingest leaves no store behind"
    );
}

#[test]
fn ambiguous_date_order_names_file_and_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("WhatsApp Chat with Rui.txt");
    fs::write(
        &f,
        "03/04/2026 10:00 - Rui: oi\n03/04/2026 10:05 - Loja Exemplo: *Ana*: olá\n",
    )
    .unwrap();
    let store = tmp.path().join("store");
    // No date_order in this config.
    let cfg = tmp.path().join("chatrev.toml");
    fs::write(
        &cfg,
        "timezone = \"America/Sao_Paulo\"\nbusiness_names = [\"Loja Exemplo\"]\n",
    )
    .unwrap();
    chatrev()
        .arg("--config")
        .arg(&cfg)
        .arg("--store")
        .arg(&store)
        .args(["ingest", "--chats"])
        .arg(&f)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("WhatsApp Chat with Rui.txt")
                .and(predicate::str::contains("--date-order")),
        );
    // With the flag it is read as 3 April.
    chatrev()
        .arg("--config")
        .arg(&cfg)
        .arg("--store")
        .arg(&store)
        .args(["ingest", "--date-order", "dmy", "--chats"])
        .arg(&f)
        .assert()
        .success();
    assert_eq!(
        status_json(&store)["messages"]["first"],
        "2026-04-03T10:00:00-03:00"
    );
}

#[test]
fn strict_rejects_exit_3_and_dry_run_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("WhatsApp Chat with Lia.txt");
    fs::write(&f, "exported by a tool\n24/11/2026 10:00 - Lia: oi\n24/11/2026 10:05 - Loja Exemplo: *Ana*: olá\n").unwrap();
    let store = tmp.path().join("store");
    with_store(&store)
        .args(["ingest", "--strict", "--chats"])
        .arg(&f)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "1 row(s) rejected and --strict was given",
        ));
    assert!(!store.exists());
    with_store(&store)
        .args(["ingest", "--dry-run", "--chats"])
        .arg(&f)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("dry run, nothing written")
                .and(predicate::str::contains("2 message(s) read")),
        );
    assert!(!store.exists());
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(&f)
        .assert()
        .success();
    let rejects = fs::read_to_string(store.join("rejects.csv")).unwrap();
    assert!(
        rejects.contains(
            "WhatsApp Chat with Lia.txt,1,text before the first message,exported by a tool"
        ),
        "{rejects}"
    );
}

/// `--no-text` keeps no message text anywhere: a rejected chat line's excerpt (which can hold a
/// phone, an email or what someone wrote) is not kept in `rejects.csv` either; file, line and
/// reason are.
#[test]
fn no_text_keeps_no_reject_excerpts() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("WhatsApp Chat with Lia.txt");
    fs::write(
        &f,
        "me liga +55 41 98888-7777 lia@example.com
24/11/2026 10:00 - Lia: oi
",
    )
    .unwrap();
    let store = tmp.path().join("store");
    with_store(&store)
        .args(["ingest", "--no-text", "--chats"])
        .arg(&f)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 line(s) rejected"));
    let rejects = fs::read_to_string(store.join("rejects.csv")).unwrap();
    assert!(
        rejects.contains("WhatsApp Chat with Lia.txt,1,text before the first message,\n"),
        "{rejects}"
    );
    for leak in ["98888", "lia@example.com", "me liga"] {
        assert!(!rejects.contains(leak), "{leak} in {rejects}");
    }
}

/// A reject reason can quote a cell's value; quoted on stderr (`--strict`) its control and bidi
/// characters are escaped, never written raw to the terminal.
#[test]
fn strict_first_reject_reason_is_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("twilio.csv");
    let head =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cloud/twilio.csv"))
            .unwrap();
    let mut lines = head.lines();
    let header = lines.next().unwrap();
    let row = lines.next().unwrap();
    let bad = row
        .replacen("inbound", "in\u{1b}[31mbound\u{202e}", 1)
        .replacen("outbound-api", "out\u{1b}[31mbound\u{202e}", 1);
    fs::write(&f, format!("{header}\n{bad}\n")).unwrap();
    let store = tmp.path().join("store");
    let out = with_store(&store)
        .args(["ingest", "--strict", "--messages-csv"])
        .arg(&f)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("twilio.csv:2: Direction `in\\u{1b}[31mbound\\u{202e}`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{202e}'),
        "{stderr}"
    );
}

#[test]
fn invalid_utf8_is_decoded_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("WhatsApp Chat with Eva.txt");
    fs::write(
        &f,
        b"24/11/2026 10:00 - Eva: ol\xe1\n24/11/2026 10:05 - Loja Exemplo: oi\n",
    )
    .unwrap();
    with_store(&tmp.path().join("s"))
        .args(["ingest", "--chats"])
        .arg(&f)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 byte(s) replaced"));
}

#[test]
fn config_errors_name_key_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("chatrev.toml");
    fs::write(&cfg, "timezone = \"UTC\"\n[sessions]\ngapp = \"1h\"\n").unwrap();
    chatrev()
        .arg("--config")
        .arg(&cfg)
        .args(["status"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("chatrev.toml:line 3").and(predicate::str::contains("gapp")),
        );
}

#[test]
fn init_writes_a_config_that_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("chatrev.toml");
    chatrev().arg("init").arg(&cfg).assert().success();
    chatrev()
        .arg("init")
        .arg(&cfg)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force"));
    // The written file is a valid config: status then fails only for want of a store.
    chatrev()
        .arg("--config")
        .arg(&cfg)
        .arg("--store")
        .arg(tmp.path().join("none"))
        .arg("status")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no store at"));
}

#[test]
fn usage_errors_exit_2_and_completions_work() {
    chatrev()
        .args(["ingest", "--date-order", "ydm"])
        .assert()
        .code(2);
    chatrev().arg("frobnicate").assert().code(2);
    chatrev()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("chatrev"));
}

/// Starts an ingest of `chats` that pauses at `point` and returns once it says it has paused.
fn spawn_paused(store: &Path, chats: &Path, point: &str) -> std::process::Child {
    let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin!("chatrev"));
    cmd.arg("--config")
        .arg(testdata().join("chatrev.toml"))
        .arg("--store")
        .arg(store)
        .args(["ingest", "--chats"])
        .arg(chats);
    common::spawn_paused(cmd, point)
}

/// Kills an ingest with SIGKILL exactly at `point`.
fn kill_ingest_at(store: &Path, chats: &Path, point: &str) {
    let mut child = spawn_paused(store, chats, point);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

#[test]
fn sigkill_mid_ingest_leaves_a_readable_store() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let week1 = tmp.path().join("w1");
    let week2 = tmp.path().join("w2");
    fs::create_dir_all(&week1).unwrap();
    fs::create_dir_all(&week2).unwrap();
    fs::write(week1.join("WhatsApp Chat with Joana.txt"), PART1).unwrap();
    fs::write(week2.join("WhatsApp Chat with Joana.txt"), PART2).unwrap();
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(&week1)
        .assert()
        .success();

    // Killed after writing the new tables but before the commit point: the old store stays.
    kill_ingest_at(&store, &week2, "before-journal");
    assert_eq!(status_json(&store)["messages"]["rows"], 4);
    // A second writer while one is paused gets a clear error, not a corrupt store.
    // Killed after the commit point, halfway through the renames: rolled forward on next open.
    kill_ingest_at(&store, &week2, "mid-rename");
    assert_eq!(status_json(&store)["messages"]["rows"], 6);
    let st = status_json(&store);
    assert_eq!(st["sources"].as_array().unwrap().len(), 2);
    // And the store still takes ingests.
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(&week2)
        .assert()
        .success()
        .stderr(predicate::str::contains("unchanged"));
}

#[test]
fn a_second_ingest_waits_for_the_first_or_fails_with_no_wait() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let mut child = spawn_paused(&store, &testdata(), "before-journal");
    with_store(&store)
        .args(["ingest", "--no-wait", "--chats"])
        .arg(testdata())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "another chatrev ingest is writing",
        ));
    // Without --no-wait the second ingest says it waits, and goes on once the first is gone.
    let mut second = StdCommand::new(assert_cmd::cargo::cargo_bin!("chatrev"))
        .arg("--config")
        .arg(testdata().join("chatrev.toml"))
        .arg("--store")
        .arg(&store)
        .args(["ingest", "--chats"])
        .arg(testdata())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        second.try_wait().unwrap().is_none(),
        "the second ingest waits"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let out = second.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("waiting for it to finish"), "{stderr}");
    assert!(stderr.contains("ingested"), "{stderr}");
}

fn persons_in_store(store: &Path) -> Vec<String> {
    let df = chatrev::store::tables::read_table(&store.join("messages.parquet")).unwrap();
    let mut persons: Vec<String> = df
        .column("person")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    persons.dedup();
    persons
}

#[test]
fn contacts_added_later_merge_a_name_into_its_phone() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(testdata())
        .assert()
        .success();
    assert_eq!(
        persons_in_store(&store),
        ["name:maria silva", "tel:+5541988887777"]
    );
    // A contacts file with Maria's number (legacy 8-digit form) and a row with no phone.
    let contacts = tmp.path().join("contatos.csv");
    fs::write(
        &contacts,
        "nome;telefone\nMaria Silva;(11) 8765-4321\nSem Telefone;\n",
    )
    .unwrap();
    with_store(&store)
        .args(["ingest", "--contacts"])
        .arg(&contacts)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 line(s) rejected"));
    // Stored messages are re-keyed; sorted by person, so the two tel: keys in order.
    assert_eq!(
        persons_in_store(&store),
        ["tel:+5511987654321", "tel:+5541988887777"]
    );
    let st = status_json(&store);
    assert_eq!(st["messages"]["rows"], 9);
    assert_eq!(st["identities"], 1);
    let rejects = fs::read_to_string(store.join("rejects.csv")).unwrap();
    assert!(rejects.contains("contatos.csv,3,"), "{rejects}");
    // Re-ingesting the chats after the merge adds nothing: ids use the export's own key.
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(testdata().join("WhatsApp Chat with Maria Silva.txt"))
        .assert()
        .success()
        .stderr(predicate::str::contains("unchanged"));
    // A newer export of Maria's chat, one message longer: only that message is new, though her
    // stored messages are now under her phone and the export still names her. The same with the
    // contacts file in the same run as the newer export, into a store that has only the chats.
    let maria = fs::read_to_string(testdata().join("WhatsApp Chat with Maria Silva.txt")).unwrap();
    let newer = tmp.path().join("newer");
    fs::create_dir_all(&newer).unwrap();
    fs::write(
        newer.join("WhatsApp Chat with Maria Silva.txt"),
        format!("{maria}24/11/2026 09:40 - Maria Silva: Pago!\n"),
    )
    .unwrap();
    let added = |store: &Path, extra: &[&Path]| {
        let mut cmd = with_store(store);
        cmd.args(["ingest", "--chats"]).arg(&newer);
        for p in extra {
            cmd.arg("--contacts").arg(p);
        }
        cmd.assert()
            .success()
            .stderr(predicate::str::contains("1 new, 6 already in the store"));
        status_json(store)["messages"]["rows"].as_u64().unwrap()
    };
    assert_eq!(added(&store, &[]), 10);
    let late = tmp.path().join("late");
    with_store(&late)
        .args(["ingest", "--chats"])
        .arg(testdata())
        .assert()
        .success();
    assert_eq!(added(&late, &[&contacts]), 10);
    assert_eq!(persons_in_store(&late), persons_in_store(&store));
}

#[test]
fn chats_from_stdin() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    with_store(&store)
        .args(["ingest", "--chats", "-"])
        .write_stdin(PART1)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 file(s): 4 message(s) read, 4 new",
        ));
    assert_eq!(persons_in_store(&store), ["name:joana"]);
    let st = status_json(&store);
    assert_eq!(st["sources"][0]["path"], "-");
}

#[test]
fn a_closed_stdout_exits_0_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(testdata())
        .assert()
        .success();
    for args in [
        &["status", "--format", "json"][..],
        &["status"][..],
        &["sessions", "--format", "csv"][..],
        &["report", "response-time", "--format", "json"][..],
    ] {
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin!("chatrev"))
            .arg("--config")
            .arg(testdata().join("chatrev.toml"))
            .arg("--store")
            .arg(&store)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes away before anything is written
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("Broken pipe"),
            "{args:?}"
        );
    }
}

#[test]
fn shopify_orders_are_stored_with_person_keys_and_rejects() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let orders = testdata().join("orders/shopify_orders.csv");
    with_store(&store)
        .args(["ingest", "--orders"])
        .arg(&orders)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("read as shopify orders")
                .and(predicate::str::contains("3 order(s); 1 line(s) rejected")),
        );
    let stored = chatrev::store::tables::read_orders(&store.join("orders.parquet")).unwrap();
    let by_id = |id: &str| stored.iter().find(|o| o.order_id == id).unwrap().clone();
    // #1001: two line items merged; the legacy 8-digit billing phone gets the ninth digit.
    let o = by_id("#1001");
    assert_eq!(
        (o.person.as_deref(), o.status.as_str(), o.total_minor),
        (Some("tel:+5541988887777"), "paid", 18_990)
    );
    assert_eq!(o.created_at_ms, 1_795_615_200_000); // 2026-11-25T14:00:00Z
    assert_eq!(o.coupon.as_deref(), Some("ZAP10"));
    assert_eq!(
        by_id("#1002").person.as_deref(),
        Some("email:maria@example.com")
    );
    let voided = by_id("#1003");
    assert_eq!((voided.status.as_str(), voided.person), ("cancelled", None));
    assert_eq!(stored.len(), 3);
    let rejects = fs::read_to_string(store.join("rejects.csv")).unwrap();
    assert!(
        rejects.contains("shopify_orders.csv,6,") && rejects.contains("weird"),
        "{rejects}"
    );
    // The same file again: unchanged, nothing added.
    with_store(&store)
        .args(["ingest", "--orders"])
        .arg(&orders)
        .assert()
        .success()
        .stderr(predicate::str::contains("unchanged"));
    assert_eq!(status_json(&store)["sources"].as_array().unwrap().len(), 1);
}

/// A larger week-2 export (so that an ingest runs long enough to be killed at any stage).
fn big_week(dir: &Path, messages: usize) {
    let mut text = String::from(PART1);
    for i in 0..messages {
        let (day, hour, minute) = (10 + (i / 600) % 15, 8 + (i / 60) % 10, i % 60);
        text.push_str(&format!(
            "{day:02}/11/2026 {hour:02}:{minute:02} - Joana: mensagem {i}\n"
        ));
    }
    fs::write(dir.join("WhatsApp Chat with Joana.txt"), text).unwrap();
}

/// A store holding week 1 (4 messages) and a folder with a big week 2: (store, week1, week2).
fn store_and_big_week(tmp: &Path, messages: usize) -> (PathBuf, PathBuf, PathBuf) {
    let store = tmp.join("store");
    let (week1, week2) = (tmp.join("w1"), tmp.join("w2"));
    fs::create_dir_all(&week1).unwrap();
    fs::create_dir_all(&week2).unwrap();
    fs::write(week1.join("WhatsApp Chat with Joana.txt"), PART1).unwrap();
    big_week(&week2, messages);
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(&week1)
        .assert()
        .success();
    (store, week1, week2)
}

#[test]
fn fifty_random_sigkills_leave_the_old_or_the_new_store() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, week1, week2) = store_and_big_week(tmp.path(), 20_000);
    let old = status_json(&store)["messages"]["rows"].as_u64().unwrap();
    let mut committed = 0;
    // A fixed-seed walk over kill delays from 0 to 400 ms: every stage gets hit, and some
    // ingests finish first.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for round in 0..50 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = std::time::Duration::from_millis(seed % 400);
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin!("chatrev"))
            .arg("--config")
            .arg(testdata().join("chatrev.toml"))
            .arg("--store")
            .arg(&store)
            .args(["-q", "ingest", "--chats"])
            .arg(&week2)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL (it may have finished already)
        child.wait().unwrap();
        let rows = status_json(&store)["messages"]["rows"].as_u64().unwrap();
        assert!(
            rows == old || rows == old + 20_000,
            "round {round}: {rows} rows"
        );
        if rows != old {
            committed += 1;
            // Back to the old contents for the next round.
            fs::remove_dir_all(&store).unwrap();
            with_store(&store)
                .args(["ingest", "--chats"])
                .arg(&week1)
                .assert()
                .success();
        }
    }
    // How many ingests got past their commit point before the kill (timing-dependent).
    eprintln!("{committed} of 50 killed ingests had committed");
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _, week2) = store_and_big_week(tmp.path(), 50_000);
    // Files may grow to 64 KiB only: the new messages table cannot be written.
    let out = StdCommand::new("bash")
        .arg("-c")
        .arg("ulimit -f 64; exec \"$0\" --config \"$1\" --store \"$2\" ingest --chats \"$3\"")
        .arg(assert_cmd::cargo::cargo_bin!("chatrev"))
        .arg(testdata().join("chatrev.toml"))
        .arg(&store)
        .arg(&week2)
        .output()
        .unwrap();
    assert!(!out.status.success(), "the ingest cannot succeed");
    let st = status_json(&store);
    assert_eq!(st["messages"]["rows"], 4, "the old store is intact");
    assert_eq!(st["sources"].as_array().unwrap().len(), 1);
    // With room again, the same ingest works.
    with_store(&store)
        .args(["ingest", "--chats"])
        .arg(&week2)
        .assert()
        .success();
}
