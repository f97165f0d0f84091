//! Order timestamps → UTC instants in milliseconds.
//!
//! Values with an offset (RFC 3339, Shopify's `YYYY-MM-DD HH:MM:SS ±HHMM`) are exact;
//! zone-less values (Nuvemshop `DD/MM/YYYY HH:MM:SS`, WooCommerce `date_created`) are read in
//! the configured zone. Slash dates are day first (`DD/MM/YYYY`).

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M %z",
];

const NAIVE: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
];

/// Parses a timestamp into UTC milliseconds; zone-less values are local time in `tz`.
/// `date_only` is set when the value had no time of day (midnight in `tz` is returned).
/// None when the value is not a date or names a local time that does not exist (DST gap);
/// an ambiguous local time (DST overlap) takes the earlier instant.
pub fn parse_instant(s: &str, tz: Tz) -> Option<(i64, bool)> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some((dt.timestamp_millis(), false));
    }
    // `Z` with a space separator, or lower-case `t`/`z`.
    if let Some(stripped) = s.strip_suffix(['Z', 'z']) {
        let naive = NAIVE
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(stripped, f).ok());
        if let Some(n) = naive {
            return Some((n.and_utc().timestamp_millis(), false));
        }
    }
    for f in WITH_OFFSET {
        if let Ok(dt) = DateTime::parse_from_str(s, f) {
            return Some((dt.timestamp_millis(), false));
        }
    }
    for f in NAIVE {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return local(n, tz).map(|ms| (ms, false));
        }
    }
    for f in ["%Y-%m-%d", "%d/%m/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return local(d.and_hms_opt(0, 0, 0)?, tz).map(|ms| (ms, true));
        }
    }
    None
}

/// A zone-less value known to be UTC (WooCommerce `*_gmt`).
pub fn parse_utc(s: &str) -> Option<i64> {
    parse_instant(s, Tz::UTC).map(|(ms, _)| ms)
}

fn local(n: NaiveDateTime, tz: Tz) -> Option<i64> {
    match tz.from_local_datetime(&n) {
        LocalResult::Single(dt) => Some(dt.timestamp_millis()),
        LocalResult::Ambiguous(a, _) => Some(a.timestamp_millis()),
        LocalResult::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SP: Tz = chrono_tz::America::Sao_Paulo;

    #[test]
    fn forms() {
        // 2025-03-10 15:05:13 UTC
        let want = 1_741_619_113_000;
        assert_eq!(
            parse_instant("2025-03-10 12:05:13 -0300", Tz::UTC),
            Some((want, false))
        );
        assert_eq!(
            parse_instant("2025-03-10T12:05:13-03:00", Tz::UTC),
            Some((want, false))
        );
        assert_eq!(
            parse_instant("2025-03-10T15:05:13Z", SP),
            Some((want, false))
        );
        assert_eq!(
            parse_instant("10/03/2025 12:05:13", SP),
            Some((want, false))
        );
        assert_eq!(
            parse_instant("2025-03-10 12:05:13", SP),
            Some((want, false))
        );
        assert_eq!(parse_utc("2025-03-10T15:05:13"), Some(want));
        assert_eq!(
            parse_instant("2024-02-04T20:09:43.8999581+00:00", Tz::UTC),
            Some((1_707_077_383_899, false))
        );
        assert_eq!(
            parse_instant("10/03/2025", SP),
            Some((1_741_575_600_000, true))
        );
        assert_eq!(parse_instant("31/02/2025 10:00:00", SP), None);
        assert_eq!(parse_instant("yesterday", SP), None);
    }
}
