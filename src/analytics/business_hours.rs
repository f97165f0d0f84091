//! The business clock (SPEC §5.3, §10 `[business_hours]`): how many seconds of an instant range
//! fall inside business hours.
//!
//! Rules:
//! - Intervals are local wall-clock times in the calendar's zone, any number per weekday.
//! - An interval whose end is not after its start (`22:00-02:00`) runs past midnight: on Friday it
//!   covers Friday 22:00 to Saturday 02:00 and belongs to Friday, so a Friday holiday removes it
//!   and a Saturday holiday does not.
//! - A holiday removes every interval that starts on that local date.
//! - Overlapping intervals count once, also across days (Friday `22:00-02:00` and Saturday
//!   `01:00-03:00` are open from Friday 22:00 to Saturday 03:00).
//! - DST: each interval's ends become real instants with the zone. A local time that does not exist
//!   (spring forward) moves forward to the first instant that exists (the transition). A local time
//!   that happens twice (fall back) is read as its earlier instant for a start and its later
//!   instant for an end, so an interval that spans the repeated hour is an hour longer, and a
//!   day-long interval on a fall-back day lasts 25 h (23 h on a spring-forward day).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

use crate::config::{BusinessHours, Interval};

const DAY_MIN: u32 = 1440;

/// How to read a local time that happens twice (DST fall back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ambiguity {
    /// The first occurrence (used for interval starts and period starts).
    Earliest,
    /// The second occurrence (used for interval ends).
    Latest,
}

/// Seconds since the epoch of the local wall-clock time `local` in `tz`.
///
/// A time that happens twice is read per `pick`; a time that does not exist (DST gap) becomes the
/// first instant after it that exists, i.e. the instant of the transition.
pub fn local_to_epoch_s(tz: Tz, local: NaiveDateTime, pick: Ambiguity) -> i64 {
    let resolved = tz.from_local_datetime(&local);
    let instant = match pick {
        Ambiguity::Earliest => resolved.earliest(),
        Ambiguity::Latest => resolved.latest(),
    };
    match instant {
        Some(t) => t.timestamp(),
        None => gap_end(tz, local),
    }
}

/// UTC offset of `tz` at instant `t` (seconds since the epoch), in seconds.
fn offset_s(tz: Tz, t: i64) -> i64 {
    match DateTime::from_timestamp(t, 0) {
        Some(dt) => i64::from(
            tz.offset_from_utc_datetime(&dt.naive_utc())
                .fix()
                .local_minus_utc(),
        ),
        None => 0,
    }
}

/// The transition instant that skips over the non-existent local time `local`.
fn gap_end(tz: Tz, local: NaiveDateTime) -> i64 {
    let l = local.and_utc().timestamp();
    // The first local time after the gap that exists; gaps are at most a day (Samoa, 2011).
    let after = (1..=100).find_map(|k| {
        tz.from_local_datetime(&(local + Duration::minutes(30 * k)))
            .earliest()
            .map(|t| t.timestamp())
    });
    let Some(mut hi) = after else {
        // No real zone gets here; read the time as UTC.
        return l;
    };
    // With o2 the offset after the gap, `l - o2` is before the transition. Binary search the
    // first instant whose local time is at or after `local`: invariant local(lo) < l <= local(hi).
    let mut lo = l - offset_s(tz, hi);
    if lo + offset_s(tz, lo) >= l {
        return lo;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if mid + offset_s(tz, mid) >= l {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// Local date of an instant in `tz`; None outside chrono's range.
pub(crate) fn local_date(ms: i64, tz: Tz) -> Option<NaiveDate> {
    DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&tz).date_naive())
}

/// Business hours in one zone, ready to measure instant ranges.
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    tz: Tz,
    /// Per weekday (Monday = 0): merged `(start_min, end_min)` with `end_min` up to 2880 for
    /// intervals that run past midnight; sorted and disjoint.
    week: [Vec<(u32, u32)>; 7],
    /// Sorted, deduplicated.
    holidays: Vec<NaiveDate>,
}

impl BusinessCalendar {
    /// Builds the calendar of a `[business_hours]` section; its zone is the section's `timezone`,
    /// else `default_tz` (the config's top-level zone).
    pub fn new(cfg: &BusinessHours, default_tz: Tz) -> BusinessCalendar {
        let days = [
            &cfg.mon, &cfg.tue, &cfg.wed, &cfg.thu, &cfg.fri, &cfg.sat, &cfg.sun,
        ];
        let mut holidays = cfg.holidays.clone();
        holidays.sort_unstable();
        holidays.dedup();
        BusinessCalendar {
            tz: cfg.timezone.map_or(default_tz, |t| t.0),
            week: days.map(|d| merge(d)),
            holidays,
        }
    }

    /// The zone the intervals are read in.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// True when at least one weekday has an interval. A calendar with none is never open, so
    /// every range measures 0.
    pub fn is_configured(&self) -> bool {
        self.week.iter().any(|d| !d.is_empty())
    }

    /// Seconds of the half-open range `[start_ms, end_ms)` inside business hours, rounded half
    /// up from [`millis_between`](Self::millis_between); 0 when `end_ms <= start_ms`. For
    /// whole-second instants (every source chatrev reads) this is exact and additive.
    pub fn seconds_between(&self, start_ms: i64, end_ms: i64) -> i64 {
        (self.millis_between(start_ms, end_ms) + 500).div_euclid(1000)
    }

    /// Milliseconds of `[start_ms, end_ms)` inside business hours; 0 when `end_ms <= start_ms`
    /// or an instant is outside chrono's range. Exactly additive:
    /// `between(a, b) + between(b, c) == between(a, c)` for `a <= b <= c`.
    ///
    /// Cost: one pass over the local days from the day before `start_ms` to the day of `end_ms`,
    /// two zone look-ups per interval.
    pub fn millis_between(&self, start_ms: i64, end_ms: i64) -> i64 {
        if end_ms <= start_ms || !self.is_configured() {
            return 0;
        }
        let (Some(first), Some(last)) =
            (local_date(start_ms, self.tz), local_date(end_ms, self.tz))
        else {
            return 0;
        };
        // The day before: its intervals past midnight may reach into `first`.
        let mut day = first.pred_opt().unwrap_or(first);
        let clip = |(a, b): (i64, i64)| (b.min(end_ms) - a.max(start_ms)).max(0);
        let mut total = 0;
        // The open interval being merged, in ms; intervals arrive sorted by start.
        let mut cur: Option<(i64, i64)> = None;
        'days: while day <= last {
            // Of the day before, only intervals past midnight can reach the range.
            let min_end = if day < first { DAY_MIN + 1 } else { 0 };
            for (a, b) in self.day_instants_ms(day, min_end) {
                if a >= end_ms {
                    break 'days;
                }
                if b <= start_ms {
                    continue;
                }
                cur = match cur {
                    Some((ca, cb)) if a <= cb => Some((ca, cb.max(b))),
                    Some(c) => {
                        total += clip(c);
                        Some((a, b))
                    }
                    None => Some((a, b)),
                };
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        total + cur.map_or(0, clip)
    }

    /// Business-clock age at `as_of_ms` of something that started at `start_ms` (a pending
    /// turn): [`seconds_between`](Self::seconds_between).
    pub fn business_age(&self, start_ms: i64, as_of_ms: i64) -> i64 {
        self.seconds_between(start_ms, as_of_ms)
    }

    /// True when the instant `ts_ms` is inside business hours (e.g. for a
    /// `started_outside_hours` flag).
    pub fn is_open(&self, ts_ms: i64) -> bool {
        self.millis_between(ts_ms, ts_ms.saturating_add(1)) > 0
    }

    /// The intervals that start on local date `day` and end after minute `min_end` of it, as
    /// instants in ms, sorted by start.
    fn day_instants_ms(
        &self,
        day: NaiveDate,
        min_end: u32,
    ) -> impl Iterator<Item = (i64, i64)> + '_ {
        let intervals: &[(u32, u32)] = if self.holidays.binary_search(&day).is_ok() {
            &[]
        } else {
            &self.week[day.weekday().num_days_from_monday() as usize]
        };
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        intervals
            .iter()
            .filter(move |iv| iv.1 >= min_end)
            .filter_map(move |&(s, e)| {
                let at = |m: u32, pick| {
                    local_to_epoch_s(self.tz, midnight + Duration::minutes(i64::from(m)), pick)
                        .checked_mul(1000)
                };
                let a = at(s, Ambiguity::Earliest)?;
                let b = at(e, Ambiguity::Latest)?;
                (b > a).then_some((a, b))
            })
    }
}

/// One weekday's intervals as sorted, disjoint `(start_min, end_min)`, ends past midnight
/// written as more than 1440; touching intervals are joined.
fn merge(intervals: &[Interval]) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = intervals
        .iter()
        .map(|i| {
            let end = if i.end_min > i.start_min {
                i.end_min
            } else {
                i.end_min + DAY_MIN
            };
            (i.start_min, end)
        })
        .collect();
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// [`BusinessCalendar::seconds_between`] in logarithmic time for ranges inside a span fixed
/// in advance: the span's business intervals are turned into instants once (merged, with
/// running totals), so a range of any length costs two binary searches (a turn pending for two
/// years stays cheap). Same union-of-intervals measure as the calendar, so the same results.
#[derive(Debug, Clone)]
pub struct DayIndex<'a> {
    cal: &'a BusinessCalendar,
    /// The span covered, ms.
    span: (i64, i64),
    /// Merged business intervals in the span, sorted, disjoint, ms.
    intervals: Vec<(i64, i64)>,
    /// `cum[i]`: total length of `intervals[..i]`, ms.
    cum: Vec<i64>,
}

impl<'a> DayIndex<'a> {
    /// An index covering `[from_ms, to_ms]` (a day of margin on each side).
    pub fn new(cal: &'a BusinessCalendar, from_ms: i64, to_ms: i64) -> DayIndex<'a> {
        let tz = cal.tz;
        let (lo, hi) = (from_ms.min(to_ms), from_ms.max(to_ms));
        let empty = DayIndex {
            cal,
            span: (0, 0),
            intervals: Vec::new(),
            cum: vec![0],
        };
        let (Some(first), Some(last)) = (local_date(lo, tz), local_date(hi, tz)) else {
            return empty;
        };
        let (Some(day0), Some(end)) = (
            first.pred_opt().and_then(|d| d.pred_opt()),
            last.succ_opt().and_then(|d| d.succ_opt()),
        ) else {
            return empty;
        };
        // Every interval starting from two days before: overnight ones reach the next day.
        let mut raw: Vec<(i64, i64)> = Vec::new();
        let mut day = day0;
        while day <= end {
            raw.extend(cal.day_instants_ms(day, 0));
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        raw.sort_unstable();
        let mut intervals: Vec<(i64, i64)> = Vec::with_capacity(raw.len());
        for (a, b) in raw {
            match intervals.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => intervals.push((a, b)),
            }
        }
        let mut cum = Vec::with_capacity(intervals.len() + 1);
        cum.push(0);
        let mut total = 0;
        for (a, b) in &intervals {
            total += b - a;
            cum.push(total);
        }
        let span = (
            crate::analytics::periods::day_start_ms(first, tz),
            crate::analytics::periods::day_start_ms(last.succ_opt().unwrap_or(last), tz),
        );
        DayIndex {
            cal,
            span,
            intervals,
            cum,
        }
    }

    /// Same as [`BusinessCalendar::seconds_between`].
    pub fn seconds_between(&self, start_ms: i64, end_ms: i64) -> i64 {
        if end_ms <= start_ms {
            return 0;
        }
        if start_ms < self.span.0 || end_ms > self.span.1 {
            return self.cal.seconds_between(start_ms, end_ms);
        }
        let iv = &self.intervals;
        let i = iv.partition_point(|&(_, b)| b <= start_ms);
        let j = iv.partition_point(|&(a, _)| a < end_ms);
        if i >= j {
            return 0;
        }
        let ms =
            self.cum[j] - self.cum[i] - (start_ms - iv[i].0).max(0) - (iv[j - 1].1 - end_ms).max(0);
        (ms + 500).div_euclid(1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, TimeZone as CfgTz};
    use chrono_tz::America::{New_York, Sao_Paulo};

    /// Ms of a local wall-clock time (unambiguous in these tests).
    fn at(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("unambiguous local time")
            .timestamp_millis()
    }

    fn iv(s: &str) -> Interval {
        let (a, b) = s.split_once('-').unwrap();
        let m = |t: &str| {
            let (h, mi) = t.split_once(':').unwrap();
            h.parse::<u32>().unwrap() * 60 + mi.parse::<u32>().unwrap()
        };
        Interval {
            start_min: m(a),
            end_min: m(b),
        }
    }

    fn ivs(list: &[&str]) -> Vec<Interval> {
        list.iter().map(|s| iv(s)).collect()
    }

    fn weekdays_9_18(tz: Tz) -> BusinessHours {
        let d = ivs(&["09:00-18:00"]);
        BusinessHours {
            timezone: Some(CfgTz(tz)),
            mon: d.clone(),
            tue: d.clone(),
            wed: d.clone(),
            thu: d.clone(),
            fri: d,
            ..Default::default()
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const H: i64 = 3600;

    #[test]
    fn friday_evening_to_monday_morning() {
        let cal = BusinessCalendar::new(&weekdays_9_18(Sao_Paulo), chrono_tz::UTC);
        let asked = at(Sao_Paulo, 2026, 11, 20, 17, 50); // Friday
        let answered = at(Sao_Paulo, 2026, 11, 23, 9, 10); // Monday
        assert_eq!(cal.seconds_between(asked, answered), 1200);
        assert_eq!(cal.business_age(asked, answered), 1200);
        // Calendar clock for comparison: 2 days 15 h 20 min.
        assert_eq!((answered - asked) / 1000, 2 * 86_400 + 15 * H + 20 * 60);
    }

    #[test]
    fn monday_holiday_moves_to_tuesday() {
        let mut bh = weekdays_9_18(Sao_Paulo);
        bh.holidays = vec![date(2026, 11, 23)];
        let cal = BusinessCalendar::new(&bh, chrono_tz::UTC);
        let asked = at(Sao_Paulo, 2026, 11, 20, 17, 50);
        assert_eq!(
            cal.seconds_between(asked, at(Sao_Paulo, 2026, 11, 24, 9, 10)),
            1200
        );
        // Answered during the holiday: only Friday's 10 minutes.
        assert_eq!(
            cal.seconds_between(asked, at(Sao_Paulo, 2026, 11, 23, 15, 0)),
            600
        );
    }

    #[test]
    fn interval_past_midnight_belongs_to_its_start_day() {
        let bh = |holidays: Vec<NaiveDate>| BusinessHours {
            timezone: Some(CfgTz(Sao_Paulo)),
            fri: ivs(&["22:00-02:00"]),
            holidays,
            ..Default::default()
        };
        let from = at(Sao_Paulo, 2026, 11, 20, 21, 0); // Friday 21:00
        let to = at(Sao_Paulo, 2026, 11, 21, 3, 0); // Saturday 03:00
        let plain = BusinessCalendar::new(&bh(vec![]), chrono_tz::UTC);
        assert_eq!(plain.seconds_between(from, to), 4 * H);
        // Starting after midnight still finds Friday's interval.
        let sat_0030 = at(Sao_Paulo, 2026, 11, 21, 0, 30);
        assert_eq!(plain.seconds_between(sat_0030, to), 90 * 60);
        let fri_holiday = BusinessCalendar::new(&bh(vec![date(2026, 11, 20)]), chrono_tz::UTC);
        assert_eq!(fri_holiday.seconds_between(from, to), 0);
        let sat_holiday = BusinessCalendar::new(&bh(vec![date(2026, 11, 21)]), chrono_tz::UTC);
        assert_eq!(sat_holiday.seconds_between(from, to), 4 * H);
    }

    #[test]
    fn overlapping_intervals_count_once() {
        let bh = BusinessHours {
            mon: ivs(&["11:00-13:00", "09:00-12:00"]),
            ..Default::default()
        };
        let cal = BusinessCalendar::new(&bh, Sao_Paulo);
        let monday = at(Sao_Paulo, 2026, 11, 23, 0, 0);
        let tuesday = at(Sao_Paulo, 2026, 11, 24, 0, 0);
        assert_eq!(cal.seconds_between(monday, tuesday), 4 * H);
    }

    #[test]
    fn overlap_across_midnight_counts_once() {
        let bh = BusinessHours {
            fri: ivs(&["22:00-02:00"]),
            sat: ivs(&["01:00-03:00"]),
            ..Default::default()
        };
        let cal = BusinessCalendar::new(&bh, Sao_Paulo);
        let from = at(Sao_Paulo, 2026, 11, 20, 0, 0);
        let to = at(Sao_Paulo, 2026, 11, 22, 0, 0);
        assert_eq!(cal.seconds_between(from, to), 5 * H);
    }

    #[test]
    fn dst_days_are_23_and_25_hours() {
        let bh = BusinessHours {
            sun: ivs(&["00:00-24:00"]),
            ..Default::default()
        };
        let cal = BusinessCalendar::new(&bh, New_York);
        // The whole week around each change, so only Sunday counts.
        let spring = cal.seconds_between(
            at(New_York, 2026, 3, 5, 0, 0),
            at(New_York, 2026, 3, 12, 0, 0),
        );
        assert_eq!(spring, 23 * H);
        let fall = cal.seconds_between(
            at(New_York, 2026, 10, 29, 0, 0),
            at(New_York, 2026, 11, 5, 0, 0),
        );
        assert_eq!(fall, 25 * H);
    }

    #[test]
    fn dst_gap_and_repeated_hour_inside_intervals() {
        let cal = |sun: &[&str]| {
            BusinessCalendar::new(
                &BusinessHours {
                    sun: ivs(sun),
                    ..Default::default()
                },
                New_York,
            )
        };
        let spring = (
            at(New_York, 2026, 3, 8, 0, 0),
            at(New_York, 2026, 3, 9, 0, 0),
        );
        let fall = (
            at(New_York, 2026, 11, 1, 0, 0),
            at(New_York, 2026, 11, 2, 0, 0),
        );
        // 02:00-03:00 does not exist on 2026-03-08: 02:30 moves to 03:00 EDT.
        assert_eq!(cal(&["02:30-04:00"]).seconds_between(spring.0, spring.1), H);
        assert_eq!(cal(&["02:15-02:45"]).seconds_between(spring.0, spring.1), 0);
        assert_eq!(cal(&["01:00-03:00"]).seconds_between(spring.0, spring.1), H);
        // 01:00-02:00 happens twice on 2026-11-01: start at the first, end at the second.
        assert_eq!(
            cal(&["01:30-01:45"]).seconds_between(fall.0, fall.1),
            H + 900
        );
        assert_eq!(cal(&["01:00-02:00"]).seconds_between(fall.0, fall.1), 2 * H);
        assert_eq!(cal(&["09:00-18:00"]).seconds_between(fall.0, fall.1), 9 * H);
    }

    #[test]
    fn gap_at_midnight_sao_paulo_2018() {
        // DST started 2018-11-04 at 00:00 (clocks jumped to 01:00).
        let bh = BusinessHours {
            sun: ivs(&["00:00-24:00"]),
            ..Default::default()
        };
        let cal = BusinessCalendar::new(&bh, Sao_Paulo);
        let day = NaiveDate::from_ymd_opt(2018, 11, 4).unwrap();
        let midnight = local_to_epoch_s(
            Sao_Paulo,
            day.and_time(chrono::NaiveTime::MIN),
            Ambiguity::Earliest,
        );
        // 01:00 -02 = 03:00 UTC.
        assert_eq!(
            midnight,
            chrono::Utc
                .with_ymd_and_hms(2018, 11, 4, 3, 0, 0)
                .unwrap()
                .timestamp()
        );
        let week = cal.seconds_between(
            at(Sao_Paulo, 2018, 11, 1, 0, 0),
            at(Sao_Paulo, 2018, 11, 8, 0, 0),
        );
        assert_eq!(week, 23 * H);
    }

    #[test]
    fn half_hour_gap_lord_howe() {
        // Lord Howe Island jumps from 02:00 (+10:30) to 02:30 (+11) on 2026-10-04.
        let tz = chrono_tz::Australia::Lord_Howe;
        let local = date(2026, 10, 4).and_hms_opt(2, 10, 0).unwrap();
        let expected = chrono::Utc
            .with_ymd_and_hms(2026, 10, 3, 15, 30, 0)
            .unwrap()
            .timestamp();
        assert_eq!(local_to_epoch_s(tz, local, Ambiguity::Earliest), expected);
        assert_eq!(local_to_epoch_s(tz, local, Ambiguity::Latest), expected);
        let cal = BusinessCalendar::new(
            &BusinessHours {
                sun: ivs(&["00:00-24:00"]),
                ..Default::default()
            },
            tz,
        );
        let week = cal.seconds_between(at(tz, 2026, 10, 1, 0, 0), at(tz, 2026, 10, 8, 0, 0));
        assert_eq!(week, 24 * H - 1800);
    }

    #[test]
    fn empty_and_degenerate_ranges() {
        let cal = BusinessCalendar::new(&weekdays_9_18(Sao_Paulo), Sao_Paulo);
        let sat = at(Sao_Paulo, 2026, 11, 21, 0, 0);
        let sun_night = at(Sao_Paulo, 2026, 11, 22, 23, 59);
        assert_eq!(
            cal.seconds_between(sat, sun_night),
            0,
            "weekend has no intervals"
        );
        let t = at(Sao_Paulo, 2026, 11, 23, 10, 0);
        assert_eq!(cal.seconds_between(t, t), 0);
        assert_eq!(cal.seconds_between(t + 60_000, t), 0, "reversed range");
        let none = BusinessCalendar::new(&BusinessHours::default(), Sao_Paulo);
        assert!(!none.is_configured());
        assert!(cal.is_configured());
        assert_eq!(none.seconds_between(sat, t), 0);
    }

    #[test]
    fn start_inside_end_outside_and_the_reverse() {
        let cal = BusinessCalendar::new(&weekdays_9_18(Sao_Paulo), Sao_Paulo);
        let mon = |h, m| at(Sao_Paulo, 2026, 11, 23, h, m);
        assert_eq!(cal.seconds_between(mon(17, 0), mon(20, 0)), H);
        assert_eq!(cal.seconds_between(mon(7, 0), mon(9, 30)), 1800);
        assert_eq!(cal.seconds_between(mon(7, 0), mon(8, 30)), 0);
        assert_eq!(cal.seconds_between(mon(10, 0), mon(10, 7)), 420);
        assert!(cal.is_open(mon(9, 0)));
        assert!(!cal.is_open(mon(18, 0)), "ends are exclusive");
        assert!(!cal.is_open(mon(8, 59)));
    }

    #[test]
    fn multi_week_spans() {
        let mut bh = weekdays_9_18(Sao_Paulo);
        let cal = BusinessCalendar::new(&bh, Sao_Paulo);
        let from = at(Sao_Paulo, 2026, 11, 2, 0, 0); // Monday
        let to = at(Sao_Paulo, 2026, 11, 30, 0, 0); // Monday, 4 weeks later
        assert_eq!(cal.seconds_between(from, to), 20 * 9 * H);
        bh.holidays = vec![date(2026, 11, 2), date(2026, 11, 15), date(2026, 11, 20)];
        let cal = BusinessCalendar::new(&bh, Sao_Paulo);
        // 2026-11-15 is a Sunday: nothing to remove.
        assert_eq!(cal.seconds_between(from, to), 18 * 9 * H);
        // A year: 2026 has 261 weekdays.
        let year = cal.seconds_between(
            at(Sao_Paulo, 2026, 1, 1, 0, 0),
            at(Sao_Paulo, 2027, 1, 1, 0, 0),
        );
        assert_eq!(year, (261 - 2) * 9 * H);
    }

    #[test]
    fn zone_defaults_to_the_config_zone() {
        let text = "timezone = \"America/New_York\"\n[business_hours]\nmon = [\"09:00-12:00\", \"13:00-18:00\"]\nsat = [\"09:00-13:00\"]\nholidays = [\"2026-12-26\"]\n";
        let cfg = Config::parse(text).unwrap();
        let bh = cfg.business_hours.as_ref().unwrap();
        let cal = BusinessCalendar::new(bh, cfg.timezone().unwrap());
        assert_eq!(cal.tz(), New_York);
        let from = at(New_York, 2026, 12, 21, 0, 0); // Monday
        let to = at(New_York, 2026, 12, 28, 0, 0);
        assert_eq!(
            cal.seconds_between(from, to),
            8 * H,
            "Saturday is a holiday"
        );
    }

    #[test]
    fn sub_second_instants_round_half_up() {
        let cal = BusinessCalendar::new(&weekdays_9_18(Sao_Paulo), Sao_Paulo);
        let t = at(Sao_Paulo, 2026, 11, 23, 10, 0);
        assert_eq!(cal.millis_between(t, t + 1499), 1499);
        assert_eq!(cal.seconds_between(t, t + 1499), 1);
        assert_eq!(cal.seconds_between(t, t + 1500), 2);
    }

    #[test]
    fn agrees_with_minute_sampling_without_dst() {
        // Irregular schedule: split shifts, overnight, overlap across midnight, a holiday.
        let bh = BusinessHours {
            mon: ivs(&["08:00-12:00", "13:30-18:15"]),
            tue: ivs(&["23:00-01:30"]),
            wed: ivs(&["00:00-03:00", "10:00-10:01"]),
            fri: ivs(&["20:00-04:00"]),
            sat: ivs(&["02:00-06:00"]),
            holidays: vec![date(2026, 6, 12)],
            ..Default::default()
        };
        let cal = BusinessCalendar::new(&bh, Sao_Paulo);
        let open_at = |ms: i64| {
            // Brute force by local wall clock: open if an interval of today or yesterday covers it.
            let local = DateTime::from_timestamp_millis(ms)
                .unwrap()
                .with_timezone(&Sao_Paulo)
                .naive_local();
            let minute = local
                .time()
                .signed_duration_since(chrono::NaiveTime::MIN)
                .num_minutes() as u32;
            let check = |day: NaiveDate, m: u32| {
                !bh.holidays.contains(&day)
                    && merge(match day.weekday().num_days_from_monday() {
                        0 => &bh.mon,
                        1 => &bh.tue,
                        2 => &bh.wed,
                        3 => &bh.thu,
                        4 => &bh.fri,
                        5 => &bh.sat,
                        _ => &bh.sun,
                    })
                    .iter()
                    .any(|&(s, e)| s <= m && m < e)
            };
            check(local.date(), minute) || check(local.date().pred_opt().unwrap(), minute + DAY_MIN)
        };
        let from = at(Sao_Paulo, 2026, 6, 1, 0, 0);
        let to = at(Sao_Paulo, 2026, 6, 22, 0, 0);
        let mut t = from;
        let mut expected = 0;
        while t < to {
            if open_at(t) {
                expected += 60;
            }
            t += 60_000;
        }
        assert_eq!(cal.seconds_between(from, to), expected);
        // And on odd sub-ranges.
        for (a, b) in [(7, 900), (1000, 1441), (3000, 9000), (13_000, 29_000)] {
            let (a, b) = (from + a * 61_000, from + b * 59_000);
            let mut t = a - a.rem_euclid(60_000);
            let mut expected = 0;
            while t < b {
                if open_at(t) {
                    expected += (t + 60_000).min(b) - t.max(a);
                }
                t += 60_000;
            }
            assert_eq!(cal.millis_between(a, b), expected);
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn calendar() -> BusinessCalendar {
            BusinessCalendar::new(
                &BusinessHours {
                    mon: ivs(&["09:00-12:00", "13:00-18:00"]),
                    tue: ivs(&["01:30-02:30", "22:00-03:00"]),
                    sat: ivs(&["00:00-24:00"]),
                    sun: ivs(&["01:00-02:30", "02:00-02:45"]),
                    holidays: vec![date(2026, 11, 3)],
                    ..Default::default()
                },
                New_York,
            )
        }

        // 2025-06-01 .. 2027-06-01, spans up to 40 days.
        const LO: i64 = 1_748_736_000_000;
        const HI: i64 = 1_811_808_000_000;

        proptest! {
            #[test]
            fn additive_and_bounded(a in LO..HI, d1 in 0i64..40 * 86_400_000, d2 in 0i64..3 * 86_400_000) {
                let cal = calendar();
                let (b, c) = (a + d1, a + d1 + d2);
                let ab = cal.millis_between(a, b);
                let bc = cal.millis_between(b, c);
                prop_assert_eq!(ab + bc, cal.millis_between(a, c));
                prop_assert!(ab >= 0 && ab <= b - a);
                // Whole seconds: the rounded seconds are additive too.
                let (a, b, c) = (a / 1000 * 1000, b / 1000 * 1000, c / 1000 * 1000);
                prop_assert_eq!(
                    cal.seconds_between(a, b) + cal.seconds_between(b, c),
                    cal.seconds_between(a, c)
                );
                prop_assert!(cal.seconds_between(a, c) <= (c - a) / 1000);
            }
        }
    }

    #[test]
    fn day_index_agrees_with_the_calendar() {
        let ny = chrono_tz::America::New_York;
        let mut cfg = BusinessHours::default();
        let iv = |a: u32, b: u32| Interval {
            start_min: a,
            end_min: b,
        };
        cfg.mon = vec![iv(9 * 60, 18 * 60)];
        cfg.wed = vec![iv(9 * 60, 12 * 60), iv(13 * 60, 17 * 60)];
        cfg.fri = vec![iv(22 * 60, 2 * 60)];
        cfg.sun = vec![iv(0, 1440)];
        cfg.holidays = vec![NaiveDate::from_ymd_opt(2026, 3, 11).unwrap()];
        let cal = BusinessCalendar::new(&cfg, ny);
        let from = 1_767_225_600_000; // 2026-01-01T00:00:00Z
        let to = from + 400 * 86_400_000;
        let idx = DayIndex::new(&cal, from, to);
        let mut a = from + 7_919_000;
        while a < to {
            for len in [
                59_000,
                3_599_000,
                86_400_000 + 17_000,
                9 * 86_400_000 + 3_000,
                200 * 86_400_000,
            ] {
                assert_eq!(
                    idx.seconds_between(a, a + len),
                    cal.seconds_between(a, a + len),
                    "{a} +{len}"
                );
            }
            a += 3 * 86_400_000 + 3_607_000;
        }
    }
}
