//! End-to-end tests of [`parse_export`]: every header variant of FORMATS.md
//! §1.1, Pustur's accepted shapes, the quirks q01–q20 of §7 (own files under
//! `testdata/chats/`), date-order decisions and file-level properties.
//! Expected timestamps are worked out by hand from the lines.

use chrono::NaiveDateTime;

use super::*;
use crate::model::Kind;

fn ts(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("test timestamp")
}

fn parse(text: &str) -> ParsedExport {
    parse_export(text, &ParseOptions::default()).unwrap_or_else(|e| panic!("{e}: {text:?}"))
}

fn parse_with(text: &str, order: DateOrder) -> ParsedExport {
    let opts = ParseOptions {
        date_order: Some(order),
    };
    parse_export(text, &opts).unwrap_or_else(|e| panic!("{e}: {text:?}"))
}

/// Asserts one message: line, time, author, kind and text.
#[track_caller]
fn check(m: &ExportMessage, line: u32, local: &str, author: Option<&str>, kind: Kind, text: &str) {
    assert_eq!(m.line, line, "line of {m:?}");
    assert_eq!(m.local, ts(local), "time of {m:?}");
    assert_eq!(m.author.as_deref(), author, "author of {m:?}");
    assert_eq!(m.kind, kind, "kind of {m:?}");
    assert_eq!(m.text, text, "text of {m:?}");
}

/// One line of FORMATS.md §1.1: (id, line, fallback order, time, author, kind, text, precision).
type Case = (
    &'static str,
    &'static str,
    Option<DateOrder>,
    &'static str,
    Option<&'static str>,
    Kind,
    &'static str,
    u32,
);

const E2E: &str = "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.";

#[test]
fn header_variants_catalogue() {
    use DateOrder::{Dmy, Mdy};
    let cases: Vec<Case> = vec![
        (
            "A1",
            "1/29/18, 12:24 PM - Mallory: Hey! :)",
            None,
            "2018-01-29 12:24:00",
            Some("Mallory"),
            Kind::Text,
            "Hey! :)",
            60,
        ),
        (
            "A2",
            "1/4/23, 7:02\u{202f}PM - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
            Some(Mdy),
            "2023-01-04 19:02:00",
            None,
            Kind::System,
            E2E,
            60,
        ),
        (
            "A3",
            "09/10/2023, 11:11\u{202f}am - +44 7123 456789: <Media omitted>",
            Some(Dmy),
            "2023-10-09 11:11:00",
            Some("+44 7123 456789"),
            Kind::Media,
            "<Media omitted>",
            60,
        ),
        (
            "A4",
            "29/07/21, 11:26 am - Wasi 🌈🌄: IMG-20190108-WA0004.jpg (file attached)",
            None,
            "2021-07-29 11:26:00",
            Some("Wasi 🌈🌄"),
            Kind::Media,
            "IMG-20190108-WA0004.jpg (file attached)",
            60,
        ),
        (
            "A5",
            "23/03/2022, 13:31 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
            None,
            "2022-03-23 13:31:00",
            None,
            Kind::System,
            E2E,
            60,
        ),
        (
            "A6",
            "12/9/20, 23:55 - Alice: boiii",
            Some(Dmy),
            "2020-09-12 23:55:00",
            Some("Alice"),
            Kind::Text,
            "boiii",
            60,
        ),
        (
            "A7",
            "1/29/18, 12:24 - Mallory: Hey! :)",
            None,
            "2018-01-29 12:24:00",
            Some("Mallory"),
            Kind::Text,
            "Hey! :)",
            60,
        ),
        (
            "A8",
            "2020-09-22, 7:11 a.m. - +X (xxx) xxx-xxxx: the quick brown fox",
            None,
            "2020-09-22 07:11:00",
            Some("+X (xxx) xxx-xxxx"),
            Kind::Text,
            "the quick brown fox",
            60,
        ),
        (
            "A9",
            "2019/01/01, 11:25 - John Doe: Lorem ipsum dolor sit amet.",
            None,
            "2019-01-01 11:25:00",
            Some("John Doe"),
            Kind::Text,
            "Lorem ipsum dolor sit amet.",
            60,
        ),
        (
            "A10",
            "18/09/2020 08:22 - +55 51 9287-1880 entrou usando o link de convite deste grupo",
            None,
            "2020-09-18 08:22:00",
            None,
            Kind::System,
            "+55 51 9287-1880 entrou usando o link de convite deste grupo",
            60,
        ),
        (
            "A11",
            "08/02/18 14:42 - Caio Barbosa De Almeida: <Arquivo de mídia oculto>",
            Some(Dmy),
            "2018-02-08 14:42:00",
            Some("Caio Barbosa De Almeida"),
            Kind::Media,
            "<Arquivo de mídia oculto>",
            60,
        ),
        (
            "A12",
            "20/6/2017 8:28 p.\u{a0}m. - Michelle: test",
            None,
            "2017-06-20 20:28:00",
            Some("Michelle"),
            Kind::Text,
            "test",
            60,
        ),
        (
            "A13",
            "9/5/2020 8:04 p. m. - Eduardo Camargo: https://youtu.be/x",
            Some(Dmy),
            "2020-05-09 20:04:00",
            Some("Eduardo Camargo"),
            Kind::Text,
            "https://youtu.be/x",
            60,
        ),
        (
            "A14",
            "9/4/2026, 14:43 - +54 9 264 484-1343: <Multimedia omitido>",
            Some(Dmy),
            "2026-04-09 14:43:00",
            Some("+54 9 264 484-1343"),
            Kind::Media,
            "<Multimedia omitido>",
            60,
        ),
        (
            "A15",
            "15.11.21, 15:28 - Username: IMG-20211115-WA0010.jpg (Datei angehängt)",
            None,
            "2021-11-15 15:28:00",
            Some("Username"),
            Kind::Media,
            "IMG-20211115-WA0010.jpg (Datei angehängt)",
            60,
        ),
        (
            "A16",
            "29.01.18, 12:24 PM - Du hast Mallory hinzugefügt.",
            None,
            "2018-01-29 12:24:00",
            None,
            Kind::System,
            "Du hast Mallory hinzugefügt.",
            60,
        ),
        (
            "A17",
            "23.03.2022, 13:31 - Сообщения и звонки защищены сквозным шифрованием.",
            None,
            "2022-03-23 13:31:00",
            None,
            Kind::System,
            "Сообщения и звонки защищены сквозным шифрованием.",
            60,
        ),
        (
            "A18",
            "18.03.22 14:56 - Dmitry S: Hello",
            None,
            "2022-03-18 14:56:00",
            Some("Dmitry S"),
            Kind::Text,
            "Hello",
            60,
        ),
        (
            "A19",
            "18-03-2022 14:56 - Dmitry S: Hello",
            None,
            "2022-03-18 14:56:00",
            Some("Dmitry S"),
            Kind::Text,
            "Hello",
            60,
        ),
        (
            "A20",
            "06/10/18, 10:56 - Me: PLorem ipsum dolor sit amet 😰",
            Some(Dmy),
            "2018-10-06 10:56:00",
            Some("Me"),
            Kind::Text,
            "PLorem ipsum dolor sit amet 😰",
            60,
        ),
        (
            "A21",
            "12/07/2017 à 22:35 - Les messages envoyés dans cette discussion sont protégés.",
            Some(Dmy),
            "2017-07-12 22:35:00",
            None,
            Kind::System,
            "Les messages envoyés dans cette discussion sont protégés.",
            60,
        ),
        (
            "A22",
            "13.6.2018 klo 21.25.15 - a: m",
            None,
            "2018-06-13 21:25:15",
            Some("a"),
            Kind::Text,
            "m",
            1,
        ),
        (
            "A23",
            "03/01/2021, 9:15 in the morning - Wolfgang: Lorem ipsum dolor sit amet? 😉",
            Some(Dmy),
            "2021-01-03 09:15:00",
            Some("Wolfgang"),
            Kind::Text,
            "Lorem ipsum dolor sit amet? 😉",
            60,
        ),
        (
            "A24",
            "۲۰۲۱/۵/۳۰، ۱۸:۴۴ - Sattar-b: سلام،خسته نباشید",
            None,
            "2021-05-30 18:44:00",
            Some("Sattar-b"),
            Kind::Text,
            "سلام،خسته نباشید",
            60,
        ),
        (
            "A25",
            "02/07/2019, 0:21 - \u{200e}\u{202b}תמיררררר\u{202c}\u{200e}'s security code changed. Tap for more info.",
            Some(Dmy),
            "2019-07-02 00:21:00",
            None,
            Kind::System,
            "\u{202b}תמיררררר\u{202c}\u{200e}'s security code changed. Tap for more info.",
            60,
        ),
        (
            "I1",
            "[1/29/18, 12:24:03 PM] Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
            None,
            "2018-01-29 12:24:03",
            None,
            Kind::System,
            E2E,
            1,
        ),
        (
            "I2",
            "[14/10/2021, 3:34:09\u{202f}PM] Ana: oi",
            None,
            "2021-10-14 15:34:09",
            Some("Ana"),
            Kind::Text,
            "oi",
            1,
        ),
        (
            "I3",
            "[3/27/22, 21:41:35] Dmitry S: Hello World",
            None,
            "2022-03-27 21:41:35",
            Some("Dmitry S"),
            Kind::Text,
            "Hello World",
            1,
        ),
        (
            "I4",
            "[10/08/2017, 22:47:31] Keith Hill: So",
            Some(Dmy),
            "2017-08-10 22:47:31",
            Some("Keith Hill"),
            Kind::Text,
            "So",
            1,
        ),
        (
            "I5",
            "[20.06.19, 15:58:53] John: Hey 👋",
            None,
            "2019-06-20 15:58:53",
            Some("John"),
            Kind::Text,
            "Hey 👋",
            1,
        ),
        (
            "I6",
            "[14.08.2024, 21:00:10] My Group Name: Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
            None,
            "2024-08-14 21:00:10",
            Some("My Group Name"),
            Kind::System,
            "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
            1,
        ),
        (
            "I7",
            "[05.08.23, 5:52:02 PM] Hana: Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
            Some(Dmy),
            "2023-08-05 17:52:02",
            Some("Hana"),
            Kind::System,
            "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
            1,
        ),
        (
            "I8",
            "[27-11-18 18:43:20] Tom Hanks: Message",
            None,
            "2018-11-27 18:43:20",
            Some("Tom Hanks"),
            Kind::Text,
            "Message",
            1,
        ),
        (
            "I9",
            "[25/3/18 11:27:48] Carolina Elhordoy Lezama: Los mensajes y llamadas en este chat ahora están protegidos con cifrado de extremo a extremo.",
            None,
            "2018-03-25 11:27:48",
            Some("Carolina Elhordoy Lezama"),
            Kind::System,
            "Los mensajes y llamadas en este chat ahora están protegidos con cifrado de extremo a extremo.",
            1,
        ),
        (
            "I10",
            "[25/09/20 10:27:18 a.m.] [name] : [message]",
            None,
            "2020-09-25 10:27:18",
            Some("[name]"),
            Kind::Text,
            "[message]",
            1,
        ),
        (
            "I10b",
            "[31/12/2019, 2:14:40 a.m.] Ana: oi",
            None,
            "2019-12-31 02:14:40",
            Some("Ana"),
            Kind::Text,
            "oi",
            1,
        ),
        (
            "I11",
            "[2019/11/21, 13:58:48] Zach Wolpe: thanks for the great info 👏🏻",
            None,
            "2019-11-21 13:58:48",
            Some("Zach Wolpe"),
            Kind::Text,
            "thanks for the great info 👏🏻",
            1,
        ),
        (
            "I12",
            "[2023/5/4, 16:17:13] ~ Carolina: 🥺",
            None,
            "2023-05-04 16:17:13",
            Some("~ Carolina"),
            Kind::Text,
            "🥺",
            1,
        ),
        (
            "I12b",
            "[2024/10/31 15:50:46] 李: 你好",
            None,
            "2024-10-31 15:50:46",
            Some("李"),
            Kind::Text,
            "你好",
            1,
        ),
        (
            "I13",
            "[3/27/22 21:41:35] Dmitry S: Hello World",
            None,
            "2022-03-27 21:41:35",
            Some("Dmitry S"),
            Kind::Text,
            "Hello World",
            1,
        ),
        (
            "I14",
            "[3/27/22 21.41.35] Dmitry S: Hello World",
            None,
            "2022-03-27 21:41:35",
            Some("Dmitry S"),
            Kind::Text,
            "Hello World",
            1,
        ),
        (
            "I15",
            "[21:41:35, 3/27/22] Dmitry S: Hello World",
            None,
            "2022-03-27 21:41:35",
            Some("Dmitry S"),
            Kind::Text,
            "Hello World",
            1,
        ),
        (
            "I16",
            "[3/27/2565 BE, 21:41:35] Dmitry S: Hello World",
            None,
            "2022-03-27 21:41:35",
            Some("Dmitry S"),
            Kind::Text,
            "Hello World",
            1,
        ),
        (
            "I17",
            "[3/27/R4, 21:41:35] Dmitry S: Hello World",
            None,
            "2022-03-27 21:41:35",
            Some("Dmitry S"),
            Kind::Text,
            "Hello World",
            1,
        ),
        (
            "I18",
            "[\u{200f}27\u{200f}/3\u{200f}/2022\u{060c} 21:41:35] Dmitry S: Hello World",
            None,
            "2022-03-27 21:41:35",
            Some("Dmitry S"),
            Kind::Text,
            "Hello World",
            1,
        ),
        (
            "I19",
            "[\u{0662}\u{0667}\u{200f}/\u{0663}\u{200f}/\u{0662}\u{0660}\u{0662}\u{0662}\u{060c} \u{0669}:\u{0664}\u{0661}:\u{0663}\u{0665}\u{00a0}\u{0645}] Dmitry S: Hello World",
            None,
            "2022-03-27 21:41:35",
            Some("Dmitry S"),
            Kind::Text,
            "Hello World",
            1,
        ),
        (
            "I20",
            "4/26/16, 16:23:03: \u{202a}+55\u{a0}61\u{a0}8121\u{2011}3457\u{202c}: <\u{200e}image omitted>",
            None,
            "2016-04-26 16:23:03",
            Some("+55 61 8121-3457"),
            Kind::Media,
            "<\u{200e}image omitted>",
            1,
        ),
        (
            "I21",
            "7/1/16, 5:13:36 PM: Sophia H.: So hier mal die versprochene Gruppe 😉",
            Some(Mdy),
            "2016-07-01 17:13:36",
            Some("Sophia H."),
            Kind::Text,
            "So hier mal die versprochene Gruppe 😉",
            1,
        ),
        (
            "I22",
            "2016-06-27, 8:04:08 AM: Neil: Hi",
            None,
            "2016-06-27 08:04:08",
            Some("Neil"),
            Kind::Text,
            "Hi",
            1,
        ),
        (
            "X1",
            "2022/12/24, 13:01. - John Doe: Testing abnormal\u{a0}unicode with yyyy first",
            None,
            "2022-12-24 13:01:00",
            Some("John Doe"),
            Kind::Text,
            "Testing abnormal\u{a0}unicode with yyyy first",
            60,
        ),
        (
            "X2",
            "1/30/18, 00:04 AM - Bob: By the way",
            None,
            "2018-01-30 00:04:00",
            Some("Bob"),
            Kind::Text,
            "By the way",
            60,
        ),
        (
            "X4",
            "09/12/2012 17:03:48: Sender Name: Message",
            Some(Dmy),
            "2012-12-09 17:03:48",
            Some("Sender Name"),
            Kind::Text,
            "Message",
            1,
        ),
        (
            "X4b",
            "24/3/14, 13:59:59: Sender Name: Message",
            None,
            "2014-03-24 13:59:59",
            Some("Sender Name"),
            Kind::Text,
            "Message",
            1,
        ),
    ];
    for (id, line, order, local, author, kind, text, precision) in cases {
        let opts = ParseOptions { date_order: order };
        let r = parse_export(line, &opts).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(r.messages.len(), 1, "{id}: {r:?}");
        let m = &r.messages[0];
        assert_eq!(m.local, ts(local), "{id} time");
        assert_eq!(m.author.as_deref(), author, "{id} author");
        assert_eq!(m.kind, kind, "{id} kind");
        assert_eq!(m.text, text, "{id} text");
        assert_eq!(m.precision_s, precision, "{id} precision");
        assert_eq!(m.line, 1, "{id} line");
        assert!(r.rejects.is_empty(), "{id} rejects");
    }
}

#[test]
fn a15_german_android_two_lines() {
    let r = parse(
        "03.08.21, 12:30 - message 1\n15.11.21, 15:28 - Username: IMG-20211115-WA0010.jpg (Datei angehängt)\n",
    );
    check(
        &r.messages[0],
        1,
        "2021-08-03 12:30:00",
        None,
        Kind::System,
        "message 1",
    );
    check(
        &r.messages[1],
        2,
        "2021-11-15 15:28:00",
        Some("Username"),
        Kind::Media,
        "IMG-20211115-WA0010.jpg (Datei angehängt)",
    );
    assert_eq!(r.date_order, DateOrder::Dmy);
    assert_eq!(r.template, "android \"dd.mm.yy, HH:mm - \"");
}

#[test]
fn x3_whatsapp_viewer_dump_is_not_an_export() {
    let r = parse_export(
        "01.04.2015 - 16:00:27; ME: Und funktioniert der Toaster auch? :)\n",
        &ParseOptions::default(),
    );
    assert_eq!(
        r.unwrap_err(),
        ExportError::NotAnExport("no dated line in the first 50 lines".to_string())
    );
}

#[test]
fn pustur_accepted_shapes() {
    // Pustur reads all of these as 3 June 2018 13:55 or 13 June 2018 21:25:15 (days first).
    let jun3 = "2018-06-03 13:55:00";
    let jun13 = "2018-06-13 21:25:15";
    for (line, want) in [
        ("3/6/18, 1:55 p.m. - a: m", jun3),
        ("03-06-2018, 01.55 PM - a: m", jun3),
        ("13.06.18 21.25.15: a: m", jun13),
        ("[06.13.18 21:25:15] a: m", jun13),
        ("13.6.2018 klo 21.25.15 - a: m", jun13),
        ("13. 6. 2018. 21:25:15 a: m", jun13),
        ("[3/6/18 1:55:00 p. m.] a: m", jun3),
        ("\u{200e}[3/6/18 1:55:00 p. m.] a: m", jun3),
        ("[2018/06/13, 21:25:15] a: m", jun13),
        ("[06/2018/13, 21:25:15] a: m", jun13),
        ("3/6/2018 1:55 p.\u{a0}m. - a: m", jun3),
        ("3/6/18, 1:55\u{202f}PM - a: m", jun3),
    ] {
        let r = parse_with(line, DateOrder::Dmy);
        assert_eq!(r.messages.len(), 1, "{line:?}");
        let m = &r.messages[0];
        assert_eq!(m.local, ts(want), "{line:?}");
        assert_eq!(m.author.as_deref(), Some("a"), "{line:?}");
        assert_eq!(m.text, "m", "{line:?}");
    }
    // and its attachment formats
    let r = parse_with(
        "3/6/18, 1:55 p.m. - a: < attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg >\n\
         3/6/18, 1:55 p.m. - a: IMG-20210428-WA0001.jpg (file attached)\n\
         3/6/18, 1:55 p.m. - a: 2015-08-04-PHOTO-00004762.jpg <\u{200e}attached>\n\
         3/6/18, 1:55 p.m. - a: \u{200e}4f2680f1db95a8454775cc2eefc95bfc.jpg (Datei angehängt)\nDir auch frohe Ostern.",
        DateOrder::Dmy,
    );
    let kinds: Vec<Kind> = r.messages.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, vec![Kind::Media; 4]);
    assert_eq!(
        r.messages[3].text,
        "4f2680f1db95a8454775cc2eefc95bfc.jpg (Datei angehängt)\nDir auch frohe Ostern."
    );
}

#[test]
fn q01_android_nnbsp_pm() {
    let r = parse(include_str!(
        "../../../testdata/chats/q01_android_nnbsp_pm.txt"
    ));
    assert_eq!(r.messages.len(), 4);
    check(
        &r.messages[0],
        1,
        "2023-01-04 19:02:00",
        None,
        Kind::System,
        E2E,
    );
    check(
        &r.messages[1],
        2,
        "2023-01-04 19:03:00",
        Some("Loja Bella"),
        Kind::Text,
        "Hi! How can we help?",
    );
    check(
        &r.messages[2],
        3,
        "2023-01-14 00:05:00",
        Some("+1 555 010 2030"),
        Kind::Text,
        "Do you ship to Canada?",
    );
    check(
        &r.messages[3],
        4,
        "2023-01-14 12:30:00",
        Some("Loja Bella"),
        Kind::Text,
        "Yes, we do",
    );
    assert_eq!(r.date_order, DateOrder::Mdy);
    assert_eq!(r.date_order_basis, DateOrderBasis::Evidence);
    assert_eq!(r.template, "android \"mm/dd/yy, h:mm AM - \"");
}

#[test]
fn q02_android_es_nbsp() {
    let r = parse(include_str!(
        "../../../testdata/chats/q02_android_es_nbsp.txt"
    ));
    assert_eq!(r.messages.len(), 4);
    check(
        &r.messages[0],
        1,
        "2017-06-20 08:28:00",
        Some("Michelle"),
        Kind::Text,
        "hola",
    );
    check(
        &r.messages[1],
        2,
        "2017-06-20 20:28:00",
        Some("Tienda Sol"),
        Kind::Text,
        "buenas noches",
    );
    check(
        &r.messages[2],
        3,
        "2017-06-21 00:01:00",
        Some("Michelle"),
        Kind::Media,
        "<Multimedia omitido>",
    );
    check(
        &r.messages[3],
        4,
        "2017-06-21 12:15:00",
        Some("Michelle"),
        Kind::Deleted,
        "Se eliminó este mensaje.",
    );
}

#[test]
fn q03_ios_lrm_attached() {
    let r = parse(include_str!(
        "../../../testdata/chats/q03_ios_lrm_attached.txt"
    ));
    assert_eq!(r.messages.len(), 4);
    check(
        &r.messages[0],
        1,
        "2022-03-27 21:41:35",
        Some("Ana Souza"),
        Kind::Text,
        "Olá, tem o vestido azul?",
    );
    check(
        &r.messages[1],
        2,
        "2022-03-27 21:41:55",
        Some("Ana Souza"),
        Kind::Media,
        "<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>",
    );
    check(
        &r.messages[2],
        3,
        "2022-03-27 21:42:10",
        Some("Loja Bella"),
        Kind::Media,
        "image omitted",
    );
    check(
        &r.messages[3],
        4,
        "2022-03-27 21:43:00",
        Some("Loja Bella"),
        Kind::Text,
        "Temos sim!",
    );
    assert_eq!(r.template, "ios \"[dd/mm/yyyy, HH:mm:ss] \"");
}

#[test]
fn q04_continuation_lines_that_look_like_headers() {
    let r = parse(include_str!(
        "../../../testdata/chats/q04_continuation_date.txt"
    ));
    assert_eq!(r.messages.len(), 4, "{:#?}", r.messages);
    check(
        &r.messages[0],
        1,
        "2023-03-10 09:15:00",
        Some("Cliente"),
        Kind::Text,
        "Oi, vocês entregam sábado?",
    );
    // a different shape (comma, no " - "): plain continuation
    check(
        &r.messages[1],
        2,
        "2023-03-10 09:20:00",
        Some("Loja"),
        Kind::Text,
        "Entregamos sim. Pode ser neste horário?\n13/01/2023, 14:00 fica bom pra mim?",
    );
    // the template's own shape, no author, dated two months outside its neighbours
    check(
        &r.messages[2],
        4,
        "2023-03-10 09:22:00",
        Some("Cliente"),
        Kind::Text,
        "Pode ser\n13/01/2023 14:00 - fica bom pra mim? (copiei do outro chat)",
    );
    check(
        &r.messages[3],
        6,
        "2023-03-10 09:25:00",
        Some("Loja"),
        Kind::Text,
        "Combinado",
    );
    assert!(r.rejects.is_empty());
}

#[test]
fn q04_real_system_line_inside_the_window_is_kept() {
    let r = parse(
        "13/03/2023 09:15 - Cliente: oi\n\
         14/03/2023 10:00 - Cliente saiu do grupo e voltou\n\
         15/03/2023 09:25 - Loja: Combinado\n",
    );
    assert_eq!(r.messages.len(), 3);
    assert_eq!(r.messages[1].kind, Kind::System);
    assert_eq!(r.messages[1].author, None);
}

#[test]
fn q05_bom_crlf() {
    let text = include_str!("../../../testdata/chats/q05_bom_crlf.txt");
    assert!(text.starts_with('\u{feff}'));
    let r = parse(text);
    assert_eq!(r.messages.len(), 2);
    check(
        &r.messages[0],
        1,
        "2024-05-13 10:00:00",
        Some("Ana"),
        Kind::Text,
        "Bom dia\nTudo bem?\n",
    );
    check(
        &r.messages[1],
        4,
        "2024-05-13 10:05:00",
        Some("Loja"),
        Kind::Text,
        "Tudo ótimo!",
    );
    assert_eq!(r.lines, 4);
    assert_eq!(r.date_order_basis, DateOrderBasis::Evidence);
}

#[test]
fn q06_ptbr_no_comma_system() {
    let r = parse(include_str!(
        "../../../testdata/chats/q06_ptbr_no_comma_system.txt"
    ));
    assert_eq!(r.messages.len(), 4);
    check(
        &r.messages[0],
        1,
        "2020-09-18 08:22:00",
        None,
        Kind::System,
        "+55 51 9287-1880 entrou usando o link de convite deste grupo",
    );
    check(
        &r.messages[1],
        2,
        "2020-09-18 08:25:00",
        Some("+55 51 9287-1880"),
        Kind::Text,
        "Oi, quero saber o preço",
    );
    check(
        &r.messages[2],
        3,
        "2020-09-18 08:30:00",
        Some("Loja Bella"),
        Kind::Media,
        "<Mídia oculta>",
    );
    check(
        &r.messages[3],
        4,
        "2020-09-18 08:31:00",
        Some("Loja Bella"),
        Kind::Deleted,
        "Esta mensagem foi apagada",
    );
    assert_eq!(r.template, "android \"dd/mm/yyyy HH:mm - \"");
}

#[test]
fn q07_ios_2016_colon_separator() {
    let r = parse(include_str!(
        "../../../testdata/chats/q07_ios2016_colon.txt"
    ));
    assert_eq!(r.messages.len(), 2);
    check(
        &r.messages[0],
        1,
        "2016-04-26 16:23:03",
        Some("+55 61 8121-3457"),
        Kind::Media,
        "<\u{200e}image omitted>",
    );
    check(
        &r.messages[1],
        2,
        "2016-04-26 16:24:10",
        Some("Ana"),
        Kind::Text,
        "oi",
    );
    assert_eq!(r.template, "legacy \"mm/dd/yy, HH:mm:ss: \"");
}

#[test]
fn q08_vietnamese_time_first() {
    let r = parse(include_str!(
        "../../../testdata/chats/q08_vietnamese_time_first.txt"
    ));
    assert_eq!(r.messages.len(), 3);
    check(
        &r.messages[0],
        1,
        "2022-03-18 14:56:01",
        Some("Cửa hàng"),
        Kind::System,
        "Tin nhắn và cuộc gọi được mã hóa đầu cuối.",
    );
    check(
        &r.messages[1],
        2,
        "2022-03-27 21:41:35",
        Some("Lan"),
        Kind::Text,
        "Xin chào",
    );
    check(
        &r.messages[2],
        3,
        "2022-03-27 21:41:55",
        Some("Lan"),
        Kind::Media,
        "đã bỏ qua hình ảnh",
    );
}

#[test]
fn q09_buddhist_era() {
    let r = parse(include_str!("../../../testdata/chats/q09_buddhist.txt"));
    check(
        &r.messages[0],
        1,
        "2022-03-18 14:56:01",
        Some("Ana"),
        Kind::Text,
        "oi",
    );
    check(
        &r.messages[1],
        2,
        "2023-01-07 23:32:30",
        Some("Loja"),
        Kind::Deleted,
        "This message was deleted.",
    );
}

#[test]
fn q10_arabic_indic_digits_and_pm_marker() {
    let r = parse(include_str!(
        "../../../testdata/chats/q10_arabic_digits.txt"
    ));
    check(
        &r.messages[0],
        1,
        "2022-03-18 14:56:00",
        Some("+40 521 028 61 88"),
        Kind::Text,
        "مرحبا",
    );
    check(
        &r.messages[1],
        2,
        "2022-03-27 09:41:35",
        Some("Dmitry S"),
        Kind::Text,
        "Hello World",
    );
    assert_eq!(r.date_order, DateOrder::Dmy);
}

#[test]
fn q11_indonesian_dotted_time() {
    let r = parse(include_str!(
        "../../../testdata/chats/q11_indonesian_dotted.txt"
    ));
    check(
        &r.messages[0],
        1,
        "2022-03-27 14:56:01",
        Some("Budi"),
        Kind::Text,
        "Halo",
    );
    check(
        &r.messages[1],
        2,
        "2022-03-27 21:41:35",
        Some("Toko"),
        Kind::Media,
        "gambar tidak disertakan",
    );
}

#[test]
fn q12_finnish_klo() {
    let r = parse(include_str!("../../../testdata/chats/q12_finnish_klo.txt"));
    check(
        &r.messages[0],
        1,
        "2018-06-13 21:25:15",
        Some("Aino"),
        Kind::Text,
        "Moi",
    );
    check(
        &r.messages[1],
        2,
        "2018-06-14 08:05:00",
        Some("Kauppa"),
        Kind::Text,
        "Hei!",
    );
    assert_eq!(r.messages[0].precision_s, 1);
}

#[test]
fn q13_ambiguous_date_order() {
    let text = include_str!("../../../testdata/chats/q13_ambiguous.txt");
    assert_eq!(
        parse_export(text, &ParseOptions::default()).unwrap_err(),
        ExportError::AmbiguousDateOrder
    );
    let r = parse_with(text, DateOrder::Dmy);
    assert_eq!(r.date_order_basis, DateOrderBasis::Fallback);
    check(
        &r.messages[0],
        1,
        "2024-04-03 10:00:00",
        Some("Ana"),
        Kind::Text,
        "oi",
    );
    let r = parse_with(text, DateOrder::Mdy);
    check(
        &r.messages[1],
        2,
        "2024-03-04 10:05:00",
        Some("Loja"),
        Kind::Text,
        "olá",
    );
}

#[test]
fn q14_system_text_with_colon() {
    let r = parse(include_str!("../../../testdata/chats/q14_system_colon.txt"));
    check(
        &r.messages[0],
        1,
        "2023-11-15 18:00:00",
        None,
        Kind::System,
        "Loja Bella changed the subject from \"Loja\" to \"Promo: 50% off\"",
    );
    check(
        &r.messages[1],
        2,
        "2023-11-15 18:01:00",
        Some("Loja Bella"),
        Kind::Text,
        "Promo: 50% off everything",
    );
}

#[test]
fn q15_empty_body() {
    let r = parse(include_str!("../../../testdata/chats/q15_empty_body.txt"));
    assert_eq!(r.messages.len(), 3);
    check(
        &r.messages[1],
        2,
        "2018-01-29 23:59:00",
        Some("Carol"),
        Kind::Text,
        "",
    );
    check(
        &r.messages[2],
        3,
        "2018-01-30 00:00:00",
        Some("Alice"),
        Kind::Text,
        "ok",
    );
}

#[test]
fn q16_german_vorm_nachm() {
    let r = parse(include_str!("../../../testdata/chats/q16_german_vorm.txt"));
    check(
        &r.messages[0],
        1,
        "2018-01-29 09:15:00",
        Some("Alice"),
        Kind::Text,
        "Hallo",
    );
    check(
        &r.messages[1],
        2,
        "2018-01-29 17:20:00",
        Some("Bob"),
        Kind::Text,
        "Tschüss",
    );
    check(
        &r.messages[2],
        3,
        "2018-01-30 00:05:00",
        Some("Alice"),
        Kind::Text,
        "Gute Nacht",
    );
    assert_eq!(r.template, "android \"dd.mm.yy, h:mm vorm. - \"");
}

#[test]
fn q17_ios_phone_and_tilde_authors() {
    let r = parse(include_str!(
        "../../../testdata/chats/q17_ios_phone_author.txt"
    ));
    check(
        &r.messages[0],
        1,
        "2024-08-14 21:00:10",
        Some("+55 61 8121-3457"),
        Kind::Text,
        "Olá",
    );
    check(
        &r.messages[1],
        2,
        "2024-08-14 21:00:11",
        Some("~ Carolina"),
        Kind::Text,
        "🥺",
    );
}

#[test]
fn q18_dot_after_time() {
    let r = parse(include_str!(
        "../../../testdata/chats/q18_dot_after_time.txt"
    ));
    check(
        &r.messages[0],
        1,
        "2022-12-24 13:01:00",
        Some("John Doe"),
        Kind::Text,
        "Testing abnormal\u{a0}unicode with yyyy first",
    );
    check(
        &r.messages[1],
        2,
        "2022-12-24 13:02:00",
        Some("🤓"),
        Kind::Text,
        "Testing emoji 🤓",
    );
    assert_eq!(r.date_order, DateOrder::Ymd);
}

#[test]
fn q19_japanese_era() {
    let r = parse(include_str!("../../../testdata/chats/q19_japanese_era.txt"));
    check(
        &r.messages[0],
        1,
        "2022-03-18 14:56:01",
        Some("Ana"),
        Kind::Text,
        "oi",
    );
    check(
        &r.messages[1],
        2,
        "2023-01-07 23:32:30",
        Some("Loja"),
        Kind::Text,
        "ok",
    );
}

#[test]
fn q20_android_caption_on_next_line() {
    let r = parse(include_str!(
        "../../../testdata/chats/q20_android_caption.txt"
    ));
    assert_eq!(r.messages.len(), 3);
    check(
        &r.messages[0],
        1,
        "2022-03-27 21:53:00",
        Some("Loja"),
        Kind::Media,
        "IMG-20220327-WA0001.jpg (file attached)\nVestido azul, R$ 120",
    );
    check(
        &r.messages[1],
        3,
        "2022-03-27 21:54:00",
        Some("Loja"),
        Kind::Media,
        "<Media omitted>\nOutra cor",
    );
    check(
        &r.messages[2],
        5,
        "2022-03-27 21:55:00",
        Some("Ana"),
        Kind::Text,
        "Amei!",
    );
}

#[test]
fn date_order_decisions_over_whole_files() {
    // >12 in the first position late in the file settles d/m for every line
    let r = parse("01/02/2024, 10:00 - a: x\n03/02/2024, 10:00 - a: y\n25/02/2024, 10:00 - a: z\n");
    assert_eq!(
        (r.date_order, r.date_order_basis),
        (DateOrder::Dmy, DateOrderBasis::Evidence)
    );
    assert_eq!(r.messages[0].local, ts("2024-02-01 10:00:00"));
    // >12 in the second position: m/d
    let r = parse("01/02/2024, 10:00 - a: x\n01/25/2024, 10:00 - a: y\n");
    assert_eq!(
        (r.date_order, r.date_order_basis),
        (DateOrder::Mdy, DateOrderBasis::Evidence)
    );
    assert_eq!(r.messages[0].local, ts("2024-01-02 10:00:00"));
    // all components <= 12; only d/m keeps the file in order (12 Jan, then 1 Feb)
    let r = parse("12/01/2023, 10:00 - a: x\n01/02/2023, 10:00 - a: y\n");
    assert_eq!(
        (r.date_order, r.date_order_basis),
        (DateOrder::Dmy, DateOrderBasis::Chronology)
    );
    assert_eq!(r.messages[1].local, ts("2023-02-01 10:00:00"));
    // a single day-ambiguous date
    assert_eq!(
        parse_export("03/04/2024, 10:00 - a: x\n", &ParseOptions::default()).unwrap_err(),
        ExportError::AmbiguousDateOrder
    );
    // same both ways
    let r = parse("1/1/21, 12:00 - A: Hi\n");
    assert_eq!(r.messages[0].local, ts("2021-01-01 12:00:00"));
}

#[test]
fn rejects_before_first_message_and_errors() {
    let r = parse("Exported by a tool\n\n1/29/18, 12:24 - M: hi\n");
    assert_eq!(r.rejects.len(), 1);
    assert_eq!(r.rejects[0].line, 1);
    assert_eq!(r.rejects[0].reason, "text before the first message");
    assert_eq!(r.rejects[0].excerpt, "Exported by a tool");
    assert_eq!(r.messages[0].line, 3);
    assert_eq!(
        parse_export("", &ParseOptions::default()).unwrap_err(),
        ExportError::NotAnExport("empty file".to_string())
    );
    assert_eq!(
        parse_export("\u{feff}", &ParseOptions::default()).unwrap_err(),
        ExportError::NotAnExport("empty file".to_string())
    );
    let prose = "just some text\n".repeat(60) + "1/29/18, 12:24 - M: hi\n";
    assert_eq!(
        parse_export(&prose, &ParseOptions::default()).unwrap_err(),
        ExportError::NotAnExport("no dated line in the first 50 lines".to_string())
    );
}

#[test]
fn line_endings_and_line_numbers() {
    let r = parse(
        "1/29/18, 12:24 - A: one\rtwo\r1/29/18, 12:25 - B: three\r\n\r\nfour\n1/29/18, 12:26 - C: five",
    );
    assert_eq!(r.lines, 6);
    check(
        &r.messages[0],
        1,
        "2018-01-29 12:24:00",
        Some("A"),
        Kind::Text,
        "one\ntwo",
    );
    check(
        &r.messages[1],
        3,
        "2018-01-29 12:25:00",
        Some("B"),
        Kind::Text,
        "three\n\nfour",
    );
    check(
        &r.messages[2],
        6,
        "2018-01-29 12:26:00",
        Some("C"),
        Kind::Text,
        "five",
    );
}

#[test]
fn impossible_date_under_chosen_order_is_a_continuation() {
    // d/m file; "02/13/2024" cannot be day 2 of month 13: it is body text.
    let r = parse(
        "25/01/2024, 10:00 - a: see the old thread\n02/13/2024, 11:00 - b: quoted\n26/01/2024, 10:00 - b: ok\n",
    );
    assert_eq!(r.messages.len(), 2);
    assert_eq!(
        r.messages[0].text,
        "see the old thread\n02/13/2024, 11:00 - b: quoted"
    );
    assert_eq!(r.messages[1].line, 3);
}

#[test]
fn messages_stay_in_file_order() {
    let r = parse(
        include_str!("../../../testdata/chats/q01_android_nnbsp_pm.txt")
            .replace("1/14/23, 12:05", "1/2/23, 12:05")
            .as_str(),
    );
    let times: Vec<_> = r.messages.iter().map(|m| m.local).collect();
    assert!(times[2] < times[1]);
}

#[test]
fn multi_line_polls_and_foursquare() {
    let r = parse(
        "11/24/22, 16:03 - +91 98911 81801: POLL:\nWhich domain?\nOPTION: AI ML (53 Votes)\nOPTION: Web dev (34 Votes)\n\
         11/24/22, 16:05 - Dmitry S: Pimlico Gardens\nLondon, United Kingdom\nhttps://foursquare.com/v/4e89af95e5fa82ad4c0aa03b\n",
    );
    check(
        &r.messages[0],
        1,
        "2022-11-24 16:03:00",
        Some("+91 98911 81801"),
        Kind::Poll,
        "POLL:\nWhich domain?\nOPTION: AI ML (53 Votes)\nOPTION: Web dev (34 Votes)",
    );
    assert_eq!(r.messages[1].kind, Kind::Location);
}

#[test]
fn pasted_headers_of_another_shape_never_outvote_the_first_line() {
    // One real message whose body quotes two lines of another export's header shape.
    let r = parse("01/01/2019, 00:00 - Aa: \n12.03.21 9:00 - Ana: oi\n12.03.21 9:00 - Ana: oi\n");
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    assert_eq!(r.messages.len(), 1);
    assert_eq!(r.messages[0].author.as_deref(), Some("Aa"));
    assert_eq!(
        r.messages[0].text,
        "\n12.03.21 9:00 - Ana: oi\n12.03.21 9:00 - Ana: oi"
    );
}

/// A complete header of another export's shape, with an author, dated after the message before
/// it: a message of this chat in the wrong format (a concatenated or hand-edited file), rejected
/// with the expected format; its own continuation lines go with it.
#[test]
fn foreign_header_after_the_previous_message_is_rejected() {
    let r = parse(
        "24/11/2026 10:00 - Ana: oi\n\
         [24/11/2026, 10:05:00] Loja Exemplo: olá\n\
         segunda linha\n\
         24/11/2026 10:09 - Ana: ok\n",
    );
    assert_eq!(r.messages.len(), 2, "{:#?}", r.messages);
    assert_eq!(r.messages[0].text, "oi");
    assert_eq!(r.messages[1].line, 4);
    let got: Vec<(u32, &str)> = r
        .rejects
        .iter()
        .map(|x| (x.line, x.reason.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                2,
                "a message header in another export format; expected android \"dd/mm/yyyy HH:mm - \""
            ),
            (3, "continuation of rejected line 2"),
        ]
    );
}

/// Copied messages pasted into a body (FORMATS.md §5, mowolf/ChatAnalyzer#8) are never newer
/// than the message they are pasted into: they stay text, whatever their shape or sender.
#[test]
fn pasted_copies_of_older_messages_stay_text() {
    let text = "24/11/2026 10:00 - Ana: oi\n\
                24/11/2026 10:30 - Ana: olha o que vocês me disseram:\n\
                [24/11/2026, 10:00] Ana: oi\n\
                [23/11/2026, 18:00] Loja Exemplo: frete grátis\n\
                11/20/2026 09:00 - Loja Exemplo: R$ 100\n\
                24/11/2026 10:31 - Loja Exemplo: verdade\n";
    let r = parse(text);
    assert!(r.rejects.is_empty(), "{:#?}", r.rejects);
    assert_eq!(r.messages.len(), 3, "{:#?}", r.messages);
    assert_eq!(
        r.messages[1].text,
        "olha o que vocês me disseram:\n[24/11/2026, 10:00] Ana: oi\n\
         [23/11/2026, 18:00] Loja Exemplo: frete grátis\n11/20/2026 09:00 - Loja Exemplo: R$ 100"
    );
}

/// A date impossible in the file's order whose other reading falls between its neighbours is
/// a message written month-first: rejected. Far outside them (a pasted old line), or without an
/// author, it stays a continuation as before.
#[test]
fn impossible_date_between_neighbours_is_rejected() {
    let r = parse(
        "24/11/2026 10:00 - Ana: oi\n\
         11/25/2026 10:05 - Loja Exemplo: olá\n\
         26/11/2026 10:06 - Ana: ok\n\
         03/30/2026 10:07 - Loja Exemplo: velho\n\
         11/26/2026 10:08 - sem autor\n\
         27/11/2026 10:00 - Ana: tchau\n\
         28/11/2026 10:00 - Ana: fim\n",
    );
    let lines: Vec<u32> = r.rejects.iter().map(|x| x.line).collect();
    assert_eq!(lines, [2], "{:#?}", r.rejects);
    assert!(r.rejects[0].reason.starts_with("date impossible"));
    assert_eq!(r.messages.len(), 4, "{:#?}", r.messages);
    assert_eq!(
        r.messages[1].text,
        "ok\n03/30/2026 10:07 - Loja Exemplo: velho\n11/26/2026 10:08 - sem autor"
    );
}

#[test]
fn messages_of_one_sender_share_one_author() {
    // `Ana` three times, once behind an LRM mark (another raw spelling of the same sender).
    let r = parse(
        "25/2/21, 10:00 - Ana: a\n25/2/21, 10:01 - Bruno: b\n25/2/21, 10:02 - \u{200e}Ana: c\n25/2/21, 10:03 - Ana: d\n",
    );
    let a: Vec<&std::sync::Arc<str>> = r
        .messages
        .iter()
        .map(|m| m.author.as_ref().unwrap())
        .collect();
    assert_eq!(
        a.iter().map(|a| &***a).collect::<Vec<_>>(),
        ["Ana", "Bruno", "Ana", "Ana"]
    );
    assert!(std::sync::Arc::ptr_eq(a[0], a[2]) && std::sync::Arc::ptr_eq(a[0], a[3]));
    assert!(!std::sync::Arc::ptr_eq(a[0], a[1]));
}

#[test]
fn the_release_hook_follows_the_main_pass_and_changes_nothing() {
    // Over three release steps of text, with a BOM: offsets count from the text as given.
    let mut text = String::from("\u{feff}");
    let mut n = 0;
    while text.len() < 3 * parse::RELEASE_STEP + 1000 {
        text.push_str(&format!(
            "25/2/21, 10:{:02} - Ana: mensagem {n}\ncontinua\n",
            n % 60
        ));
        n += 1;
    }
    let calls = std::sync::Mutex::new(Vec::new());
    let released = parse_export_releasing(&text, &ParseOptions::default(), &|r| {
        calls.lock().unwrap().push(r)
    })
    .unwrap();
    let plain = parse(&text);
    assert_eq!(released.messages, plain.messages);
    let calls = calls.into_inner().unwrap();
    assert_eq!(calls.len(), 3, "{calls:?}");
    // One after the other from the first line (after the BOM), each a step or more, each
    // ending at a line start.
    let mut next = 3;
    for r in &calls {
        assert_eq!(r.start, next, "{calls:?}");
        assert!(
            r.len() >= parse::RELEASE_STEP && r.end < text.len(),
            "{r:?}"
        );
        assert!(text[..r.end].ends_with('\n'), "{r:?}");
        next = r.end;
    }
}

#[test]
fn a_text_read_in_pieces_parses_as_it_does_in_one() {
    let same = |text: &str, what: &str| {
        let one = parse::parse_in_pieces(text, &ParseOptions::default(), 1, &|_| {});
        for pieces in 2..=6 {
            let many = parse::parse_in_pieces(text, &ParseOptions::default(), pieces, &|_| {});
            match (&one, &many) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.messages, b.messages, "{what}, {pieces} pieces");
                    assert_eq!(a.rejects, b.rejects, "{what}, {pieces} pieces");
                    assert_eq!(a.lines, b.lines, "{what}, {pieces} pieces");
                    assert_eq!(a.template, b.template, "{what}, {pieces} pieces");
                    assert_eq!(a.date_order, b.date_order, "{what}, {pieces} pieces");
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{what}, {pieces} pieces"),
                _ => panic!("{what}, {pieces} pieces: {one:?} vs {many:?}"),
            }
        }
    };
    // Every quirk file of testdata/chats (continuations, CRLF, BOM, system lines, rejects…).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/chats");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            same(&text, &path.display().to_string());
            files += 1;
        }
    }
    assert!(files >= 10, "{files} files in {}", dir.display());
    // Cuts land next to CRLF, bare CR, blank and header-looking continuation lines.
    let mut text = String::from("\u{feff}");
    for n in 0..300 {
        let end = ["\n", "\r\n", "\r"][n % 3];
        text.push_str(&format!("25/2/21, 10:{:02} - Ana: m{n}{end}", n % 60));
        if n % 4 == 0 {
            text.push_str(&format!("linha {n}{end}{end}25/02/2021 pasted{end}"));
        }
    }
    same(&text, "generated");
}
