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

/// [`local_to_utc_ms`] with a cache of the last local hour's offset: exports are mostly in
/// time order, so most messages fall in an hour already seen. An hour is cached only when its
/// first and last second have the same offset (so DST and odd-offset transitions are computed
/// message by message).
#[derive(Debug, Clone)]
pub struct LocalClock {
    tz: Tz,
    hour: i64,
    offset_ms: Option<i64>,
}

impl LocalClock {
    /// A clock for wall-clock times in `tz`.
    pub fn new(tz: Tz) -> LocalClock {
        LocalClock {
            tz,
            hour: i64::MIN,
            offset_ms: None,
        }
    }

    /// Milliseconds since the epoch of a local time.
    pub fn to_utc_ms(&mut self, local: NaiveDateTime) -> i64 {
        let local_ms = local.and_utc().timestamp_millis();
        let hour = local_ms.div_euclid(3_600_000);
        if hour != self.hour {
            self.hour = hour;
            let start = local - Duration::milliseconds(local_ms.rem_euclid(3_600_000));
            let end = start + Duration::milliseconds(3_599_999);
            let offset =
                |t: NaiveDateTime| t.and_utc().timestamp_millis() - local_to_utc_ms(t, self.tz);
            let (a, b) = (offset(start), offset(end));
            self.offset_ms = (a == b).then_some(a);
        }
        match self.offset_ms {
            Some(off) => local_ms - off,
            None => local_to_utc_ms(local, self.tz),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_clock_agrees_with_direct_conversion_across_dst() {
        for tz in [
            chrono_tz::America::New_York,
            chrono_tz::America::Sao_Paulo,
            chrono_tz::Australia::Lord_Howe,
        ] {
            let mut clock = LocalClock::new(tz);
            let mut t = at(2026, 1, 1, 0, 0);
            while t < at(2027, 1, 1, 0, 0) {
                assert_eq!(clock.to_utc_ms(t), local_to_utc_ms(t, tz), "{tz} {t}");
                t += Duration::minutes(7);
            }
        }
    }
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
