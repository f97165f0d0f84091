//! Property tests of the order parsers (SPEC §3.4, §8: never panic).
//!
//! (a) `parse_money` never panics on any string, and minor units formatted in both styles
//!     (decimal point / decimal comma, with and without thousands groups, with currency
//!     symbols and NBSP) parse back to the same minor units;
//! (b) `parse_orders` never panics on random text, on mutated copies of the test files of
//!     every preset, or with any preset forced on any of them.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use chatrev::sources::orders::money::{decide_separator, format_minor, parse_money};
use chatrev::sources::orders::{OrderOptions, Preset, detect, parse_orders};
use proptest::prelude::*;

const FILES: &[&str] = &[
    "shopify_small.csv",
    "nuvemshop_small.csv",
    "nuvemshop_api.json",
    "woocommerce_plugin.csv",
    "woocommerce_rest.json",
    "vtex_order.json",
    "vtex_list.json",
    "generic_ambiguous.csv",
    "generic.jsonl",
];

const PRESETS: &[Option<Preset>] = &[
    None,
    Some(Preset::Shopify),
    Some(Preset::WooCommerce),
    Some(Preset::Nuvemshop),
    Some(Preset::Vtex),
    Some(Preset::Generic),
];

fn file(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/orders")
        .join(name);
    std::fs::read_to_string(p).unwrap_or_default()
}

fn opts() -> OrderOptions {
    let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    OrderOptions {
        tz: chrono_tz::America::Sao_Paulo,
        default_currency: Some("BRL".into()),
        locale_decimal_comma: Some(true),
        columns: Some(map(&[
            ("order_id", "pedido"),
            ("created_at", "quando"),
            ("total", "valor"),
            ("status", "situacao"),
        ])),
        statuses: Some(map(&[("pago", "paid")])),
    }
}

const MONEY_CHARS: &[char] = &[
    '0', '1', '2', '5', '9', '.', ',', '-', '+', ' ', '\u{a0}', '\u{202f}', 'R', '$', '€', 'B',
    'L', 'é', '\'', '(', ')', '😀',
];

/// Characters that exercise CSV and JSON structure.
const SOUP: &[char] = &[
    '"', ',', ';', '\n', '\r', '{', '}', '[', ']', ':', '#', '1', '0', '.', '-', ' ', 'a', 'N',
    '\u{feff}', 'ã',
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(256)))]

    #[test]
    fn parse_money_never_panics(s in "\\PC{0,40}", comma in any::<Option<bool>>(), exp in 0u32..4) {
        let _ = parse_money(&s, comma, exp);
        let _ = decide_separator([s.as_str()]);
    }

    #[test]
    fn parse_money_never_panics_on_money_soup(
        v in prop::collection::vec(prop::sample::select(MONEY_CHARS), 0..30),
        comma in any::<Option<bool>>(),
    ) {
        let s: String = v.into_iter().collect();
        let _ = parse_money(&s, comma, 2);
    }

    #[test]
    fn money_round_trips(
        minor in -10_000_000_000_000i64..10_000_000_000_000,
        exp in 0u32..4,
        comma in any::<bool>(),
        grouped in any::<bool>(),
        dress in 0usize..4,
    ) {
        let plain = format_minor(minor, exp, comma, grouped);
        let s = match dress {
            0 => plain.clone(),
            1 => format!("R$ {plain}"),
            2 => format!("{plain}\u{a0}BRL"),
            _ => format!("  {plain} "),
        };
        prop_assert_eq!(parse_money(&s, Some(comma), exp), Ok(minor), "{}", s);
        // The column decision over the value agrees unless the value is ambiguous.
        if let Ok(Some(decided)) = decide_separator([s.as_str()]) {
            prop_assert_eq!(decided, comma, "{}", s);
        }
    }

    #[test]
    fn parse_orders_never_panics_on_soup(
        v in prop::collection::vec(prop::sample::select(SOUP), 0..400),
        preset in prop::sample::select(PRESETS),
    ) {
        let s: String = v.into_iter().collect();
        let _ = detect("x", &s);
        let _ = parse_orders("x", &s, preset, &opts());
    }

    #[test]
    fn parse_orders_never_panics_on_mutations(
        which in 0..FILES.len(),
        preset in prop::sample::select(PRESETS),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, prop::sample::select(SOUP)), 0..8),
    ) {
        let mut chars: Vec<char> = file(FILES[which]).chars().collect();
        for (at, op, c) in edits {
            if chars.is_empty() {
                chars.push(c);
                continue;
            }
            let i = at.index(chars.len());
            match op {
                0 => { chars.remove(i); }
                1 => chars.insert(i, c),
                2 => chars[i] = c,
                _ => { chars.truncate(i); }
            }
        }
        let s: String = chars.into_iter().collect();
        let _ = detect(FILES[which], &s);
        if let Ok(p) = parse_orders(FILES[which], &s, preset, &opts()) {
            for o in &p.orders {
                prop_assert!(o.line >= 1);
                prop_assert!(o.refunded_minor >= 0);
                prop_assert_eq!(o.currency.len(), 3);
            }
            for r in &p.rejects {
                prop_assert!(r.excerpt.chars().count() <= 80);
            }
        }
    }
}

#[test]
fn every_test_file_parses_with_its_detected_preset() {
    for f in FILES {
        let text = file(f);
        assert!(!text.is_empty(), "{f} missing");
        let preset = if f.starts_with("generic") {
            Some(Preset::Generic)
        } else {
            None
        };
        let r = parse_orders(f, &text, preset, &opts());
        assert!(r.is_ok(), "{f}: {r:?}");
    }
}
