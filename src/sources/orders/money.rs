//! Money strings → integer minor units (SPEC §3.4, INPUTS §3.5). Never f64.
//!
//! The decimal separator is decided per column ([`decide_separator`]) and then applied to
//! every value of that column ([`parse_money`]). Nothing is rounded: a value with more
//! non-zero decimals than the currency's exponent is an error naming the value.

/// Why a money string was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not a number at all (after removing spaces, currency symbols and codes).
    #[error("not an amount: {0:?}")]
    NotANumber(String),
    /// A single `.` or `,` followed by exactly three digits, and nothing decides which it is.
    #[error("ambiguous amount {0:?}: is the separator a decimal mark or a thousands group?")]
    Ambiguous(String),
    /// More non-zero decimals than the currency's exponent allows.
    #[error("amount {0:?} has more decimals than the currency allows ({1})")]
    TooManyDecimals(String, u32),
    /// Does not fit in 64-bit minor units.
    #[error("amount {0:?} is too large")]
    Overflow(String),
    /// Values of one column disagree on the decimal mark.
    #[error("column mixes decimal marks: {0:?} and {1:?}")]
    Mixed(String, String),
}

/// ISO 4217 minor-unit exponent of a currency code (upper or lower case): 0 for JPY, KRW,
/// CLP, VND, ISK, …; 3 for KWD, BHD, JOD, OMR, TND, IQD, LYD; 2 otherwise.
pub fn currency_exponent(code: &str) -> u32 {
    const ZERO: &[&str] = &[
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
        "VUV", "XAF", "XOF", "XPF",
    ];
    const THREE: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    let up = code.trim().to_ascii_uppercase();
    if ZERO.contains(&up.as_str()) {
        0
    } else if THREE.contains(&up.as_str()) {
        3
    } else {
        2
    }
}

/// True for a plausible ISO 4217 code: three ASCII letters.
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Active ISO 4217 currency codes (list of 2026), upper case, sorted.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
    "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN",
    "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
    "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL",
    "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
];

/// True for an ISO 4217 code in use (upper or lower case).
pub fn is_iso_currency(code: &str) -> bool {
    ISO_4217
        .binary_search(&code.trim().to_ascii_uppercase().as_str())
        .is_ok()
}

/// What one value says about its column's decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// No separator (or not a number): says nothing.
    Neutral,
    /// One separator followed by exactly three digits (`1.234`).
    Ambiguous,
    /// The decimal mark is `,` (true) or `.` (false).
    Decides(bool),
}

/// Sign and the bare `[0-9.,]` core of a money string, or None when it is not one.
fn core(s: &str) -> Option<(bool, String)> {
    let compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}' && *c != '\'')
        .collect();
    let is_symbol = |c: char| c.is_alphabetic() || "$€£¥₹₩¤₽₺₱".contains(c);
    let mut rest = compact.as_str();
    let mut negative = false;
    let mut signs = 0;
    loop {
        let before = rest;
        if let Some(r) = rest.strip_prefix('-') {
            negative = true;
            signs += 1;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('+') {
            signs += 1;
            rest = r;
        }
        rest = rest.trim_start_matches(is_symbol);
        if rest == before {
            break;
        }
    }
    rest = rest.trim_end_matches(is_symbol);
    if let Some(r) = rest.strip_suffix('-') {
        negative = true;
        signs += 1;
        rest = r.trim_end_matches(is_symbol);
    }
    if signs > 1
        || rest.is_empty()
        || !rest.starts_with(|c: char| c.is_ascii_digit())
        || !rest.ends_with(|c: char| c.is_ascii_digit())
        || !rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    Some((negative, rest.to_string()))
}

fn evidence(s: &str) -> Evidence {
    let Some((_, c)) = core(s) else {
        return Evidence::Neutral;
    };
    let dots = c.matches('.').count();
    let commas = c.matches(',').count();
    match (dots, commas) {
        (0, 0) => Evidence::Neutral,
        (d, k) if d > 0 && k > 0 => {
            let last_dot = c.rfind('.').unwrap_or(0);
            let last_comma = c.rfind(',').unwrap_or(0);
            Evidence::Decides(last_comma > last_dot)
        }
        // The same separator twice or more: thousands groups, so the decimal mark is the other one.
        (d, 0) if d > 1 => Evidence::Decides(true),
        (0, k) if k > 1 => Evidence::Decides(false),
        _ => {
            let sep = if dots == 1 { '.' } else { ',' };
            let (int, frac) = c.split_once(sep).unwrap_or((&c, ""));
            // `0.123` cannot be a thousands group.
            if frac.len() == 3 && int != "0" {
                Evidence::Ambiguous
            } else {
                Evidence::Decides(sep == ',')
            }
        }
    }
}

/// Decides a column's decimal mark from all its values: `Ok(Some(true))` = decimal comma,
/// `Ok(Some(false))` = decimal point, `Ok(None)` = nothing decides it (every value with a
/// separator is ambiguous like `1.234`, or none has one). The caller then uses the config
/// locale when [`column_is_ambiguous`] says some value needs it. Values that disagree
/// (`1.234,56` and `12.50`) are [`MoneyError::Mixed`].
pub fn decide_separator<'a, I>(values: I) -> Result<Option<bool>, MoneyError>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut decided: Option<(bool, &str)> = None;
    for v in values {
        if let Evidence::Decides(comma) = evidence(v) {
            match decided {
                None => decided = Some((comma, v)),
                Some((c, first)) if c != comma => {
                    return Err(MoneyError::Mixed(first.to_string(), v.to_string()));
                }
                Some(_) => {}
            }
        }
    }
    Ok(decided.map(|(c, _)| c))
}

/// True when some value of the column is ambiguous (`1.234`) and so needs a decision.
pub fn column_is_ambiguous<'a, I>(values: I) -> bool
where
    I: IntoIterator<Item = &'a str>,
{
    values
        .into_iter()
        .any(|v| evidence(v) == Evidence::Ambiguous)
}

/// Parses a money string into minor units of a currency with `exponent` decimals.
///
/// Accepts `1234.56`, `1.234,56`, `R$ 1.234,56`, `1,234.56`, `-12,50`, `R$ -12,50`,
/// `12,50 BRL`, spaces and NBSP. `decimal_comma` is the column's decision; `None` decides
/// from the value alone and fails on an ambiguous one (`1.234`). Extra decimals that are
/// zeros are accepted (nothing is rounded); non-zero ones are an error.
pub fn parse_money(s: &str, decimal_comma: Option<bool>, exponent: u32) -> Result<i64, MoneyError> {
    let bad = || MoneyError::NotANumber(s.to_string());
    let (negative, c) = core(s).ok_or_else(bad)?;
    let comma = match decimal_comma {
        Some(b) => b,
        None => match evidence(s) {
            Evidence::Decides(b) => b,
            Evidence::Neutral => false,
            Evidence::Ambiguous => return Err(MoneyError::Ambiguous(s.to_string())),
        },
    };
    let (dec, group) = if comma { (',', '.') } else { ('.', ',') };
    let mut parts = c.split(dec);
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    if parts.next().is_some() {
        return Err(bad());
    }
    if let Some(f) = frac
        && (f.is_empty() || f.contains(group))
    {
        return Err(bad());
    }
    let mut int_digits = String::with_capacity(int.len());
    for (i, g) in int.split(group).enumerate() {
        let ok = if i == 0 {
            !g.is_empty() && (g.len() <= 3 || !int.contains(group))
        } else {
            g.len() == 3
        };
        if !ok {
            return Err(bad());
        }
        int_digits.push_str(g);
    }
    let frac = frac.unwrap_or("");
    let exp = exponent as usize;
    let (kept, extra) = if frac.len() > exp {
        frac.split_at(exp)
    } else {
        (frac, "")
    };
    if extra.bytes().any(|b| b != b'0') {
        return Err(MoneyError::TooManyDecimals(s.to_string(), exponent));
    }
    let overflow = || MoneyError::Overflow(s.to_string());
    let mut minor: i64 = 0;
    for b in int_digits.bytes().chain(kept.bytes()) {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(b - b'0')))
            .ok_or_else(overflow)?;
    }
    for _ in kept.len()..exp {
        minor = minor.checked_mul(10).ok_or_else(overflow)?;
    }
    Ok(if negative { -minor } else { minor })
}

/// Formats minor units as a plain amount: `decimal_comma` picks `,` or `.` as the decimal
/// mark and `grouped` adds thousands groups with the other one (`-1.234,56`). The inverse of
/// [`parse_money`], used by tests.
pub fn format_minor(minor: i64, exponent: u32, decimal_comma: bool, grouped: bool) -> String {
    let (dec, group) = if decimal_comma {
        (',', '.')
    } else {
        ('.', ',')
    };
    let digits = minor.unsigned_abs().to_string();
    let exp = exponent as usize;
    let padded = format!("{digits:0>width$}", width = exp + 1);
    let (int, frac) = padded.split_at(padded.len() - exp);
    let mut int_out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if grouped && i > 0 && (int.len() - i) % 3 == 0 {
            int_out.push(group);
        }
        int_out.push(ch);
    }
    let sign = if minor < 0 { "-" } else { "" };
    if exp == 0 {
        format!("{sign}{int_out}")
    } else {
        format!("{sign}{int_out}{dec}{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        assert_eq!(parse_money("1234.56", None, 2), Ok(123_456));
        assert_eq!(parse_money("1.234,56", None, 2), Ok(123_456));
        assert_eq!(parse_money("R$ 1.234,56", None, 2), Ok(123_456));
        assert_eq!(parse_money("R$\u{a0}1.234,56", None, 2), Ok(123_456));
        assert_eq!(parse_money("1,234.56", None, 2), Ok(123_456));
        assert_eq!(parse_money("-12,50", None, 2), Ok(-1250));
        assert_eq!(parse_money("R$ -12,50", None, 2), Ok(-1250));
        assert_eq!(parse_money("-R$12,50", None, 2), Ok(-1250));
        assert_eq!(parse_money("12,50 BRL", None, 2), Ok(1250));
        assert_eq!(parse_money("USD 7", None, 2), Ok(700));
        assert_eq!(parse_money("499.8", None, 2), Ok(49_980));
        assert_eq!(parse_money("458", None, 2), Ok(45_800));
        assert_eq!(parse_money("1.234.567", None, 2), Ok(123_456_700));
        assert_eq!(parse_money("1 234 567,5", None, 2), Ok(123_456_750));
        assert_eq!(parse_money("¥1,234", Some(false), 0), Ok(1234));
        assert_eq!(parse_money("1.234", Some(false), 3), Ok(1234));
        assert_eq!(parse_money("0.125", None, 3), Ok(125));
        assert_eq!(parse_money("12.500", Some(false), 2), Ok(1250));
    }

    #[test]
    fn refused_forms() {
        assert_eq!(
            parse_money("1.234", None, 2),
            Err(MoneyError::Ambiguous("1.234".into()))
        );
        assert_eq!(
            parse_money("1.005", Some(false), 2),
            Err(MoneyError::TooManyDecimals("1.005".into(), 2))
        );
        assert!(matches!(
            parse_money("12.5", Some(true), 2),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            parse_money("abc", None, 2),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            parse_money("", None, 2),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            parse_money("1,2,3.4.5", None, 2),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            parse_money("--1", None, 2),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            parse_money("99999999999999999999", None, 2),
            Err(MoneyError::Overflow(_))
        ));
    }

    #[test]
    fn column_decisions() {
        assert_eq!(decide_separator(["1.234,56", "1.234"]), Ok(Some(true)));
        assert_eq!(decide_separator(["12.50", "1,234"]), Ok(Some(false)));
        assert_eq!(decide_separator(["1.234", "2.000"]), Ok(None));
        assert!(column_is_ambiguous(["1.234", "2.000"]));
        assert_eq!(decide_separator(["12", ""]), Ok(None));
        assert!(!column_is_ambiguous(["12", ""]));
        assert_eq!(
            decide_separator(["1.234,56", "12.50"]),
            Err(MoneyError::Mixed("1.234,56".into(), "12.50".into()))
        );
    }

    #[test]
    fn iso_codes() {
        assert!(ISO_4217.is_sorted());
        assert!(is_iso_currency("BRL") && is_iso_currency("usd") && is_iso_currency("KWD"));
        assert!(!is_iso_currency("XYZ") && !is_iso_currency("R$"));
    }

    #[test]
    fn exponents() {
        assert_eq!(currency_exponent("BRL"), 2);
        assert_eq!(currency_exponent("jpy"), 0);
        assert_eq!(currency_exponent("KWD"), 3);
        assert_eq!(format_minor(123_456, 2, true, true), "1.234,56");
        assert_eq!(format_minor(-5, 3, false, false), "-0.005");
        assert_eq!(format_minor(1_234_567, 0, false, true), "1,234,567");
    }
}
