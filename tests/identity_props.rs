//! Property tests for phone normalisation, person keys, the identity map and the contacts
//! parsers (SPEC §3.5, §8: never panic on any input).

mod common;

use chatrev::normalize::identity::{
    IdentityMap, looks_like_phone, name_key, normalize_phone, person_key_for_author, phone_key,
};
use chatrev::sources::contacts::{parse_contacts, parse_contacts_csv, parse_vcard};
use proptest::prelude::*;

const COUNTRIES: &[&str] = &[
    "BR", "br", "US", "CA", "PT", "ES", "AR", "MX", "CO", "CL", "PE", "UY", "PY", "DE", "FR", "IT",
    "GB", "IN", "ZZ", "",
];

fn country() -> impl Strategy<Value = &'static str> {
    prop::sample::select(COUNTRIES)
}

/// Text that looks a lot like phone numbers, with every separator the normaliser knows.
fn phoneish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => "[0-9]{1,5}",
        1 => Just("+".to_string()),
        1 => Just("00".to_string()),
        // `+55 00…`: a zero area code after a trunk 0 (a fuzz finding: not idempotent).
        1 => Just("+5500".to_string()),
        1 => Just("0xx".to_string()),
        1 => Just("whatsapp:".to_string()),
        1 => Just("@s.whatsapp.net".to_string()),
        1 => Just("@c.us".to_string()),
        1 => Just(" ramal 2".to_string()),
        1 => Just(" x12".to_string()),
        3 => prop::sample::select(vec![
            " ", "-", "(", ")", ".", "\u{a0}", "\u{202f}", "\u{2011}", "\u{202a}", "\u{202c}",
            "\u{200e}", "\u{feff}", "a", "#", "/", "é",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

/// A Brazilian area code 11–99 without a zero digit.
fn ddd() -> impl Strategy<Value = String> {
    (1u8..=9, 1u8..=9).prop_map(|(a, b)| format!("{a}{b}"))
}

fn br_mobile8() -> impl Strategy<Value = String> {
    (6u8..=9, "[0-9]{7}").prop_map(|(first, rest)| format!("{first}{rest}"))
}

/// Applies a few random character edits (insert, delete, replace) to `text`.
fn mutate(text: &str, edits: &[(usize, u8, char)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(pos, op, c) in edits {
        if chars.is_empty() {
            chars.push(c);
            continue;
        }
        let i = pos % chars.len();
        match op % 3 {
            0 => chars.insert(i, c),
            1 => {
                chars.remove(i);
            }
            _ => chars[i] = c,
        }
    }
    chars.into_iter().collect()
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, char)>> {
    let c = prop_oneof![
        Just('\n'),
        Just('\r'),
        Just(';'),
        Just(','),
        Just(':'),
        Just('='),
        Just('"'),
        Just(' '),
        Just('\\'),
        any::<char>(),
    ];
    prop::collection::vec((any::<usize>(), any::<u8>(), c), 0..12)
}

const CSV_SAMPLE: &str = include_str!("../testdata/contacts/contacts.csv");
const GOOGLE_SAMPLE: &str = include_str!("../testdata/contacts/contacts_google.csv");
const VCF_SAMPLE: &str = include_str!("../testdata/contacts/contacts.vcf");

/// vCard 3.0 text escaping.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
}

/// Quoted-printable encoding of every byte, with soft line breaks every 60 characters.
fn qp(s: &str) -> String {
    let encoded: String = s.bytes().map(|b| format!("={b:02X}")).collect();
    let mut out = String::new();
    for (i, chunk) in encoded.as_bytes().chunks(60).enumerate() {
        if i > 0 {
            out.push_str("=\r\n");
        }
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
    }
    out
}

/// Folds a content line at 40 bytes (on char boundaries) with CRLF + space.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 40 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(256)))]

    #[test]
    fn normalize_never_panics(s in any::<String>(), c in country()) {
        let _ = normalize_phone(&s, c);
        let _ = looks_like_phone(&s);
        let _ = person_key_for_author(&s, c);
        let _ = name_key(&s);
    }

    #[test]
    fn normalize_is_idempotent(s in phoneish(), c in country(), other in country()) {
        if let Some(p) = normalize_phone(&s, c) {
            prop_assert!(p.starts_with('+'));
            prop_assert!(p[1..].bytes().all(|b| b.is_ascii_digit()), "{p}");
            prop_assert!((9..=16).contains(&p.len()), "{p}");
            prop_assert_eq!(normalize_phone(&p, c), Some(p.clone()));
            // E.164 output does not depend on the default country
            prop_assert_eq!(normalize_phone(&p, other), Some(p.clone()));
        }
    }

    #[test]
    fn normalize_is_idempotent_on_any_text(s in any::<String>(), c in country()) {
        if let Some(p) = normalize_phone(&s, c) {
            prop_assert_eq!(normalize_phone(&p, c), Some(p));
        }
    }

    #[test]
    fn brazil_ninth_digit_forms_agree(area in ddd(), sub in br_mobile8(), c in country()) {
        let want = format!("+55{area}9{sub}");
        let (a, b) = (&sub[..4], &sub[4..]);
        for raw in [
            format!("+55{area}{sub}"),
            format!("+55{area}9{sub}"),
            format!("55{area}{sub}@s.whatsapp.net"),
            format!("whatsapp:+55{area}9{sub}"),
            format!("0055 {area} {a}-{b}"),
        ] {
            prop_assert_eq!(normalize_phone(&raw, c), Some(want.clone()), "{}", raw);
        }
        for raw in [
            format!("55{area}{sub}"),
            format!("({area}) {a}-{b}"),
            format!("({area}) 9{a}-{b}"),
            format!("0{area} 9{a} {b}"),
            format!("0xx{area} {a}-{b}"),
        ] {
            prop_assert_eq!(normalize_phone(&raw, "BR"), Some(want.clone()), "{}", raw);
        }
        prop_assert_eq!(
            person_key_for_author(&format!("\u{202a}+55\u{a0}{area}\u{a0}{a}\u{2011}{b}\u{202c}"), "BR"),
            phone_key(&want)
        );
    }

    #[test]
    fn brazil_landlines_untouched(area in ddd(), first in 2u8..=5, rest in "[0-9]{7}") {
        let raw = format!("+55{area}{first}{rest}");
        prop_assert_eq!(normalize_phone(&raw, "BR"), Some(raw.clone()));
        prop_assert_eq!(normalize_phone(&format!("({area}) {first}{rest}"), "BR"), Some(raw));
    }

    #[test]
    fn csv_never_panics(s in any::<String>()) {
        let _ = parse_contacts_csv(&s);
        let _ = parse_contacts("x.csv", &s);
    }

    #[test]
    fn csv_mutated_samples_never_panic(e in edits(), google in any::<bool>()) {
        let text = mutate(if google { GOOGLE_SAMPLE } else { CSV_SAMPLE }, &e);
        if let Ok((contacts, rejects)) = parse_contacts_csv(&text) {
            let lines = u32::try_from(text.replace("\r\n", "\n").split(['\n', '\r']).count())
                .unwrap_or(u32::MAX);
            for c in &contacts {
                prop_assert!(c.line >= 1 && c.line <= lines, "{} of {}", c.line, lines);
                prop_assert!(!c.name.is_empty());
                prop_assert!(!c.phones.is_empty() || !c.emails.is_empty());
            }
            for r in &rejects {
                prop_assert!(r.line >= 1 && r.line <= lines);
                prop_assert!(r.excerpt.chars().count() <= 80);
            }
        }
    }

    #[test]
    fn vcard_never_panics(s in any::<String>(), e in edits()) {
        let _ = parse_vcard(&s);
        let _ = parse_contacts("x.vcf", &s);
        let (contacts, rejects) = parse_vcard(&mutate(VCF_SAMPLE, &e));
        for c in &contacts {
            prop_assert!(!c.name.is_empty());
        }
        for r in &rejects {
            prop_assert!(r.excerpt.chars().count() <= 80);
        }
    }

    #[test]
    fn vcard_round_trip(
        people in prop::collection::vec(
            ("[A-Za-zÁÉÍÓÚÃÕÇáéíóúãõçñ,;\\\\]{1,12}( [A-Za-zãçé]{1,12}){0,3}", ddd(), br_mobile8(), any::<bool>(), 0u8..3),
            1..6,
        ),
    ) {
        let mut text = String::new();
        for (name, area, sub, ninth, version) in &people {
            let tel = if *ninth { format!("+55 {area} 9{sub}") } else { format!("({area}) {sub}") };
            match version {
                0 => {
                    text.push_str("BEGIN:VCARD\r\nVERSION:2.1\r\n");
                    text.push_str(&format!("FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{}\r\n", qp(&escape(name))));
                    text.push_str(&format!("TEL;CELL:{tel}\r\n"));
                }
                1 => {
                    text.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\n");
                    text.push_str(&fold(&format!("FN:{}", escape(name))));
                    text.push_str("\r\n");
                    text.push_str(&format!("item1.TEL;type=CELL;waid=55{area}{sub}:{tel}\r\n"));
                }
                _ => {
                    text.push_str("BEGIN:VCARD\nVERSION:4.0\n");
                    text.push_str(&format!("FN:{}\n", escape(name)));
                    text.push_str(&format!("TEL;VALUE=uri;TYPE=\"cell,voice\":tel:+55-{area}-9{sub}\n"));
                }
            }
            text.push_str("END:VCARD\r\n");
        }
        let (contacts, rejects) = parse_vcard(&text);
        prop_assert!(rejects.is_empty(), "{:?}", rejects);
        prop_assert_eq!(contacts.len(), people.len());
        for (c, (name, area, sub, _, _)) in contacts.iter().zip(&people) {
            prop_assert_eq!(&c.name, name);
            prop_assert_eq!(c.keys("BR"), vec![format!("tel:+55{area}9{sub}")]);
        }
    }

    #[test]
    fn identity_map_matches_naive_components(
        links in prop::collection::vec((0usize..12, 0usize..12), 0..20),
    ) {
        let key = |i: usize| match i % 4 {
            0 => format!("tel:+55119876543{i:02}"),
            1 => format!("wa:BR.{i}"),
            2 => format!("email:p{i}@x.com"),
            _ => format!("name:p{i}"),
        };
        let mut map = IdentityMap::new();
        // naive components: label propagation
        let mut comp: Vec<usize> = (0..12).collect();
        for &(a, b) in &links {
            map.link(&key(a), &key(b), "contacts");
            let (ca, cb) = (comp[a], comp[b]);
            for c in comp.iter_mut() {
                if *c == cb {
                    *c = ca;
                }
            }
        }
        let rank = |k: &str| ["tel:", "wa:", "email:", "name:"].iter().position(|p| k.starts_with(p));
        for i in 0..12 {
            for j in 0..12 {
                let (ki, kj) = (key(i), key(j));
                if map.resolve(&ki) == map.resolve(&kj) && i != j {
                    prop_assert_eq!(comp[i], comp[j]);
                }
            }
        }
        for &(a, b) in &links {
            prop_assert_eq!(map.resolve(&key(a)).to_string(), map.resolve(&key(b)).to_string());
            // the canonical key has the best kind in its component
            let best = (0..12)
                .filter(|&k| comp[k] == comp[a] && links.iter().any(|&(x, y)| x == k || y == k))
                .filter_map(|k| rank(&key(k)))
                .min();
            let ka = key(a);
            prop_assert_eq!(rank(map.resolve(&ka)), best);
        }
        let stored = map.links();
        let again = IdentityMap::from_links(&stored);
        prop_assert_eq!(again.links(), stored);
    }
}
