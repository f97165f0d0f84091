//! Month partitions of the messages table (SPEC §4), through the binary: the layout on disk, a
//! conversation that crosses a month boundary, and reports that do not change with the layout.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn chatrev(config: &Path, store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chatrev"))
        .arg("--config")
        .arg(config)
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("CHATREV_KEY")
        .env_remove("CHATREV_STORE")
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The files of the store's messages table, relative to the store.
fn message_files(store: &Path) -> Vec<String> {
    chatrev::store::Store::at(store)
        .message_files()
        .unwrap()
        .iter()
        .map(|f| f.strip_prefix(store).unwrap().display().to_string())
        .collect()
}

/// The sample shop's config (examples/chatrev.toml) with absolute source paths, one more chat
/// (testdata/partitions: a conversation from 31 Oct into 1 Nov) and `[store]` settings.
fn shop_config(dir: &Path, store_settings: &str) -> PathBuf {
    let examples = root().join("examples");
    let text = std::fs::read_to_string(examples.join("chatrev.toml")).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("path = \"") {
            out.push_str(&format!("path = \"{}/{rest}\n", examples.display()));
        } else if line.starts_with("dir = ") {
            out.push_str(store_settings);
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "\n[[sources]]\nkind = \"chats\"\npath = \"{}\"\n",
        root().join("testdata/partitions").display()
    ));
    let path = dir.join(format!("chatrev-{}.toml", store_settings.len()));
    std::fs::write(&path, out).unwrap();
    path
}

const AGENT: &str = "agent_pattern = '^\\*(?P<agent>[^*]+)\\*:'\n";

/// `chatrev ingest ARGS` of São Paulo exports with the sample shop's business name.
fn ingest(config: &Path, store: &Path, args: &[&str]) -> String {
    let mut all = vec![
        "ingest",
        "--source-tz",
        "America/Sao_Paulo",
        "--business",
        "Loja Exemplo",
    ];
    all.extend_from_slice(args);
    ok(chatrev(config, store, &all))
}

/// `chatrev ingest --chats DIR` (see [`ingest`]).
fn ingest_chats(config: &Path, store: &Path, chats: &Path) -> String {
    ingest(config, store, &["--chats", chats.to_str().unwrap()])
}

/// The messages a store holds (`status`).
fn stored_rows(config: &Path, store: &Path) -> u64 {
    let s: serde_json::Value =
        serde_json::from_str(&ok(chatrev(config, store, &["status", "--format", "json"]))).unwrap();
    s["messages"]["rows"].as_u64().unwrap()
}

/// The month-crossing chat's file name in testdata/partitions.
const CROSSING: &str = "Conversa do WhatsApp com +55 11 98765-4321.txt";

/// Copies the month-crossing chat into `dir`.
fn copy_crossing(dir: &Path) {
    std::fs::copy(
        root().join("testdata/partitions").join(CROSSING),
        dir.join(CROSSING),
    )
    .unwrap();
}

/// `dir/one.toml`: the agent pattern and the default `[store]` (one messages file at these sizes).
fn one_file_config(dir: &Path) -> PathBuf {
    let config = dir.join("one.toml");
    std::fs::write(&config, AGENT).unwrap();
    config
}

/// A chat known by name only, in October and December: (file name, text).
const MARIA: (&str, &str) = (
    "Conversa do WhatsApp com Maria Silva.txt",
    "05/10/2026 10:00 - Maria Silva: Oi, tem vestido longo?\n\
     05/10/2026 10:30 - Loja Exemplo: *Bia*: Temos, R$ 150,00.\n\
     28/10/2026 09:00 - Maria Silva: Obrigada!\n\
     07/12/2026 15:00 - Maria Silva: Chegou a coleção de verão?\n\
     07/12/2026 15:05 - Loja Exemplo: *Bia*: Chegou ontem!\n",
);

/// `dir/chatrev.toml`: the agent pattern and `[store] partition_rows`.
fn partitioned_config(dir: &Path, partition_rows: u64) -> PathBuf {
    let config = dir.join("chatrev.toml");
    std::fs::write(
        &config,
        format!("{AGENT}[store]\npartition_rows = {partition_rows}\n"),
    )
    .unwrap();
    config
}

/// A config with `[store] partition_rows` and two weekly exports of the month-crossing chat
/// (week one: its first three messages; week two: all five), in `dir`.
fn two_weeks(dir: &Path, partition_rows: u64) -> (PathBuf, PathBuf, PathBuf) {
    let config = partitioned_config(dir, partition_rows);
    let full = std::fs::read_to_string(root().join("testdata/partitions").join(CROSSING)).unwrap();
    let (week1, week2) = (dir.join("w1"), dir.join("w2"));
    std::fs::create_dir_all(&week1).unwrap();
    std::fs::create_dir_all(&week2).unwrap();
    let first3: Vec<&str> = full.lines().take(3).collect();
    std::fs::write(week1.join(CROSSING), first3.join("\n") + "\n").unwrap();
    std::fs::write(week2.join(CROSSING), &full).unwrap();
    (config, week1, week2)
}

#[test]
fn a_conversation_across_a_month_boundary_reads_as_one_session() {
    // 20:50 and 20:55 in São Paulo on 31 Oct are 23:50 and 23:55 UTC (October's partition);
    // Ana's reply at 21:20 is 00:20 UTC on 1 Nov (November's). FRT 30 min; the next turn
    // (10:00 → 10:45 on 1 Nov) 45 min; one session.
    let tmp = tempfile::tempdir().unwrap();
    let config = partitioned_config(tmp.path(), 1);
    let store = tmp.path().join("store");
    ingest_chats(&config, &store, &root().join("testdata/partitions"));
    assert_eq!(
        message_files(&store),
        [
            "messages/month=2026-10/part-0.parquet",
            "messages/month=2026-11/part-0.parquet"
        ]
    );
    assert!(!store.join("messages.parquet").exists());
    let status = ok(chatrev(&config, &store, &["status"]));
    assert!(
        status.contains("Messages: 5 from 1 person(s)")
            && status.contains("; stored in 2 month partition(s)"),
        "{status}"
    );
    let csv = ok(chatrev(
        &config,
        &store,
        &["report", "response-time", "--format", "csv"],
    ));
    let rows: Vec<&str> = csv.lines().collect();
    assert!(
        rows[1].starts_with("calendar,frt,1,1,0,0,1.0000,1800,1800,"),
        "{csv}"
    );
    assert!(
        rows[2].starts_with("calendar,nrt,1,1,0,0,1.0000,2700,2700,"),
        "{csv}"
    );
    let sessions = ok(chatrev(
        &config,
        &store,
        &["sessions", "--format", "csv", "--reveal"],
    ));
    let lines: Vec<&str> = sessions.lines().collect();
    assert_eq!(lines.len(), 2, "one session: {sessions}");
    assert!(
        lines[1].contains(
            ",tel:+5511987654321,2026-10-31T23:50:00+00:00,2026-11-01T13:45:00+00:00,customer,Ana,organic,3,2,1800,"
        ),
        "{sessions}"
    );
    // Forgetting the one customer leaves no row above the threshold: one (empty) file again.
    ok(chatrev(
        &config,
        &store,
        &["forget", "--contact", "+55 11 98765-4321"],
    ));
    assert_eq!(message_files(&store), ["messages.parquet"]);
    assert!(!store.join("messages").exists());
}

#[test]
fn reports_are_the_same_from_one_file_and_from_month_partitions() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let parts = tmp.path().join("parts");
    let one_config = shop_config(tmp.path(), "");
    let parts_config = shop_config(tmp.path(), "partition_rows = 50");
    ok(chatrev(&one_config, &one, &["ingest"]));
    ok(chatrev(&parts_config, &parts, &["ingest"]));
    assert_eq!(message_files(&one), ["messages.parquet"]);
    let files = message_files(&parts);
    assert_eq!(
        files,
        [
            "messages/month=2026-10/part-0.parquet",
            "messages/month=2026-11/part-0.parquet"
        ]
    );
    let reports: [&[&str]; 5] = [
        &["report", "response-time", "--by", "week", "--format", "csv"],
        &[
            "report",
            "response-time",
            "--by",
            "agent",
            "--format",
            "csv",
        ],
        &["report", "conversion", "--by", "week", "--format", "csv"],
        &["report", "funnel", "--format", "csv"],
        &["sessions", "--format", "csv", "--reveal"],
    ];
    let run_all = |config: &Path, store: &Path| -> Vec<String> {
        reports
            .iter()
            .map(|args| ok(chatrev(config, store, &[*args, &["--no-refresh"]].concat())))
            .collect()
    };
    let expected = run_all(&one_config, &one);
    assert!(expected[4].lines().count() > 40, "{}", expected[4]);
    assert_eq!(run_all(&parts_config, &parts), expected);

    // Ingesting the same sources again adds nothing and keeps the layout.
    let again = ok(chatrev(&parts_config, &parts, &["ingest"]));
    let status = |store: &Path, config: &Path| -> serde_json::Value {
        serde_json::from_str(&ok(chatrev(config, store, &["status", "--format", "json"]))).unwrap()
    };
    let rows = |s: &serde_json::Value| s["messages"]["rows"].as_u64().unwrap();
    assert_eq!(
        rows(&status(&parts, &parts_config)),
        rows(&status(&one, &one_config)),
        "{again}"
    );
    assert_eq!(message_files(&parts), files);
    assert_eq!(run_all(&parts_config, &parts), expected);

    // One more chat (December) into both: orders are not rewritten when no order and no link
    // is new, and the reports still agree.
    use std::os::unix::fs::MetadataExt;
    let orders_inode = |store: &Path| {
        std::fs::metadata(store.join("orders.parquet"))
            .unwrap()
            .ino()
    };
    let orders_before = orders_inode(&parts);
    let december = tmp.path().join("december");
    std::fs::create_dir_all(&december).unwrap();
    std::fs::write(
        december.join("Conversa do WhatsApp com +55 31 99123-4567.txt"),
        "02/12/2026 14:00 - +55 31 99123-4567: Tem cupom de Natal?\n\
         02/12/2026 14:40 - Loja Exemplo: *Ana*: Temos! NATAL10 dá 10% até dia 24.\n",
    )
    .unwrap();
    for (config, store) in [(&one_config, &one), (&parts_config, &parts)] {
        ok(chatrev(
            config,
            store,
            &["ingest", "--chats", december.to_str().unwrap()],
        ));
    }
    assert_eq!(orders_inode(&parts), orders_before);
    assert!(message_files(&parts).contains(&"messages/month=2026-12/part-0.parquet".to_string()));
    let expected = run_all(&one_config, &one);
    assert_eq!(run_all(&parts_config, &parts), expected);

    // Forgetting the customer of the month-crossing chat removes their rows from both months,
    // and rewrites no other month.
    let before = rows(&status(&parts, &parts_config));
    let files_before = inodes(&parts);
    ok(chatrev(
        &parts_config,
        &parts,
        &["forget", "--contact", "+55 11 98765-4321"],
    ));
    assert_eq!(rows(&status(&parts, &parts_config)), before - 5);
    let dec = "messages/month=2026-12/part-0.parquet";
    assert_eq!(
        inodes(&parts)[dec],
        files_before[dec],
        "December is not theirs"
    );
    assert_eq!(
        message_files(&parts),
        [
            "messages/month=2026-11/part-0.parquet",
            "messages/month=2026-12/part-0.parquet"
        ],
        "October held only that chat"
    );
    let sessions = ok(chatrev(
        &parts_config,
        &parts,
        &["sessions", "--format", "csv", "--reveal", "--no-refresh"],
    ));
    assert!(!sessions.contains("5511987654321"), "{sessions}");
}

/// Starts an ingest that pauses at `point` (CHATREV_TEST_PAUSE) and kills it there (SIGKILL).
fn kill_ingest_at(config: &Path, store: &Path, chats: &Path, point: &str) {
    let mut child = paused_ingest(config, store, chats, point);
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Starts an ingest that pauses at `point` and returns once it has paused there.
fn paused_ingest(config: &Path, store: &Path, chats: &Path, point: &str) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chatrev"));
    cmd.arg("--config")
        .arg(config)
        .arg("--store")
        .arg(store)
        .args(["ingest", "--source-tz", "America/Sao_Paulo", "--business"])
        .arg("Loja Exemplo")
        .arg("--chats")
        .arg(chats)
        .env_remove("CHATREV_STORE");
    common::spawn_paused(cmd, point)
}

#[test]
fn sigkill_while_the_store_turns_into_partitions_leaves_the_old_or_the_new_layout() {
    let tmp = tempfile::tempdir().unwrap();
    // Week one: 3 rows, one file. Week two: 5 rows, past 4, so partitions replace the file.
    let (config, week1, week2) = two_weeks(tmp.path(), 4);
    let store = tmp.path().join("store");
    let rows = || stored_rows(&config, &store);
    ingest_chats(&config, &store, &week1);
    assert_eq!(message_files(&store), ["messages.parquet"]);

    // Killed before the commit point: the old store, one file; the next writer clears the rest.
    kill_ingest_at(&config, &store, &week2, "before-journal");
    assert_eq!(rows(), 3);
    assert_eq!(message_files(&store), ["messages.parquet"]);

    // Killed after the first rename: rolled forward by the next reader, the file removed.
    kill_ingest_at(&config, &store, &week2, "mid-rename");
    assert_eq!(rows(), 5);
    assert_eq!(
        message_files(&store),
        [
            "messages/month=2026-10/part-0.parquet",
            "messages/month=2026-11/part-0.parquet"
        ]
    );
    assert!(!store.join("messages.parquet").exists());
    let leftovers: Vec<_> = walk(&store)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    ingest_chats(&config, &store, &week2);
    assert_eq!(rows(), 5);
}

#[test]
fn a_reader_waits_for_a_commit_under_way_and_never_mixes_old_and_new_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (config, week1, week2) = two_weeks(tmp.path(), 1);
    let store = tmp.path().join("store");
    ingest_chats(&config, &store, &week1);
    // The writer stops after its first rename: November's new file is in place, the rest not.
    let mut writer = paused_ingest(&config, &store, &week2, "mid-rename");
    let mut reader = Command::new(env!("CARGO_BIN_EXE_chatrev"))
        .arg("--config")
        .arg(&config)
        .arg("--store")
        .arg(&store)
        .args(["status", "--format", "json"])
        .env_remove("CHATREV_STORE")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        reader.try_wait().unwrap().is_none(),
        "the reader waits while the commit is under way"
    );
    writer.kill().unwrap();
    writer.wait().unwrap();
    // The writer's lock is gone: the reader finishes the commit and reads the new store whole.
    let out = reader.wait_with_output().unwrap();
    assert!(out.status.success());
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["messages"]["rows"], 5, "{s}");
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Identity of each partition file (its inode: a rewrite renames a new file into place).
fn inodes(store: &Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    message_files(store)
        .into_iter()
        .map(|f| {
            let ino = std::fs::metadata(store.join(&f)).unwrap().ino();
            (f, ino)
        })
        .collect()
}

#[test]
fn an_ingest_rewrites_only_the_months_it_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let config = partitioned_config(tmp.path(), 1);
    let name = CROSSING;
    let base = std::fs::read_to_string(root().join("testdata/partitions").join(name)).unwrap();
    // A newer export of the same chat, two messages longer (in December).
    let newer = format!(
        "{base}03/12/2026 09:00 - +55 11 98765-4321: Chegou, obrigado!\n\
         03/12/2026 09:30 - Loja Exemplo: *Ana*: Que bom! Volte sempre.\n"
    );
    // Another customer, in November only.
    let other = "Conversa do WhatsApp com +55 21 99876-5432.txt";
    let november = "15/11/2026 10:00 - +55 21 99876-5432: Vocês entregam no Rio?\n\
                    15/11/2026 10:20 - Loja Exemplo: *Bia*: Entregamos sim!\n";
    let dirs: Vec<PathBuf> = (1..=3).map(|i| tmp.path().join(format!("w{i}"))).collect();
    for d in &dirs {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(dirs[0].join(name), &base).unwrap();
    std::fs::write(dirs[1].join(name), &newer).unwrap();
    std::fs::write(dirs[2].join(other), november).unwrap();
    let store = tmp.path().join("store");
    ingest_chats(&config, &store, &dirs[0]);
    let before = inodes(&store);
    assert_eq!(before.len(), 2, "{before:?}");

    // December only: October and November stay as they were.
    ingest_chats(&config, &store, &dirs[1]);
    let after = inodes(&store);
    let dec = "messages/month=2026-12/part-0.parquet";
    assert!(after.contains_key(dec), "{after:?}");
    for (file, ino) in &before {
        assert_eq!(after.get(file), Some(ino), "{file} was rewritten");
    }

    // November gains a chat: November is rewritten, October and December are not.
    ingest_chats(&config, &store, &dirs[2]);
    let last = inodes(&store);
    let (oct, nov) = (
        "messages/month=2026-10/part-0.parquet",
        "messages/month=2026-11/part-0.parquet",
    );
    assert_eq!(last[oct], after[oct]);
    assert_eq!(last[dec], after[dec]);
    assert_ne!(last[nov], after[nov], "November has a new chat");

    // The same as one store that read everything at once, in one file.
    let one = tmp.path().join("one");
    let one_config = one_file_config(tmp.path());
    ingest_chats(&one_config, &one, &dirs[1]);
    ingest_chats(&one_config, &one, &dirs[2]);
    assert_eq!(message_files(&one), ["messages.parquet"]);
    for args in [
        &["sessions", "--format", "csv", "--reveal", "--no-refresh"][..],
        &[
            "report",
            "response-time",
            "--by",
            "agent",
            "--format",
            "csv",
        ],
    ] {
        assert_eq!(
            ok(chatrev(&config, &store, args)),
            ok(chatrev(&one_config, &one, args))
        );
    }
    assert_eq!(stored_rows(&config, &store), 9);
    assert_eq!(stored_rows(&one_config, &one), 9);
}

/// A Cloud API webhook line.
fn webhook(value: &str) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"5511999990000","phone_number_id":"2"}},{value}}},"field":"messages"}}]}}]}}"#
    )
}

fn inbound(id: &str, ts: u64) -> String {
    webhook(&format!(
        r#""contacts":[{{"profile":{{"name":"Cliente"}},"wa_id":"5511987650000"}}],"messages":[{{"from":"5511987650000","id":"{id}","timestamp":"{ts}","type":"text","text":{{"body":"Oi"}}}}]"#
    ))
}

fn status(id: &str, status: &str, ts: u64) -> String {
    webhook(&format!(
        r#""statuses":[{{"id":"{id}","status":"{status}","timestamp":"{ts}","recipient_id":"5511987650000"}}]"#
    ))
}

#[test]
fn a_later_status_updates_a_send_stored_in_an_earlier_month() {
    // Day one (31 Oct UTC): a customer writes at 23:50, the business sends at 23:55. Day two
    // (1 Nov UTC): the send is read at 00:10 and the customer writes again at 00:20. Day two
    // touches November only by its own times; the send it updates is in October's file.
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("chatrev.toml");
    std::fs::write(
        &config,
        "timezone = \"America/Sao_Paulo\"\n[store]\npartition_rows = 1\n",
    )
    .unwrap();
    let (oct31_2350, oct31_2355) = (1_793_490_600, 1_793_490_900);
    let (nov1_0010, nov1_0020) = (1_793_491_800, 1_793_492_400);
    let day1 = tmp.path().join("day1.jsonl");
    let day2 = tmp.path().join("day2.jsonl");
    std::fs::write(
        &day1,
        [
            inbound("wamid.IN1", oct31_2350),
            status("wamid.OUT1", "sent", oct31_2355),
        ]
        .join("\n"),
    )
    .unwrap();
    std::fs::write(
        &day2,
        [
            status("wamid.OUT1", "read", nov1_0010),
            inbound("wamid.IN2", nov1_0020),
        ]
        .join("\n"),
    )
    .unwrap();
    let store = tmp.path().join("store");
    for day in [&day1, &day2] {
        ok(chatrev(
            &config,
            &store,
            &["ingest", "--cloud-api", day.to_str().unwrap()],
        ));
    }
    assert_eq!(
        message_files(&store),
        [
            "messages/month=2026-10/part-0.parquet",
            "messages/month=2026-11/part-0.parquet"
        ]
    );
    let s: serde_json::Value = serde_json::from_str(&ok(chatrev(
        &config,
        &store,
        &["status", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(s["messages"]["rows"], 3, "{s}");
    let delivery = s["messages"]["delivery"].to_string();
    assert!(delivery.contains("read"), "{delivery}");
    assert!(!delivery.contains("sent"), "{delivery}");
}

#[test]
fn a_contacts_link_rewrites_only_the_months_of_the_person_it_re_keys() {
    // Maria's chat (by name only) has messages in October and December; the month-crossing
    // phone chat has October and November. A contacts file then gives Maria a phone: her
    // months (October, December) are rewritten with her new key; November is not.
    let tmp = tempfile::tempdir().unwrap();
    let config = partitioned_config(tmp.path(), 1);
    let one_config = one_file_config(tmp.path());
    let chats = tmp.path().join("chats");
    std::fs::create_dir_all(&chats).unwrap();
    copy_crossing(&chats);
    std::fs::write(chats.join(MARIA.0), MARIA.1).unwrap();
    let contacts = tmp.path().join("contatos.csv");
    std::fs::write(&contacts, "nome;telefone\nMaria Silva;(11) 91234-5678\n").unwrap();
    // Maria's order carries only her e-mail; a later contacts file ties it to her phone.
    let orders = tmp.path().join("pedidos.csv");
    std::fs::write(
        &orders,
        "Name,Email,Financial Status,Paid at,Currency,Total,Created at\n\
         #P1,maria@example.com,paid,2026-12-08 10:05:00 -0300,BRL,150.00,2026-12-08 10:00:00 -0300\n",
    )
    .unwrap();
    let emails = tmp.path().join("emails.csv");
    std::fs::write(
        &emails,
        "nome;telefone;email\nMaria Silva;(11) 91234-5678;maria@example.com\n",
    )
    .unwrap();
    let (store, one) = (tmp.path().join("store"), tmp.path().join("one"));
    use std::os::unix::fs::MetadataExt;
    let orders_inode = || {
        std::fs::metadata(store.join("orders.parquet"))
            .unwrap()
            .ino()
    };
    for (config, store) in [(&config, &store), (&one_config, &one)] {
        ingest(config, store, &["--chats", chats.to_str().unwrap()]);
        ingest(config, store, &["--orders", orders.to_str().unwrap()]);
    }
    let before = inodes(&store);
    assert_eq!(before.len(), 3, "{before:?}");
    let orders_before = orders_inode();
    for (config, store) in [(&config, &store), (&one_config, &one)] {
        ingest(config, store, &["--contacts", contacts.to_str().unwrap()]);
    }
    assert_eq!(orders_inode(), orders_before, "no stored order is re-keyed");
    let after = inodes(&store);
    let (oct, nov, dec) = (
        "messages/month=2026-10/part-0.parquet",
        "messages/month=2026-11/part-0.parquet",
        "messages/month=2026-12/part-0.parquet",
    );
    assert_ne!(after[oct], before[oct], "Maria's October is re-keyed");
    assert_ne!(after[dec], before[dec], "Maria's December is re-keyed");
    assert_eq!(after[nov], before[nov], "November has none of her rows");
    let sessions = ok(chatrev(
        &config,
        &store,
        &["sessions", "--format", "csv", "--reveal", "--no-refresh"],
    ));
    assert!(sessions.contains("tel:+5511912345678"), "{sessions}");
    assert!(!sessions.contains("name:"), "{sessions}");
    assert_eq!(
        sessions,
        ok(chatrev(
            &one_config,
            &one,
            &["sessions", "--format", "csv", "--reveal", "--no-refresh"],
        ))
    );
    // Her e-mail joins her phone: the order is re-keyed and credited to her December chat.
    for (config, store) in [(&config, &store), (&one_config, &one)] {
        ingest(config, store, &["--contacts", emails.to_str().unwrap()]);
    }
    assert_ne!(orders_inode(), orders_before, "her order is re-keyed");
    let credits = ["attribute", "--format", "csv", "--reveal", "--no-refresh"];
    let attributed = ok(chatrev(&config, &store, &credits));
    assert!(
        attributed.contains("P1") && attributed.contains("tel:+5511912345678"),
        "{attributed}"
    );
    assert_eq!(attributed, ok(chatrev(&one_config, &one, &credits)));
}

#[test]
fn forget_that_brings_partitions_back_to_one_file_keeps_the_store_order() {
    // Months hold persons in their own order: October (+5511987654321, Maria), November
    // (+5511911111111, +5511987654321), December (Maria). Forgetting Maria leaves 7 rows, under
    // 8: one file again, which must be sorted by person across the months it merges, or the
    // month-crossing customer reads as two people.
    let tmp = tempfile::tempdir().unwrap();
    let config = partitioned_config(tmp.path(), 8);
    let one_config = one_file_config(tmp.path());
    let (all, kept) = (tmp.path().join("all"), tmp.path().join("kept"));
    for dir in [&all, &kept] {
        std::fs::create_dir_all(dir).unwrap();
        copy_crossing(dir);
        std::fs::write(
            dir.join("Conversa do WhatsApp com +55 11 91111-1111.txt"),
            "20/11/2026 10:00 - +55 11 91111-1111: Tem entrega hoje?\n\
             20/11/2026 10:10 - Loja Exemplo: *Ana*: Tem sim, até as 18h.\n",
        )
        .unwrap();
    }
    std::fs::write(all.join(MARIA.0), MARIA.1).unwrap();
    let (store, one) = (tmp.path().join("store"), tmp.path().join("one"));
    ingest_chats(&config, &store, &all);
    assert_eq!(message_files(&store).len(), 3);
    ok(chatrev(
        &config,
        &store,
        &["forget", "--contact", "Maria Silva"],
    ));
    assert_eq!(message_files(&store), ["messages.parquet"]);
    ingest_chats(&one_config, &one, &kept);
    for args in [
        &["sessions", "--format", "csv", "--reveal", "--no-refresh"][..],
        &["report", "response-time", "--format", "csv", "--no-refresh"],
    ] {
        assert_eq!(
            ok(chatrev(&config, &store, args)),
            ok(chatrev(&one_config, &one, args))
        );
    }
}
