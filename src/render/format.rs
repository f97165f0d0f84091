//! Value formatting shared by the renderers: machine forms (CSV, JSON) and human forms (table,
//! Markdown), plus terminal sanitisation.
//!
//! Rounding is "half up" in magnitude (half away from zero): `0.5 → 1`, `2.5 → 3`, `-0.5 → -1`.
//! Decimal rounding works on the shortest decimal form of the float (what `{}` prints), so
//! `0.03125` rounds to `0.0313` and `0.12345` to `0.1235`, as an analyst reading the number expects.

use chrono::{DateTime, SecondsFormat};
use chrono_tz::Tz;

use super::Locale;

/// ISO 4217 minor-unit exponent of a currency code; unknown codes get 2.
pub fn currency_exponent(code: &str) -> u32 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

/// Whole seconds rounded half away from zero; `None` for NaN and infinities.
pub fn whole_seconds(secs: f64) -> Option<i64> {
    // `as` saturates for values beyond i64, which no duration reaches.
    secs.is_finite().then(|| secs.round() as i64)
}

/// `x · 10^shift` rounded half away from zero to `places` decimals, as a plain decimal string
/// with `.` (`-` only when the rounded value is not zero). `None` for NaN and infinities.
pub fn round_decimal(x: f64, shift: i32, places: usize) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let shortest = format!("{}", x.abs()); // never uses exponent notation
    let (int, frac) = shortest.split_once('.').unwrap_or((&shortest, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    let mut point = int.len() as i64 + i64::from(shift);
    if point < 0 {
        let pad = (-point) as usize;
        digits.splice(0..0, std::iter::repeat_n(0, pad));
        point = 0;
    }
    let mut point = point as usize;
    let keep = point + places;
    if digits.len() < keep {
        digits.resize(keep, 0);
    }
    if digits.len() > keep {
        let up = digits[keep] >= 5;
        digits.truncate(keep);
        if up {
            let mut i = keep;
            loop {
                if i == 0 {
                    digits.insert(0, 1);
                    point += 1;
                    break;
                }
                i -= 1;
                if digits[i] == 9 {
                    digits[i] = 0;
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
    }
    let int_digits = &digits[..point];
    let first = int_digits.iter().position(|&d| d != 0).unwrap_or(point);
    let mut out = String::with_capacity(digits.len() + 2);
    let is_zero = digits.iter().all(|&d| d == 0);
    if x.is_sign_negative() && !is_zero {
        out.push('-');
    }
    if first == point {
        out.push('0');
    }
    out.extend(int_digits[first..].iter().map(|&d| char::from(b'0' + d)));
    if places > 0 {
        out.push('.');
        out.extend(digits[point..].iter().map(|&d| char::from(b'0' + d)));
    }
    Some(out)
}

/// A fraction with exactly four decimals (`0.8333`), for CSV and JSON.
pub fn fraction_machine(x: f64) -> Option<String> {
    round_decimal(x, 0, 4)
}

/// Minor units as a major-unit decimal with the currency's exponent: `123456 BRL → 1234.56`,
/// `-1250 BRL → -12.50`, `1500 JPY → 1500`, `1234 KWD → 1.234`. Exact (integer arithmetic).
pub fn money_machine(minor: i64, currency: &str) -> String {
    let (neg, int, frac) = money_parts(minor, currency);
    let sign = if neg { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// Sign, integer digits and fraction digits (zero-padded to the exponent) of a money amount.
fn money_parts(minor: i64, currency: &str) -> (bool, String, String) {
    let exp = currency_exponent(currency);
    let abs = minor.unsigned_abs();
    let scale = 10u64.pow(exp);
    let int = (abs / scale).to_string();
    let frac = if exp == 0 {
        String::new()
    } else {
        format!("{:0width$}", abs % scale, width = exp as usize)
    };
    (minor < 0, int, frac)
}

/// RFC 3339 with the report zone's offset, whole seconds: `2026-11-24T14:32:05-03:00`.
/// Milliseconds are truncated (floored). `None` when out of chrono's range.
pub fn timestamp_machine(ms: i64, tz: Tz) -> Option<String> {
    let t = DateTime::from_timestamp_millis(ms)?.with_timezone(&tz);
    Some(t.to_rfc3339_opts(SecondsFormat::Secs, false))
}

/// `2026-11-24 14:32` in the report zone, for tables.
pub fn timestamp_human(ms: i64, tz: Tz) -> Option<String> {
    let t = DateTime::from_timestamp_millis(ms)?.with_timezone(&tz);
    Some(t.format("%Y-%m-%d %H:%M").to_string())
}

/// A duration for people: `<1m` under a minute, else the two largest non-zero units among
/// d, h, m, s, the second dropped when zero (`4m 12s`, `4m`, `2h 5m`, `1d 3h`). Smaller units
/// are truncated, not rounded (`3h 59m 59s → 3h 59m`). Negative durations get a `-`.
pub fn duration_human(secs: f64) -> Option<String> {
    let s = whole_seconds(secs)?;
    let sign = if s < 0 { "-" } else { "" };
    let s = s.unsigned_abs();
    if s < 60 {
        return Some(format!("{sign}<1m"));
    }
    let units = [(86_400, 'd'), (3_600, 'h'), (60, 'm'), (1, 's')];
    let i = units.iter().position(|&(u, _)| s >= u).unwrap_or(3);
    let (big, big_name) = units[i];
    let first = s / big;
    let mut out = format!("{sign}{first}{big_name}");
    if let Some(&(small, small_name)) = units.get(i + 1) {
        let second = (s % big) / small;
        if second > 0 {
            out.push_str(&format!(" {second}{small_name}"));
        }
    }
    Some(out)
}

/// Groups the integer digits of a plain decimal string (`-1234.5`) with the locale's separators.
fn localize_decimal(plain: &str, locale: Locale) -> String {
    let (neg, rest) = match plain.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, plain),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut out = String::with_capacity(plain.len() + plain.len() / 3);
    if neg {
        out.push('-');
    }
    out.push_str(&group(int, locale.thousands()));
    if !frac.is_empty() {
        out.push(locale.decimal());
        out.push_str(frac);
    }
    out
}

/// `1234567` → `1.234.567` with `sep = '.'`.
fn group(digits: &str, sep: char) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A count with the locale's thousands separator: `1.234` (pt-BR), `1,234` (en-US).
pub fn count_human(n: i64, locale: Locale) -> String {
    localize_decimal(&n.to_string(), locale)
}

/// A fraction as a percentage with one decimal: `83.3%` (en-US), `83,3%` (pt-BR).
pub fn percent_human(x: f64, locale: Locale) -> Option<String> {
    let plain = round_decimal(x, 2, 1)?;
    Some(format!("{}%", localize_decimal(&plain, locale)))
}

/// Money for people: `R$ 1.234,56` (BRL, pt-BR), `$1,234.56` (USD, en-US), otherwise the ISO
/// code, a space and the locale's number (`BRL 1,234.56`, `USD 1.234,56`). Minus sign first.
pub fn money_human(minor: i64, currency: &str, locale: Locale) -> String {
    let (neg, int, frac) = money_parts(minor, currency);
    let mut number = group(&int, locale.thousands());
    if !frac.is_empty() {
        number.push(locale.decimal());
        number.push_str(&frac);
    }
    let sign = if neg { "-" } else { "" };
    match (locale, currency) {
        (Locale::PtBr, "BRL") => format!("{sign}R$ {number}"),
        (Locale::EnUs, "USD") => format!("{sign}${number}"),
        _ => format!("{sign}{currency} {number}"),
    }
}

/// True for characters that must not reach a terminal raw: C0 and C1 controls, DEL, and the
/// bidi embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069).
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Replaces unsafe characters (see [`is_unsafe_char`]) with visible `\u{…}` escapes, for text
/// written to a terminal (fd's `sanitize` idea). Borrows when nothing needs escaping.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_seconds_round_half_away_from_zero() {
        assert_eq!(whole_seconds(0.5), Some(1));
        assert_eq!(whole_seconds(1.5), Some(2));
        assert_eq!(whole_seconds(2.5), Some(3));
        assert_eq!(whole_seconds(2.4999), Some(2));
        assert_eq!(whole_seconds(0.49), Some(0));
        assert_eq!(whole_seconds(-0.5), Some(-1));
        assert_eq!(whole_seconds(-0.4), Some(0));
        assert_eq!(whole_seconds(f64::NAN), None);
        assert_eq!(whole_seconds(f64::INFINITY), None);
    }

    #[test]
    fn round_decimal_uses_the_shortest_decimal_form() {
        assert_eq!(round_decimal(0.833_333, 0, 4).unwrap(), "0.8333");
        assert_eq!(round_decimal(0.03125, 0, 4).unwrap(), "0.0313"); // exact tie: up
        assert_eq!(round_decimal(0.12345, 0, 4).unwrap(), "0.1235");
        assert_eq!(round_decimal(1.0, 0, 4).unwrap(), "1.0000");
        assert_eq!(round_decimal(0.0, 0, 4).unwrap(), "0.0000");
        assert_eq!(round_decimal(0.99995, 0, 4).unwrap(), "1.0000");
        assert_eq!(round_decimal(9.99996, 0, 4).unwrap(), "10.0000");
        assert_eq!(round_decimal(-0.00001, 0, 4).unwrap(), "0.0000");
        assert_eq!(round_decimal(-0.25, 0, 1).unwrap(), "-0.3");
        assert_eq!(round_decimal(0.00001, 0, 4).unwrap(), "0.0000");
        assert_eq!(round_decimal(0.00005, 0, 4).unwrap(), "0.0001");
        assert_eq!(round_decimal(0.8333, 2, 1).unwrap(), "83.3");
        assert_eq!(round_decimal(0.0005, 2, 1).unwrap(), "0.1");
        assert_eq!(round_decimal(0.0004, 2, 1).unwrap(), "0.0");
        assert_eq!(round_decimal(1234.5, 0, 0).unwrap(), "1235");
        assert_eq!(round_decimal(1e-7, 2, 1).unwrap(), "0.0");
        assert_eq!(round_decimal(f64::NAN, 0, 4), None);
    }

    #[test]
    fn fractions_have_four_decimals() {
        assert_eq!(fraction_machine(5.0 / 6.0).unwrap(), "0.8333");
        assert_eq!(fraction_machine(2.0 / 3.0).unwrap(), "0.6667");
        assert_eq!(fraction_machine(1.0).unwrap(), "1.0000");
    }

    #[test]
    fn durations_for_people() {
        let d = |s: f64| duration_human(s).unwrap();
        assert_eq!(d(0.0), "<1m");
        assert_eq!(d(59.0), "<1m");
        assert_eq!(d(59.4), "<1m");
        assert_eq!(d(59.5), "1m"); // rounded to whole seconds first
        assert_eq!(d(60.0), "1m");
        assert_eq!(d(252.0), "4m 12s");
        assert_eq!(d(3600.0), "1h");
        assert_eq!(d(3659.0), "1h"); // two largest units: h and m; m is 0
        assert_eq!(d(7500.0), "2h 5m");
        assert_eq!(d(14_399.0), "3h 59m");
        assert_eq!(d(86_400.0), "1d");
        assert_eq!(d(97_200.0), "1d 3h");
        assert_eq!(d(30.0 * 86_400.0), "30d");
        assert_eq!(d(-252.0), "-4m 12s");
        assert_eq!(duration_human(f64::NAN), None);
    }

    #[test]
    fn money_in_major_units_by_exponent() {
        assert_eq!(money_machine(123_456, "BRL"), "1234.56");
        assert_eq!(money_machine(-1250, "BRL"), "-12.50");
        assert_eq!(money_machine(5, "USD"), "0.05");
        assert_eq!(money_machine(-5, "USD"), "-0.05");
        assert_eq!(money_machine(0, "EUR"), "0.00");
        assert_eq!(money_machine(1500, "JPY"), "1500");
        assert_eq!(money_machine(1500, "KRW"), "1500");
        assert_eq!(money_machine(-990, "CLP"), "-990");
        assert_eq!(money_machine(1234, "KWD"), "1.234");
        assert_eq!(money_machine(5, "OMR"), "0.005");
        assert_eq!(money_machine(123_456, "XYZ"), "1234.56"); // unknown: 2
        assert_eq!(money_machine(i64::MIN, "BRL"), "-92233720368547758.08");
    }

    #[test]
    fn money_for_people_per_locale() {
        assert_eq!(money_human(123_456, "BRL", Locale::PtBr), "R$ 1.234,56");
        assert_eq!(money_human(-123_456, "BRL", Locale::PtBr), "-R$ 1.234,56");
        assert_eq!(money_human(123_456, "USD", Locale::EnUs), "$1,234.56");
        assert_eq!(money_human(-1250, "USD", Locale::EnUs), "-$12.50");
        assert_eq!(money_human(123_456, "BRL", Locale::EnUs), "BRL 1,234.56");
        assert_eq!(money_human(123_456, "USD", Locale::PtBr), "USD 1.234,56");
        assert_eq!(money_human(1_500_000, "JPY", Locale::PtBr), "JPY 1.500.000");
        assert_eq!(money_human(1234, "KWD", Locale::EnUs), "KWD 1.234");
        assert_eq!(money_human(99, "BRL", Locale::PtBr), "R$ 0,99");
    }

    #[test]
    fn counts_and_percentages_per_locale() {
        assert_eq!(count_human(1234, Locale::PtBr), "1.234");
        assert_eq!(count_human(1234, Locale::EnUs), "1,234");
        assert_eq!(count_human(999, Locale::EnUs), "999");
        assert_eq!(count_human(1_234_567, Locale::EnUs), "1,234,567");
        assert_eq!(count_human(-1_234_567, Locale::PtBr), "-1.234.567");
        assert_eq!(count_human(0, Locale::PtBr), "0");
        assert_eq!(percent_human(5.0 / 6.0, Locale::EnUs).unwrap(), "83.3%");
        assert_eq!(percent_human(5.0 / 6.0, Locale::PtBr).unwrap(), "83,3%");
        assert_eq!(percent_human(1.0, Locale::EnUs).unwrap(), "100.0%");
        assert_eq!(percent_human(0.0, Locale::EnUs).unwrap(), "0.0%");
        assert_eq!(percent_human(0.0005, Locale::EnUs).unwrap(), "0.1%");
        assert_eq!(percent_human(12.345, Locale::EnUs).unwrap(), "1,234.5%");
        assert_eq!(percent_human(f64::NAN, Locale::EnUs), None);
    }

    #[test]
    fn timestamps_in_the_report_zone() {
        // 2026-11-24T17:32:05.900Z
        let ms = 1_795_541_525_900;
        let sp: Tz = "America/Sao_Paulo".parse().unwrap();
        assert_eq!(
            timestamp_machine(ms, sp).unwrap(),
            "2026-11-24T14:32:05-03:00"
        );
        assert_eq!(
            timestamp_machine(ms, Tz::UTC).unwrap(),
            "2026-11-24T17:32:05+00:00"
        );
        assert_eq!(timestamp_human(ms, sp).unwrap(), "2026-11-24 14:32");
        assert_eq!(timestamp_human(ms, Tz::UTC).unwrap(), "2026-11-24 17:32");
        // Before the epoch, milliseconds floor to the earlier second.
        assert_eq!(
            timestamp_machine(-1, Tz::UTC).unwrap(),
            "1969-12-31T23:59:59+00:00"
        );
        assert_eq!(timestamp_machine(i64::MAX, Tz::UTC), None);
    }

    #[test]
    fn sanitize_escapes_controls_and_bidi() {
        assert_eq!(sanitize("Ana Lima"), "Ana Lima");
        assert!(matches!(sanitize("plain"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(sanitize("a\x1b[31mred"), "a\\u{1b}[31mred");
        assert_eq!(sanitize("line\nbreak\ttab"), "line\\u{a}break\\u{9}tab");
        assert_eq!(sanitize("abc\u{202e}fdp.exe"), "abc\\u{202e}fdp.exe");
        assert_eq!(sanitize("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        assert_eq!(sanitize("c1\u{85}\u{9b}"), "c1\\u{85}\\u{9b}");
        assert_eq!(sanitize("del\x7f"), "del\\u{7f}");
        // Left-to-right marks and ordinary non-ASCII text stay.
        assert_eq!(
            sanitize("Jo\u{e3}o \u{200e}\u{1f600}"),
            "Jo\u{e3}o \u{200e}\u{1f600}"
        );
    }
}
