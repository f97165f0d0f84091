//! The parser against the peer projects' fixtures in `../shared/fixtures`
//! (FORMATS.md, fixtures/chat-exports/SOURCES.md).
//!
//! Expected numbers come from the peers' expected outputs where they exist
//! (chat-miner `target.json`/`testlog.target.json`, chat-analytics `*.ts`,
//! whatsapp-chat-parser's inline tests); for files whose expected output needs
//! R (`*.rds`) or does not exist (whats_json, whatstk, rwhatsapp), the counts
//! are the number of header lines, counted by hand/grep, and the first and last
//! timestamps were read off the file (first and last message in file order).
//!
//! Files that genuinely cannot decide their day/month order need a fallback:
//! `chat-analytics/4A_11M.txt` and `.zip` (every line is `12/9/20`) and
//! `whats_json/android/WhatsApp Chat with Group Chat XXX Android.txt` (every
//! line is `11/01/2023`); both are read day first, as their sources intend
//! (chat-analytics expects 12 September 2020).
//!
//! When `../shared/fixtures` is absent every test prints
//! `skipped: ../shared/fixtures not found` and passes.

use std::path::{Path, PathBuf};

use chatrev::model::Kind;
use chatrev::sources::whatsapp_txt::{
    DateOrder, DateOrderBasis, ExportError, ExportMessage, ParseOptions, ParsedExport, parse_export,
};
use chrono::{NaiveDateTime, Timelike};

fn root() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/chat-exports");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/fixtures not found");
        None
    }
}

fn ts(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .expect("test timestamp")
}

/// The text of an export as `ingest` reads it (a zip's `_chat.txt` outside `__MACOSX/`,
/// decoded lossily): the production reader, so the fixtures exercise it too.
fn read_export(path: &Path) -> String {
    chatrev::sources::input::read_chat(path, |_| false)
        .expect("read export")
        .text
        .as_str()
        .to_string()
}

/// The day/month fallback a fixture needs (see the module docs).
fn fallback(rel: &str) -> Option<DateOrder> {
    match rel {
        "chat-analytics/4A_11M.txt"
        | "chat-analytics/4A_11M.zip"
        | "whats_json/android/WhatsApp Chat with Group Chat XXX Android.txt" => {
            Some(DateOrder::Dmy)
        }
        _ => None,
    }
}

fn parse(root: &Path, rel: &str) -> ParsedExport {
    let text = read_export(&root.join(rel));
    parse_export(
        &text,
        &ParseOptions {
            date_order: fallback(rel),
        },
    )
    .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn non_system(r: &ParsedExport) -> Vec<&ExportMessage> {
    r.messages
        .iter()
        .filter(|m| m.kind != Kind::System)
        .collect()
}

fn collect_exports(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_exports(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt" || e == "zip") {
            out.push(p);
        }
    }
}

#[test]
fn every_shared_export_parses() {
    let Some(root) = root() else { return };
    let mut files = Vec::new();
    collect_exports(&root, &mut files);
    assert!(files.len() >= 70, "found only {} exports", files.len());
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let r = parse(&root, &rel);
        assert!(!r.messages.is_empty(), "{rel}: no messages");
        assert!(r.rejects.is_empty(), "{rel}: rejects {:?}", r.rejects);
        assert_eq!(
            r.date_order_basis == DateOrderBasis::Fallback,
            fallback(&rel).is_some(),
            "{rel}: basis {:?}",
            r.date_order_basis
        );
    }
}

#[test]
fn ambiguous_fixtures_need_a_fallback() {
    let Some(root) = root() else { return };
    for rel in [
        "chat-analytics/4A_11M.txt",
        "chat-analytics/4A_11M.zip",
        "whats_json/android/WhatsApp Chat with Group Chat XXX Android.txt",
    ] {
        let text = read_export(&root.join(rel));
        assert_eq!(
            parse_export(&text, &ParseOptions::default()).unwrap_err(),
            ExportError::AmbiguousDateOrder,
            "{rel}"
        );
    }
}

/// (file, messages, first timestamp, last timestamp) in file order.
const BOUNDS: &[(&str, usize, &str, &str)] = &[
    (
        "WhatsR/englishandroid24h.txt",
        50,
        "2018-01-29 12:24:00",
        "2018-01-30 00:23:00",
    ),
    (
        "WhatsR/englishandroidampm.txt",
        50,
        "2018-01-29 12:24:00",
        "2018-01-30 00:23:00",
    ),
    (
        "WhatsR/englishios24h.txt",
        50,
        "2018-01-29 12:24:03",
        "2018-01-30 00:23:03",
    ),
    (
        "WhatsR/englishiosampm.txt",
        50,
        "2018-01-29 12:24:03",
        "2018-01-30 00:23:03",
    ),
    (
        "WhatsR/germanandroid24h.txt",
        50,
        "2018-01-29 12:24:00",
        "2018-01-30 00:13:00",
    ),
    (
        "WhatsR/germanandroidampm.txt",
        50,
        "2018-01-29 12:24:00",
        "2018-01-30 00:23:00",
    ),
    (
        "WhatsR/germanios24h.txt",
        50,
        "2018-01-29 12:24:03",
        "2018-01-30 00:13:03",
    ),
    (
        "WhatsR/germaniosampm.txt",
        50,
        "2018-01-29 12:24:03",
        "2018-01-30 00:23:03",
    ),
    (
        "chat-analytics/2A_5M.txt",
        5,
        "2021-01-01 12:00:00",
        "2021-01-01 12:02:00",
    ),
    (
        "chat-analytics/4A_11M.txt",
        14,
        "2020-09-12 23:55:00",
        "2020-09-12 23:56:00",
    ),
    (
        "chat-analytics/4A_11M.zip",
        14,
        "2020-09-12 23:55:00",
        "2020-09-12 23:56:00",
    ),
    (
        "chat-miner/test_[mmddyy]_24hrs.txt",
        9,
        "2019-01-01 11:25:00",
        "2021-12-30 22:01:00",
    ),
    (
        "chat-miner/test_ddmmyy_24hrs.txt",
        9,
        "2019-01-01 11:25:00",
        "2021-12-30 22:01:00",
    ),
    (
        "chat-miner/test_mmddyy_24hrs.txt",
        9,
        "2019-01-01 11:25:00",
        "2021-12-30 22:01:00",
    ),
    (
        "chat-miner/test_mmddyyyy_12hrs.txt",
        9,
        "2019-01-01 11:25:00",
        "2021-12-30 22:01:00",
    ),
    (
        "chat-miner/test_yyyymmdd_24hrs.txt",
        9,
        "2019-01-01 11:25:00",
        "2021-12-30 22:01:00",
    ),
    (
        "rwhatsapp/sample.txt",
        9,
        "2017-07-12 22:35:00",
        "2018-09-28 13:30:00",
    ),
    (
        "rwhatsapp/sample.zip",
        9,
        "2017-07-12 22:35:00",
        "2018-09-28 13:30:00",
    ),
    (
        "whatsapp-chat-parser-website/_chat.txt",
        52,
        "2019-06-20 15:58:47",
        "2019-06-20 16:45:28",
    ),
    (
        "whatsapp-chat-parser-website/whatsapp-chat-parser-example.zip",
        52,
        "2019-06-20 15:58:47",
        "2019-06-20 16:45:28",
    ),
    (
        "whatstk/lorem.txt",
        500,
        "2020-01-15 02:22:56",
        "2020-05-11 22:32:48",
    ),
    (
        "whatstk/lorem-2000.txt",
        2000,
        "2019-04-16 02:09:00",
        "2020-06-13 00:00:00",
    ),
    (
        "whatstk/lorem-merge-part1.txt",
        300,
        "2019-10-20 10:16:00",
        "2020-01-10 00:00:00",
    ),
    (
        "whatstk/lorem-merge-part2.txt",
        300,
        "2020-06-20 10:16:00",
        "2020-09-10 00:00:00",
    ),
    (
        "whatstk/pokemon.txt",
        20,
        "2016-04-15 15:04:00",
        "2016-10-31 12:23:00",
    ),
    (
        "whats_json/android/Chat WhatsApp s\u{a0}uživatelem Dmitry S CZ Android.txt",
        60,
        "2022-03-23 13:31:00",
        "2023-01-07 23:32:00",
    ),
    (
        "whats_json/android/WhatsApp Chat with Dmitry S EN Android.txt",
        60,
        "2022-03-23 13:31:00",
        "2023-01-07 23:32:00",
    ),
    (
        "whats_json/android/WhatsApp Chat with Dmitry S EN+Media Android.txt",
        60,
        "2022-03-23 13:31:00",
        "2023-01-07 23:32:00",
    ),
    (
        "whats_json/android/WhatsApp Chat with Group Chat XXX Android.txt",
        20,
        "2023-01-11 16:13:00",
        "2023-01-11 16:57:00",
    ),
    (
        "whats_json/android/Чат WhatsApp с\u{a0}контактом Dmitry S RU Android.txt",
        60,
        "2022-03-23 13:31:00",
        "2023-01-07 23:32:00",
    ),
    (
        "whats_json/calendars/Buddhist iOS.txt",
        28,
        "2022-03-18 14:56:01",
        "2023-01-12 15:35:15",
    ),
    (
        "whats_json/calendars/Gregorian iOS.txt",
        25,
        "2022-03-18 14:56:01",
        "2023-01-07 23:32:30",
    ),
    (
        "whats_json/calendars/Japanese iOS.txt",
        28,
        "2022-03-18 14:56:01",
        "2023-01-12 15:35:15",
    ),
    (
        "whats_json/example/_chat.txt",
        25,
        "2022-03-18 14:56:01",
        "2023-01-07 23:32:30",
    ),
    (
        "whats_json/example/_chat_with_media.txt",
        25,
        "2022-03-18 14:56:01",
        "2023-01-07 23:32:30",
    ),
    (
        "whats_json/ios/WhatsApp Chat - Elon Musk (Arabic).txt",
        25,
        "2022-03-18 14:56:01",
        "2023-01-07 23:32:30",
    ),
    (
        "whats_json/ios/WhatsApp Chat - Elon Musk (CZ).txt",
        25,
        "2022-03-18 14:56:00",
        "2023-01-07 23:32:30",
    ),
    (
        "whats_json/ios/WhatsApp Chat - Elon Musk (EN).txt",
        25,
        "2022-03-18 14:56:01",
        "2023-01-07 23:32:30",
    ),
    (
        "whats_json/ios/WhatsApp Chat - Elon Musk (RU).zip",
        25,
        "2022-03-18 14:56:00",
        "2023-01-07 23:32:30",
    ),
    (
        "whats_json/ios/iOS Vietnamese.txt",
        28,
        "2022-03-18 14:56:01",
        "2023-01-12 15:35:15",
    ),
    (
        "whats_json/ios/iOS Indonesian.txt",
        28,
        "2022-03-18 14:56:01",
        "2023-01-12 15:35:14",
    ),
    (
        "whats_json/languages/arabic_ios.txt",
        23,
        "2022-03-18 14:56:00",
        "2022-03-27 21:56:45",
    ),
    (
        "whats_json/languages/arabic2_ios.txt",
        23,
        "2022-03-18 14:56:01",
        "2022-03-27 21:56:45",
    ),
    (
        "whats_json/languages/czech_android.txt",
        60,
        "2022-03-23 13:31:00",
        "2023-01-07 23:32:00",
    ),
    (
        "whats_json/languages/deutch_android_media.txt",
        41,
        "2022-03-23 13:31:00",
        "2023-01-07 23:32:00",
    ),
    (
        "whats_json/languages/vietnamese_ios.txt",
        23,
        "2022-03-18 14:56:01",
        "2022-03-27 21:56:46",
    ),
];

#[test]
fn message_counts_and_first_last_timestamps() {
    let Some(root) = root() else { return };
    for (rel, n, first, last) in BOUNDS {
        let r = parse(&root, rel);
        assert_eq!(r.messages.len(), *n, "{rel}: count");
        assert_eq!(r.messages[0].local, ts(first), "{rel}: first");
        assert_eq!(r.messages[n - 1].local, ts(last), "{rel}: last");
    }
}

/// Every iOS/Android language sample of whats_json parses completely: one
/// message per header line, nothing generated left as plain text.
#[test]
fn whats_json_language_samples() {
    let Some(root) = root() else { return };
    let ios23 = [
        "arabic2_ios",
        "arabic_ios",
        "czech_ios",
        "deutch_ios",
        "english_ios",
        "french_ios",
        "hindi_ios",
        "indonesian_ios",
        "italian_ios",
        "japanese_ios",
        "portugal_ios",
        "russian_ios",
        "spanish_ios",
        "thai_ios",
        "ukrainian_ios",
        "vietnamese_ios",
    ];
    for name in ios23 {
        let rel = format!("whats_json/languages/{name}.txt");
        let r = parse(&root, &rel);
        assert_eq!(r.messages.len(), 23, "{rel}");
        // 13 media, 1 contact card, 2 deleted, 2 locations, the e2e notice
        let count = |k: Kind| r.messages.iter().filter(|m| m.kind == k).count();
        assert_eq!(count(Kind::Media), 13, "{rel} media");
        assert_eq!(count(Kind::Contact), 1, "{rel} contact");
        assert_eq!(count(Kind::Deleted), 2, "{rel} deleted");
        assert_eq!(count(Kind::Location), 2, "{rel} location");
        assert_eq!(count(Kind::System), 1, "{rel} system");
    }
    for name in [
        "english_android",
        "english_android_media",
        "czech_android",
        "russian_android",
    ] {
        let rel = format!("whats_json/languages/{name}.txt");
        let r = parse(&root, &rel);
        assert_eq!(r.messages.len(), 60, "{rel}");
        let count = |k: Kind| r.messages.iter().filter(|m| m.kind == k).count();
        assert_eq!(
            (
                count(Kind::Media),
                count(Kind::Contact),
                count(Kind::Deleted),
                count(Kind::Call)
            ),
            (29, 2, 8, 2),
            "{rel}"
        );
    }
}

#[test]
fn chat_miner_targets() {
    let Some(root) = root() else { return };
    let target: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("chat-miner/target.json")).unwrap(),
    )
    .unwrap();
    let target = target.as_array().unwrap();
    assert_eq!(target.len(), 6);
    for rel in [
        "chat-miner/test_[mmddyy]_24hrs.txt",
        "chat-miner/test_ddmmyy_24hrs.txt",
        "chat-miner/test_mmddyy_24hrs.txt",
        "chat-miner/test_mmddyyyy_12hrs.txt",
        "chat-miner/test_yyyymmdd_24hrs.txt",
    ] {
        let r = parse(&root, rel);
        // chat-miner drops system lines (and the `John Doe:.` line, which has
        // no ": " and is an authorless system line here) and lists newest first.
        let ours = non_system(&r);
        assert_eq!(ours.len(), target.len(), "{rel}");
        for (m, t) in ours.iter().rev().zip(target) {
            assert_eq!(m.local, ts(t["timestamp"].as_str().unwrap()), "{rel}");
            assert_eq!(m.author.as_deref(), t["author"].as_str(), "{rel}");
            assert_eq!(
                m.text.replace('\n', " "),
                t["message"].as_str().unwrap(),
                "{rel}"
            );
        }
    }
}

#[test]
fn chat_miner_testlog() {
    let Some(root) = root() else { return };
    let raw = std::fs::read_to_string(root.join("chat-miner/testlog.target.json")).unwrap();
    let mut target: Vec<serde_json::Value> = raw
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(target.len(), 23);
    target.reverse(); // file order
    let epoch = |t: &serde_json::Value| {
        chrono::DateTime::from_timestamp_millis(t["datetime"].as_i64().unwrap())
            .unwrap()
            .naive_utc()
    };
    // testlog.txt mixes eight header shapes in one file. We read one template
    // per file (the most common: `m/d/yy, H:mm - `, 8 lines), so the lines of
    // the other shapes stay continuation text of the 8th message: 8 messages
    // whose timestamps are chat-miner's first 8.
    let r = parse(&root, "chat-miner/testlog.txt");
    assert_eq!(r.messages.len(), 8);
    for (m, t) in r.messages.iter().zip(&target) {
        assert_eq!(m.local, epoch(t));
    }
    assert_eq!(r.messages[7].text.lines().count(), 16);
    // Each of the other 15 header lines, read on its own, gives chat-miner's
    // timestamp (m/d, as chat-miner reads them).
    let text = read_export(&root.join("chat-miner/testlog.txt"));
    let header_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit() || c == '['))
        .collect();
    assert_eq!(header_lines.len(), 23);
    for (line, t) in header_lines.iter().zip(&target).skip(8) {
        let opts = ParseOptions {
            date_order: Some(DateOrder::Mdy),
        };
        let r = parse_export(line, &opts).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(r.messages.len(), 1, "{line}");
        assert_eq!(r.messages[0].local, epoch(t), "{line}");
        assert_eq!(
            r.messages[0].author.as_deref(),
            t["author"].as_str(),
            "{line}"
        );
        // chat-miner normalises NBSP to a space; we keep the text as written.
        assert_eq!(
            r.messages[0].text.replace('\u{a0}', " "),
            t["message"].as_str().unwrap(),
            "{line}"
        );
    }
}

#[test]
fn chat_analytics_expectations() {
    let Some(root) = root() else { return };
    // 2A_5M.txt.ts: A/B, 5 messages on 2021-01-01 12:00–12:03, B's `<media omitted>` is an attachment.
    let r = parse(&root, "chat-analytics/2A_5M.txt");
    assert_eq!(r.messages.len(), 5);
    let authors: Vec<_> = r
        .messages
        .iter()
        .map(|m| m.author.as_deref().unwrap())
        .collect();
    assert_eq!(authors, ["A", "B", "A", "B", "A"]);
    assert_eq!(r.messages[0].text, "Hi");
    assert_eq!(r.messages[3].kind, Kind::Media);
    assert_eq!(r.messages[3].local, ts("2021-01-01 12:03:00"));
    assert_eq!(r.messages[4].text, "This message should be reordered");
    assert_eq!(r.messages[4].local, ts("2021-01-01 12:02:00"));
    // 4A_11M.txt.ts / .zip.ts: authors Alice, Bob, Eve, Mallory, Trent; 11
    // messages (plus 3 system lines); Alice "boiii" and Trent's ZWJ emoji at
    // 2020-09-12 23:55.
    for rel in ["chat-analytics/4A_11M.txt", "chat-analytics/4A_11M.zip"] {
        let r = parse(&root, rel);
        let msgs = non_system(&r);
        assert_eq!(msgs.len(), 11, "{rel}");
        let mut authors: Vec<&str> = msgs.iter().map(|m| m.author.as_deref().unwrap()).collect();
        authors.sort();
        authors.dedup();
        assert_eq!(
            authors,
            ["Alice", "Bob", "Eve", "Mallory", "Trent"],
            "{rel}"
        );
        let boiii = msgs.iter().find(|m| m.text == "boiii").unwrap();
        assert_eq!(boiii.author.as_deref(), Some("Alice"));
        assert_eq!(boiii.local, ts("2020-09-12 23:55:00"));
        let trent = msgs
            .iter()
            .find(|m| m.author.as_deref() == Some("Trent"))
            .unwrap();
        assert!(trent.text.starts_with("👩🏻\u{200d}⚖"), "{rel}");
        assert_eq!(trent.local, ts("2020-09-12 23:55:00"));
    }
}

/// `index.test.ts`: the inline example (5 messages, empty lines kept inside
/// the last one) and the regression for issue #237.
#[test]
fn whatsapp_chat_parser_inline_examples() {
    let Some(root) = root() else { return };
    let ts_src = std::fs::read_to_string(root.join("whatsapp-chat-parser/index.test.ts")).unwrap();
    let start = ts_src.find("const chatExample = `").unwrap() + "const chatExample = `".len();
    let end = start + ts_src[start..].find('`').unwrap();
    let example = &ts_src[start..end];
    let r = parse_export(example, &ParseOptions::default()).unwrap();
    assert_eq!(r.messages.len(), 5);
    // Pustur keeps the final line break; we end the message at the last line.
    assert_eq!(r.messages[4].text, "How are you?\n\nIs everything alright?");
    assert_eq!(r.messages[4].author.as_deref(), Some("+410123456789"));
    assert_eq!(r.messages[0].kind, Kind::System);
    assert_eq!(r.messages[0].author, None);

    let r = parse_export(
        "30/12/2020 13:00 - a: m\n13/1/2021 13:00 - a: m",
        &ParseOptions::default(),
    )
    .unwrap();
    assert_eq!(r.messages[0].local, ts("2020-12-30 13:00:00"));
    assert_eq!(r.messages[1].local, ts("2021-01-13 13:00:00"));
}

/// Buddhist (`2565 BE`) and Japanese-era (`R4`) copies of the Gregorian sample
/// give the same timestamps (to the minute: the copies were exported a second
/// apart on some lines) for the 25 messages they share.
#[test]
fn calendars_match_gregorian() {
    let Some(root) = root() else { return };
    let minute = |m: &ExportMessage| m.local.with_second(0).unwrap();
    let g = parse(&root, "whats_json/calendars/Gregorian iOS.txt");
    for rel in [
        "whats_json/calendars/Buddhist iOS.txt",
        "whats_json/calendars/Japanese iOS.txt",
    ] {
        let c = parse(&root, rel);
        assert_eq!(c.messages.len(), 28, "{rel}");
        for (a, b) in g.messages.iter().zip(&c.messages) {
            assert_eq!(minute(a), minute(b), "{rel}");
            assert_eq!(a.author, b.author, "{rel}");
            assert_eq!(a.kind, b.kind, "{rel}");
        }
    }
}

#[test]
fn zips_equal_their_text_files() {
    let Some(root) = root() else { return };
    for (txt, zip) in [
        ("rwhatsapp/sample.txt", "rwhatsapp/sample.zip"),
        ("chat-analytics/4A_11M.txt", "chat-analytics/4A_11M.zip"),
        (
            "whatsapp-chat-parser-website/_chat.txt",
            "whatsapp-chat-parser-website/whatsapp-chat-parser-example.zip",
        ),
    ] {
        assert_eq!(
            parse(&root, txt).messages,
            parse(&root, zip).messages,
            "{zip}"
        );
    }
}

#[test]
fn website_example_kinds() {
    let Some(root) = root() else { return };
    let r = parse(&root, "whatsapp-chat-parser-website/_chat.txt");
    let count = |k: Kind| r.messages.iter().filter(|m| m.kind == k).count();
    // 4 `<attached: …>`, 1 poll, 4 authorless system lines (old e2e notice, created group, 2× added)
    assert_eq!(
        (count(Kind::Media), count(Kind::Poll), count(Kind::System)),
        (4, 1, 4)
    );
    let poll = r.messages.iter().find(|m| m.kind == Kind::Poll).unwrap();
    assert_eq!(poll.text.lines().count(), 7);
}
