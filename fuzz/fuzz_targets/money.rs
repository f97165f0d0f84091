//! `sources::orders::money::parse_money` (and the column decision) on any bytes. The first
//! byte picks the decimal-mark decision and the currency exponent. Checks: no panic; a parsed
//! amount formatted back in both styles parses to the same minor units.

use chatrev::sources::orders::money::{
    column_is_ambiguous, decide_separator, format_minor, parse_money,
};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&first, rest)) = data.split_first() else {
            return;
        };
        let comma = match first % 3 {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        };
        let exp = u32::from((first / 3) % 4);
        let text = String::from_utf8_lossy(rest);
        let _ = decide_separator(text.split('\n'));
        let _ = column_is_ambiguous(text.split('\n'));
        if let Ok(minor) = parse_money(&text, comma, exp) {
            for c in [false, true] {
                for grouped in [false, true] {
                    let back = format_minor(minor, exp, c, grouped);
                    assert_eq!(
                        parse_money(&back, Some(c), exp),
                        Ok(minor),
                        "{text:?} -> {back:?}"
                    );
                }
            }
        }
    });
}
