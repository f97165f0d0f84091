//! Property tests of the WhatsApp text parser (SPEC §8: never panic).
//!
//! (a) random strings and random bytes (decoded lossily) never panic;
//! (b) generated well-formed exports in several templates round-trip: the
//!     parsed messages equal the generated ones (time, author, text), with
//!     multi-line bodies and continuation lines that look like dates of
//!     another shape;
//! (c) mutated exports (line deletions/insertions, character flips) never panic.

mod common;

use chatrev::sources::whatsapp_txt::{DateOrder, ParseOptions, parse_export};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use proptest::prelude::*;

/// Characters that exercise the header scanner (digits, separators, marks,
/// Arabic/Persian digits, markers, brackets, line breaks).
const ALPHABET: &[char] = &[
    '0', '1', '2', '3', '9', '/', '.', '-', ',', ':', ' ', '[', ']', 'a', 'm', 'p', 'P', 'M', 'R',
    'B', 'E', '\n', '\r', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202c}', '\u{202f}', '\u{a0}',
    '\u{feff}', '\u{060c}', '\u{0662}', '\u{0669}', '\u{06f1}', '\u{0645}', '\u{0635}', 'k', 'l',
    'o', 'à', '<', '>', '"', '😀',
];

fn opts(order: Option<DateOrder>) -> ParseOptions {
    ParseOptions { date_order: order }
}

fn header_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..300)
        .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(256)))]

    #[test]
    fn random_strings_never_panic(s in any::<String>()) {
        let _ = parse_export(&s, &opts(None));
        let _ = parse_export(&s, &opts(Some(DateOrder::Dmy)));
    }

    #[test]
    fn random_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..600)) {
        let s = String::from_utf8_lossy(&b);
        let _ = parse_export(&s, &opts(Some(DateOrder::Mdy)));
    }

    #[test]
    fn header_soup_never_panics(s in header_soup()) {
        let _ = parse_export(&s, &opts(None));
        let _ = parse_export(&s, &opts(Some(DateOrder::Dmy)));
    }
}

/// A header template the generator can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Template {
    /// `dd/mm/yyyy, HH:mm - `
    AndroidDmy,
    /// `m/d/yy, h:mm\u202fPM - `
    AndroidUs12h,
    /// `[dd.mm.yy, HH:mm:ss] `
    IosDe,
    /// `dd/mm/yyyy HH:mm - ` (pt-BR)
    PtBr,
    /// `yyyy-mm-dd, HH:mm - `
    Ymd,
    /// `\u200e[m/d/yy, h:mm:ss AM] `
    Ios12h,
}

impl Template {
    fn order(self) -> Option<DateOrder> {
        match self {
            Template::AndroidDmy | Template::IosDe | Template::PtBr => Some(DateOrder::Dmy),
            Template::AndroidUs12h | Template::Ios12h => Some(DateOrder::Mdy),
            Template::Ymd => None,
        }
    }

    fn seconds(self) -> bool {
        matches!(self, Template::IosDe | Template::Ios12h)
    }

    fn header(self, t: NaiveDateTime, lrm: bool) -> String {
        let (h12, ampm) = match t.hour() {
            0 => (12, "AM"),
            h @ 1..=11 => (h, "AM"),
            12 => (12, "PM"),
            h => (h - 12, "PM"),
        };
        match self {
            Template::AndroidDmy => format!("{} - ", t.format("%d/%m/%Y, %H:%M")),
            Template::AndroidUs12h => format!(
                "{}, {h12}:{}\u{202f}{ampm} - ",
                t.format("%-m/%-d/%y"),
                t.format("%M")
            ),
            Template::IosDe => format!("[{}] ", t.format("%d.%m.%y, %H:%M:%S")),
            Template::PtBr => format!("{} - ", t.format("%d/%m/%Y %H:%M")),
            Template::Ymd => format!("{} - ", t.format("%Y-%m-%d, %H:%M")),
            Template::Ios12h => format!(
                "{}[{}, {h12}:{} {ampm}] ",
                if lrm { "\u{200e}" } else { "" },
                t.format("%-m/%-d/%y"),
                t.format("%M:%S")
            ),
        }
    }
}

#[derive(Debug, Clone)]
struct GenMsg {
    delta_s: i64,
    lrm: bool,
    author: String,
    lines: Vec<String>,
}

fn author() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?",
        "\\+55 [0-9]{2} 9[0-9]{4}-[0-9]{4}",
        "~ [A-Z][a-z]{2,6}",
        "[A-Z][a-z]{2,6} 🤓",
    ]
}

fn body_line() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,.!?:çãé😀]{0,40}"
}

/// Continuation lines, including date-looking lines of other shapes that no
/// generated template matches.
fn cont_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 ,.!?:çãé]{0,30}",
        1 => Just(String::new()),
        1 => Just("2016-04-29 10:30:00".to_string()),
        1 => Just("13/01/2023, 14:00 fica bom pra mim?".to_string()),
        1 => Just("[01/02/2020 10:00] colado de outro chat".to_string()),
        1 => Just("12.03.21 9:00 - Ana: oi".to_string()),
        1 => Just("  - item da lista: 3 unidades".to_string()),
    ]
}

fn message() -> impl Strategy<Value = GenMsg> {
    (
        0i64..3 * 86_400,
        any::<bool>(),
        author(),
        body_line(),
        prop::collection::vec(cont_line(), 0..3),
    )
        .prop_map(|(delta_s, lrm, author, first, cont)| {
            let mut lines = vec![first];
            lines.extend(cont);
            GenMsg {
                delta_s,
                lrm,
                author,
                lines,
            }
        })
}

fn template() -> impl Strategy<Value = Template> {
    prop::sample::select(vec![
        Template::AndroidDmy,
        Template::AndroidUs12h,
        Template::IosDe,
        Template::PtBr,
        Template::Ymd,
        Template::Ios12h,
    ])
}

/// Renders an export; returns the text and the expected (time, author, text).
fn render(
    tpl: Template,
    start_s: i64,
    msgs: &[GenMsg],
    crlf: bool,
    bom: bool,
) -> (String, Vec<(NaiveDateTime, String, String)>) {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut t = NaiveDate::from_ymd_opt(2019, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + TimeDelta::seconds(start_s);
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    let mut expected = Vec::new();
    for m in msgs {
        t += TimeDelta::seconds(m.delta_s);
        let stamp = if tpl.seconds() {
            t
        } else {
            t.with_second(0).unwrap()
        };
        out.push_str(&tpl.header(stamp, m.lrm));
        out.push_str(&m.author);
        out.push_str(": ");
        for (i, l) in m.lines.iter().enumerate() {
            if i > 0 {
                out.push_str(eol);
            }
            out.push_str(l);
        }
        out.push_str(eol);
        expected.push((stamp, m.author.clone(), m.lines.join("\n")));
    }
    (out, expected)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(128)))]

    #[test]
    fn generated_exports_round_trip(
        tpl in template(),
        start_s in 0i64..400 * 86_400,
        msgs in prop::collection::vec(message(), 1..30),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let (text, expected) = render(tpl, start_s, &msgs, crlf, bom);
        let r = parse_export(&text, &opts(tpl.order())).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert!(r.rejects.is_empty(), "rejects {:?}", r.rejects);
        prop_assert_eq!(r.messages.len(), expected.len(), "{}", text);
        for (m, (t, a, body)) in r.messages.iter().zip(&expected) {
            prop_assert_eq!(m.local, *t);
            prop_assert_eq!(m.author.as_deref(), Some(a.as_str()));
            prop_assert_eq!(&m.text, body);
            prop_assert_eq!(m.precision_s, if tpl.seconds() { 1 } else { 60 });
        }
    }
}

/// One edit of a real-looking export.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    InsertLine(usize, String),
    FlipChar(usize, char),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), header_soup()).prop_map(|(i, s)| Mutation::InsertLine(i, s)),
        (any::<usize>(), prop::sample::select(ALPHABET))
            .prop_map(|(i, c)| Mutation::FlipChar(i, c)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, muts: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    for m in muts {
        match m {
            Mutation::DeleteLine(i) if !lines.is_empty() => {
                let i = i % lines.len();
                lines.remove(i);
            }
            Mutation::InsertLine(i, s) => {
                let i = i % (lines.len() + 1);
                lines.insert(i, s.clone());
            }
            Mutation::FlipChar(i, c) => {
                let mut chars: Vec<char> = lines.join("\n").chars().collect();
                if !chars.is_empty() {
                    let i = i % chars.len();
                    chars[i] = *c;
                }
                lines = chars
                    .into_iter()
                    .collect::<String>()
                    .split('\n')
                    .map(str::to_string)
                    .collect();
            }
            Mutation::Truncate(i) => {
                let joined = lines.join("\n");
                let cut: String = joined
                    .chars()
                    .take(i % (joined.chars().count() + 1))
                    .collect();
                lines = cut.split('\n').map(str::to_string).collect();
            }
            Mutation::DeleteLine(_) => {}
        }
    }
    lines.join("\n")
}

const BASES: &[&str] = &[
    include_str!("../testdata/chats/q01_android_nnbsp_pm.txt"),
    include_str!("../testdata/chats/q03_ios_lrm_attached.txt"),
    include_str!("../testdata/chats/q04_continuation_date.txt"),
    include_str!("../testdata/chats/q05_bom_crlf.txt"),
    include_str!("../testdata/chats/q07_ios2016_colon.txt"),
    include_str!("../testdata/chats/q08_vietnamese_time_first.txt"),
    include_str!("../testdata/chats/q10_arabic_digits.txt"),
    include_str!("../testdata/chats/q12_finnish_klo.txt"),
    include_str!("../testdata/chats/q14_system_colon.txt"),
    include_str!("../testdata/chats/q16_german_vorm.txt"),
    include_str!("../testdata/chats/q19_japanese_era.txt"),
    include_str!("../testdata/chats/q20_android_caption.txt"),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(256)))]

    #[test]
    fn mutated_exports_never_panic(
        base in prop::sample::select(BASES),
        muts in prop::collection::vec(mutation(), 1..8),
    ) {
        let text = apply(base, &muts);
        let _ = parse_export(&text, &opts(None));
        if let Ok(r) = parse_export(&text, &opts(Some(DateOrder::Dmy))) {
            // every line is accounted for: messages start on increasing lines
            let lines: Vec<u32> = r.messages.iter().map(|m| m.line).collect();
            prop_assert!(lines.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(r.messages.iter().all(|m| (m.line as usize) <= r.lines));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(128)))]

    /// Copies of earlier messages (or of the message itself) pasted into a body, in another
    /// export's header format, stay that body's text: a copy is never newer than the message
    /// it is pasted into, so the rule that rejects misplaced foreign headers never takes one.
    #[test]
    fn pasted_copies_of_earlier_messages_stay_text(
        (tpl, other) in (template(), template()).prop_filter("two formats", |(a, b)| a != b),
        start_s in 0i64..400 * 86_400,
        mut msgs in prop::collection::vec(message(), 2..20),
        into in any::<prop::sample::Index>(),
        from in any::<prop::sample::Index>(),
    ) {
        let mut t = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap()
            + TimeDelta::seconds(start_s);
        let times: Vec<NaiveDateTime> = msgs
            .iter()
            .map(|m| {
                t += TimeDelta::seconds(m.delta_s);
                t
            })
            .collect();
        let i = into.index(msgs.len());
        let j = from.index(i + 1);
        let copied_at = if other.seconds() { times[j] } else { times[j].with_second(0).unwrap() };
        let copy = format!(
            "{}{}: {}",
            other.header(copied_at, false),
            msgs[j].author,
            msgs[j].lines[0]
        );
        msgs[i].lines.push(copy);
        let (text, expected) = render(tpl, start_s, &msgs, false, false);
        let r = parse_export(&text, &opts(tpl.order()))
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert!(r.rejects.is_empty(), "rejects {:?}\n{}", r.rejects, text);
        prop_assert_eq!(r.messages.len(), expected.len(), "{}", text);
        for (m, (_, _, body)) in r.messages.iter().zip(&expected) {
            prop_assert_eq!(&m.text, body);
        }
    }
}
