//! Wall-clock times of zone-less sources → UTC instants.

use chrono::{Duration, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// Milliseconds since the epoch of a local wall-clock time in `tz`.
///
/// DST fall-back (a time that happens twice): the earlier instant. Spring-forward gap (a time
/// that never happens): the clock is read one hour later, as phones do when they jump.
pub fn local_to_utc_ms(local: NaiveDateTime, tz: Tz) -> i64 {
    let resolved = tz.from_local_datetime(&local).earliest().or_else(|| {
        tz.from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
    });
    match resolved {
        Some(dt) => dt.timestamp_millis(),
        // Unreachable for real zones (gaps are at most an hour); fall back to reading it as UTC.
        None => local.and_utc().timestamp_millis(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn sao_paulo_is_utc_minus_3() {
        let ms = local_to_utc_ms(at(2026, 11, 24, 14, 32), chrono_tz::America::Sao_Paulo);
        assert_eq!(ms, at(2026, 11, 24, 17, 32).and_utc().timestamp_millis());
    }

    #[test]
    fn new_york_dst_edges() {
        let ny = chrono_tz::America::New_York;
        // 2026-03-08 02:30 does not exist (clocks jump 02:00 → 03:00): read as 03:30 EDT = 07:30Z.
        assert_eq!(
            local_to_utc_ms(at(2026, 3, 8, 2, 30), ny),
            at(2026, 3, 8, 7, 30).and_utc().timestamp_millis()
        );
        // 2026-11-01 01:30 happens twice: the first (EDT, UTC-4) = 05:30Z.
        assert_eq!(
            local_to_utc_ms(at(2026, 11, 1, 1, 30), ny),
            at(2026, 11, 1, 5, 30).and_utc().timestamp_millis()
        );
    }
}
