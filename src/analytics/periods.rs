//! Report periods and buckets in the report time zone (SPEC §2 `--since/--until/--period/--by`,
//! §5.7 labels): days, ISO weeks (Monday) and months, all DST-correct.
//!
//! Every boundary is a local midnight in the report zone turned into an instant; a midnight that
//! does not exist (DST starting at 00:00, as in São Paulo until 2019) is the first instant of that
//! day, and one that happens twice is its first occurrence.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

use super::business_hours::{Ambiguity, local_date, local_to_epoch_s};

/// A half-open range of instants `[start_ms, end_ms)`; `None` is unbounded on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeRange {
    /// First instant included, ms since the epoch.
    pub start_ms: Option<i64>,
    /// First instant excluded, ms since the epoch.
    pub end_ms: Option<i64>,
}

impl TimeRange {
    /// The range of every instant.
    pub const ALL: TimeRange = TimeRange {
        start_ms: None,
        end_ms: None,
    };

    /// True when `start_ms <= ts_ms < end_ms` (missing bounds always pass).
    pub fn contains(&self, ts_ms: i64) -> bool {
        self.start_ms.is_none_or(|s| s <= ts_ms) && self.end_ms.is_none_or(|e| ts_ms < e)
    }

    /// The instants in both ranges (for `--period` together with `--since`/`--until`).
    pub fn intersect(&self, other: &TimeRange) -> TimeRange {
        let pick = |a: Option<i64>, b: Option<i64>, f: fn(i64, i64) -> i64| match (a, b) {
            (Some(x), Some(y)) => Some(f(x, y)),
            (x, y) => x.or(y),
        };
        TimeRange {
            start_ms: pick(self.start_ms, other.start_ms, i64::max),
            end_ms: pick(self.end_ms, other.end_ms, i64::min),
        }
    }

    /// True when no instant can be inside (`end <= start`).
    pub fn is_empty(&self) -> bool {
        matches!((self.start_ms, self.end_ms), (Some(s), Some(e)) if e <= s)
    }
}

/// Instant (ms) at which local date `day` starts in `tz`.
pub fn day_start_ms(day: NaiveDate, tz: Tz) -> i64 {
    local_to_epoch_s(tz, day.and_time(NaiveTime::MIN), Ambiguity::Earliest) * 1000
}

/// The day after `day`, saturating at chrono's last date.
fn next_day(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap_or(day)
}

/// `[start of since, start of the day after until)` for inclusive local dates (`--since`,
/// `--until`); a missing date leaves that side open.
pub fn date_range(since: Option<NaiveDate>, until: Option<NaiveDate>, tz: Tz) -> TimeRange {
    TimeRange {
        start_ms: since.map(|d| day_start_ms(d, tz)),
        end_ms: until.map(|d| day_start_ms(next_day(d), tz)),
    }
}

/// Bucket size of `--by day|week|month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grain {
    /// Local calendar day, `2026-11-24`.
    Day,
    /// ISO week starting Monday, `2026-W48` (ISO week-numbering year).
    Week,
    /// Calendar month, `2026-11`.
    Month,
}

impl Grain {
    /// First local date of the bucket that holds `day`.
    pub fn first_day(self, day: NaiveDate) -> NaiveDate {
        match self {
            Grain::Day => day,
            Grain::Week => monday_of(day),
            Grain::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// First local date of the following bucket.
    fn next_first_day(self, day: NaiveDate) -> NaiveDate {
        let first = self.first_day(day);
        match self {
            Grain::Day => next_day(first),
            Grain::Week => first.checked_add_days(Days::new(7)).unwrap_or(first),
            Grain::Month => first.checked_add_months(Months::new(1)).unwrap_or(first),
        }
    }

    /// The label of the bucket holding local date `day`.
    pub fn label(self, day: NaiveDate) -> String {
        match self {
            Grain::Day => day.format("%Y-%m-%d").to_string(),
            Grain::Week => {
                let w = day.iso_week();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Grain::Month => format!("{:04}-{:02}", day.year(), day.month()),
        }
    }
}

impl FromStr for Grain {
    type Err = String;

    /// `day`, `week` or `month`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "day" => Ok(Grain::Day),
            "week" => Ok(Grain::Week),
            "month" => Ok(Grain::Month),
            _ => Err(format!(
                "invalid time grain `{s}`: expected day, week or month"
            )),
        }
    }
}

impl fmt::Display for Grain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Grain::Day => "day",
            Grain::Week => "week",
            Grain::Month => "month",
        })
    }
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    let back = u64::from(day.weekday().num_days_from_monday());
    day.checked_sub_days(Days::new(back)).unwrap_or(day)
}

/// Local date of `ts_ms` in `tz`; instants outside chrono's range clamp to its first/last date.
fn date_of(ts_ms: i64, tz: Tz) -> NaiveDate {
    local_date(ts_ms, tz).unwrap_or(if ts_ms < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// The `period` label of the bucket holding instant `ts_ms` in zone `tz`: `2026-11-24`,
/// `2026-W48` (ISO year: 2027-01-01 is `2026-W53`), `2026-11`.
pub fn bucket_label(ts_ms: i64, tz: Tz, grain: Grain) -> String {
    grain.label(date_of(ts_ms, tz))
}

/// The instant (ms) at which the bucket holding `ts_ms` starts: local midnight of the day, of the
/// ISO week's Monday, or of the month's 1st, in `tz`.
pub fn bucket_start(ts_ms: i64, tz: Tz, grain: Grain) -> i64 {
    day_start_ms(grain.first_day(date_of(ts_ms, tz)), tz)
}

/// The bucket holding `ts_ms` as a range of instants (its end is the next bucket's start).
pub fn bucket_range(ts_ms: i64, tz: Tz, grain: Grain) -> TimeRange {
    let day = date_of(ts_ms, tz);
    TimeRange {
        start_ms: Some(day_start_ms(grain.first_day(day), tz)),
        end_ms: Some(day_start_ms(grain.next_first_day(day), tz)),
    }
}

/// `--period`: a named or relative span of local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Period {
    /// No restriction.
    #[default]
    All,
    /// The ISO week before the one holding `as_of`.
    LastWeek,
    /// The ISO week holding `as_of` (whole week, Monday to Monday).
    ThisWeek,
    /// The calendar month before the one holding `as_of`.
    LastMonth,
    /// The calendar month holding `as_of` (whole month).
    ThisMonth,
    /// ISO week `(year, week)`: `2026-W48`.
    IsoWeek(i32, u32),
    /// Calendar month `(year, month)`: `2026-11`.
    Month(i32, u32),
}

const PERIOD_FORMS: &str = "all, last-week, this-week, last-month, this-month, YYYY-Www (ISO week, e.g. 2026-W48) or YYYY-MM (e.g. 2026-11)";

impl FromStr for Period {
    type Err = String;

    /// `all`, `last-week`, `this-week`, `last-month`, `this-month`, `YYYY-Www`, `YYYY-MM`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = |why: &str| format!("invalid period `{s}`{why}: expected {PERIOD_FORMS}");
        match t.to_ascii_lowercase().as_str() {
            "all" => return Ok(Period::All),
            "last-week" => return Ok(Period::LastWeek),
            "this-week" => return Ok(Period::ThisWeek),
            "last-month" => return Ok(Period::LastMonth),
            "this-month" => return Ok(Period::ThisMonth),
            _ => {}
        }
        let (year, rest) = t.split_once('-').ok_or_else(|| bad(""))?;
        let digits = |x: &str, max_len: usize| {
            (!x.is_empty() && x.len() <= max_len && x.bytes().all(|b| b.is_ascii_digit()))
                .then(|| x.parse::<u32>().ok())
                .flatten()
        };
        if year.len() != 4 {
            return Err(bad(""));
        }
        let year = digits(year, 4).ok_or_else(|| bad(""))? as i32;
        if let Some(week) = rest.strip_prefix(['W', 'w']) {
            let week = digits(week, 2).ok_or_else(|| bad(""))?;
            let weeks = iso_weeks_in(year);
            if !(1..=weeks).contains(&week) {
                return Err(bad(&format!(" ({year} has ISO weeks 01 to {weeks})")));
            }
            Ok(Period::IsoWeek(year, week))
        } else {
            let month = digits(rest, 2).ok_or_else(|| bad(""))?;
            if !(1..=12).contains(&month) {
                return Err(bad(" (months are 01 to 12)"));
            }
            Ok(Period::Month(year, month))
        }
    }
}

impl fmt::Display for Period {
    /// The canonical form `FromStr` accepts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::All => f.write_str("all"),
            Period::LastWeek => f.write_str("last-week"),
            Period::ThisWeek => f.write_str("this-week"),
            Period::LastMonth => f.write_str("last-month"),
            Period::ThisMonth => f.write_str("this-month"),
            Period::IsoWeek(y, w) => write!(f, "{y:04}-W{w:02}"),
            Period::Month(y, m) => write!(f, "{y:04}-{m:02}"),
        }
    }
}

/// Number of ISO weeks (52 or 53) in ISO year `year`.
fn iso_weeks_in(year: i32) -> u32 {
    // December 28 is always in the last ISO week of its year.
    NaiveDate::from_ymd_opt(year, 12, 28).map_or(52, |d| d.iso_week().week())
}

impl Period {
    /// The period as instants, with weeks from Monday 00:00 and months from the 1st 00:00 in
    /// `tz`. Relative periods are taken relative to `as_of_ms` in `tz`; `this-week` and
    /// `this-month` cover the whole week or month, including any part after `as_of`. A week or
    /// month that does not exist (only constructible directly, not parsed) is an empty range.
    pub fn resolve(&self, tz: Tz, as_of_ms: i64) -> TimeRange {
        let today = || date_of(as_of_ms, tz);
        let first_day = match *self {
            Period::All => return TimeRange::ALL,
            Period::ThisWeek => Some(monday_of(today())),
            Period::LastWeek => monday_of(today()).checked_sub_days(Days::new(7)),
            Period::ThisMonth => Some(Grain::Month.first_day(today())),
            Period::LastMonth => Grain::Month
                .first_day(today())
                .checked_sub_months(Months::new(1)),
            Period::IsoWeek(y, w) => NaiveDate::from_isoywd_opt(y, w, Weekday::Mon),
            Period::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
        };
        let grain = match self {
            Period::ThisWeek | Period::LastWeek | Period::IsoWeek(..) => Grain::Week,
            _ => Grain::Month,
        };
        match first_day {
            Some(d) => TimeRange {
                start_ms: Some(day_start_ms(d, tz)),
                end_ms: Some(day_start_ms(grain.next_first_day(d), tz)),
            },
            None => TimeRange {
                start_ms: Some(0),
                end_ms: Some(0),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use chrono_tz::America::{New_York, Sao_Paulo};

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .unwrap()
            .timestamp_millis()
    }

    fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap()
            .timestamp_millis()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const H: i64 = 3_600_000;

    #[test]
    fn labels() {
        let t = local(Sao_Paulo, 2026, 11, 24, 15, 0);
        assert_eq!(bucket_label(t, Sao_Paulo, Grain::Day), "2026-11-24");
        assert_eq!(bucket_label(t, Sao_Paulo, Grain::Week), "2026-W48");
        assert_eq!(bucket_label(t, Sao_Paulo, Grain::Month), "2026-11");
        // The same instant is already the next day in UTC+14.
        let late = local(Sao_Paulo, 2026, 11, 24, 23, 0);
        assert_eq!(
            bucket_label(late, chrono_tz::Pacific::Kiritimati, Grain::Day),
            "2026-11-25"
        );
    }

    #[test]
    fn iso_week_years() {
        let week = |y, m, d| Grain::Week.label(date(y, m, d));
        assert_eq!(week(2026, 12, 31), "2026-W53");
        assert_eq!(week(2027, 1, 1), "2026-W53");
        assert_eq!(week(2027, 1, 3), "2026-W53");
        assert_eq!(week(2027, 1, 4), "2027-W01");
        assert_eq!(week(2021, 1, 3), "2020-W53");
        assert_eq!(week(2024, 12, 30), "2025-W01");
        assert_eq!(Grain::Month.label(date(2027, 1, 1)), "2027-01");
        assert_eq!(iso_weeks_in(2026), 53);
        assert_eq!(iso_weeks_in(2027), 52);
    }

    #[test]
    fn dst_week_is_167_hours() {
        let in_week = local(New_York, 2026, 3, 5, 12, 0); // week of Sunday 2026-03-08
        let r = bucket_range(in_week, New_York, Grain::Week);
        assert_eq!(r.start_ms, Some(local(New_York, 2026, 3, 2, 0, 0)));
        assert_eq!(r.end_ms.unwrap() - r.start_ms.unwrap(), 167 * H);
        let fall = bucket_range(local(New_York, 2026, 10, 28, 12, 0), New_York, Grain::Week);
        assert_eq!(fall.end_ms.unwrap() - fall.start_ms.unwrap(), 169 * H);
        let day = bucket_range(local(New_York, 2026, 3, 8, 12, 0), New_York, Grain::Day);
        assert_eq!(day.end_ms.unwrap() - day.start_ms.unwrap(), 23 * H);
        // São Paulo has had no DST since 2019: every week is 168 h, offset -03.
        let sp = Period::IsoWeek(2026, 11).resolve(Sao_Paulo, 0);
        assert_eq!(sp.start_ms, Some(utc(2026, 3, 9, 3, 0)));
        assert_eq!(sp.end_ms.unwrap() - sp.start_ms.unwrap(), 168 * H);
    }

    #[test]
    fn month_boundaries_in_a_negative_offset_zone() {
        let t = utc(2026, 12, 1, 3, 30); // 2026-12-01 00:30 in São Paulo
        assert_eq!(bucket_label(t, Sao_Paulo, Grain::Month), "2026-12");
        assert_eq!(bucket_label(t, Sao_Paulo, Grain::Day), "2026-12-01");
        assert_eq!(
            bucket_start(t, Sao_Paulo, Grain::Month),
            utc(2026, 12, 1, 3, 0)
        );
        let before = utc(2026, 12, 1, 2, 59); // still November 30 locally
        assert_eq!(bucket_label(before, Sao_Paulo, Grain::Month), "2026-11");
        assert_eq!(
            bucket_label(before, chrono_tz::UTC, Grain::Month),
            "2026-12"
        );
        assert_eq!(
            bucket_start(before, Sao_Paulo, Grain::Month),
            utc(2026, 11, 1, 3, 0)
        );
        assert_eq!(
            bucket_start(t, Sao_Paulo, Grain::Week),
            utc(2026, 11, 30, 3, 0)
        );
        assert_eq!(
            bucket_start(t, Sao_Paulo, Grain::Day),
            utc(2026, 12, 1, 3, 0)
        );
    }

    #[test]
    fn midnight_that_does_not_exist() {
        // São Paulo 2018-11-04: clocks jumped from 00:00 to 01:00 (-02).
        let t = utc(2018, 11, 4, 15, 0);
        assert_eq!(
            bucket_start(t, Sao_Paulo, Grain::Day),
            utc(2018, 11, 4, 3, 0)
        );
        let r = bucket_range(t, Sao_Paulo, Grain::Day);
        assert_eq!(r.end_ms.unwrap() - r.start_ms.unwrap(), 23 * H);
    }

    #[test]
    fn relative_periods() {
        // Tuesday 2026-11-24 15:00 in São Paulo.
        let as_of = local(Sao_Paulo, 2026, 11, 24, 15, 0);
        let r = |p: Period| p.resolve(Sao_Paulo, as_of);
        assert_eq!(
            r(Period::ThisWeek),
            TimeRange {
                start_ms: Some(utc(2026, 11, 23, 3, 0)),
                end_ms: Some(utc(2026, 11, 30, 3, 0))
            }
        );
        assert_eq!(
            r(Period::LastWeek),
            TimeRange {
                start_ms: Some(utc(2026, 11, 16, 3, 0)),
                end_ms: Some(utc(2026, 11, 23, 3, 0))
            }
        );
        assert_eq!(
            r(Period::ThisMonth),
            TimeRange {
                start_ms: Some(utc(2026, 11, 1, 3, 0)),
                end_ms: Some(utc(2026, 12, 1, 3, 0))
            }
        );
        assert_eq!(
            r(Period::LastMonth),
            TimeRange {
                start_ms: Some(utc(2026, 10, 1, 3, 0)),
                end_ms: Some(utc(2026, 11, 1, 3, 0))
            }
        );
        assert_eq!(r(Period::All), TimeRange::ALL);
        assert_eq!(r(Period::IsoWeek(2026, 48)), r(Period::ThisWeek));
        assert_eq!(r(Period::Month(2026, 11)), r(Period::ThisMonth));
        // The zone decides which week `as_of` is in: Monday 02:00 UTC is Sunday 23:00 in São Paulo.
        let monday_utc = utc(2026, 11, 23, 2, 0);
        assert_eq!(
            Period::ThisWeek.resolve(Sao_Paulo, monday_utc).start_ms,
            Some(utc(2026, 11, 16, 3, 0))
        );
        assert_eq!(
            Period::ThisWeek
                .resolve(chrono_tz::UTC, monday_utc)
                .start_ms,
            Some(utc(2026, 11, 23, 0, 0))
        );
        // Across a year boundary.
        let jan = local(Sao_Paulo, 2027, 1, 2, 10, 0);
        assert_eq!(
            Period::LastMonth.resolve(Sao_Paulo, jan),
            Period::Month(2026, 12).resolve(Sao_Paulo, 0)
        );
        assert_eq!(
            Period::ThisWeek.resolve(Sao_Paulo, jan),
            Period::IsoWeek(2026, 53).resolve(Sao_Paulo, 0)
        );
        assert_eq!(
            Period::LastWeek.resolve(Sao_Paulo, jan).start_ms,
            Some(utc(2026, 12, 21, 3, 0))
        );
    }

    #[test]
    fn iso_week_53_and_week_1() {
        let w53 = Period::IsoWeek(2026, 53).resolve(Sao_Paulo, 0);
        assert_eq!(w53.start_ms, Some(utc(2026, 12, 28, 3, 0)));
        assert_eq!(w53.end_ms, Some(utc(2027, 1, 4, 3, 0)));
        let w1 = Period::IsoWeek(2026, 1).resolve(Sao_Paulo, 0);
        assert_eq!(w1.start_ms, Some(utc(2025, 12, 29, 3, 0)));
        let bad = Period::IsoWeek(2027, 53).resolve(Sao_Paulo, 0);
        assert!(bad.is_empty() && !bad.contains(0));
    }

    #[test]
    fn parsing() {
        let p = |s: &str| s.parse::<Period>();
        assert_eq!(p("all"), Ok(Period::All));
        assert_eq!(p("last-week"), Ok(Period::LastWeek));
        assert_eq!(p("this-week"), Ok(Period::ThisWeek));
        assert_eq!(p("last-month"), Ok(Period::LastMonth));
        assert_eq!(p("this-month"), Ok(Period::ThisMonth));
        assert_eq!(p("2026-W48"), Ok(Period::IsoWeek(2026, 48)));
        assert_eq!(p("2026-w05"), Ok(Period::IsoWeek(2026, 5)));
        assert_eq!(p("2026-W53"), Ok(Period::IsoWeek(2026, 53)));
        assert_eq!(p("2026-11"), Ok(Period::Month(2026, 11)));
        assert_eq!(p("2026-1"), Ok(Period::Month(2026, 1)));
        for s in ["2026-W48", "2026-11", "last-month", "all"] {
            assert_eq!(p(s).unwrap().to_string(), s);
        }
        for bad in [
            "",
            "week",
            "2026",
            "2026-13",
            "2026-00",
            "2026-W00",
            "2027-W53",
            "2026-W054",
            "26-11",
            "2026-11-24",
            "2026-W",
            "2026--1",
            "+026-11",
            "lastweek",
        ] {
            let err = p(bad).unwrap_err();
            assert!(err.contains(&format!("`{bad}`")), "{err}");
            assert!(
                err.contains("last-week") && err.contains("YYYY-Www"),
                "{err}"
            );
        }
        assert!(p("2027-W53").unwrap_err().contains("01 to 52"));
        assert_eq!("week".parse::<Grain>(), Ok(Grain::Week));
        assert!(
            "agent"
                .parse::<Grain>()
                .unwrap_err()
                .contains("day, week or month")
        );
    }

    #[test]
    fn date_ranges_are_inclusive_local_dates() {
        let r = date_range(Some(date(2026, 11, 1)), Some(date(2026, 11, 30)), Sao_Paulo);
        assert_eq!(r, Period::Month(2026, 11).resolve(Sao_Paulo, 0));
        assert!(r.contains(utc(2026, 12, 1, 2, 59)), "Nov 30 23:59 local");
        assert!(!r.contains(utc(2026, 12, 1, 3, 0)));
        assert!(!r.contains(utc(2026, 11, 1, 2, 59)));
        assert!(r.contains(utc(2026, 11, 1, 3, 0)));
        let open = date_range(None, Some(date(2026, 3, 8)), New_York);
        assert_eq!(open.start_ms, None);
        assert_eq!(open.end_ms, Some(local(New_York, 2026, 3, 9, 0, 0)));
        assert!(open.contains(i64::MIN));
        assert_eq!(date_range(None, None, New_York), TimeRange::ALL);
        assert!(TimeRange::ALL.contains(0));
    }

    #[test]
    fn intersections() {
        let a = TimeRange {
            start_ms: Some(10),
            end_ms: Some(20),
        };
        let b = TimeRange {
            start_ms: Some(15),
            end_ms: None,
        };
        assert_eq!(
            a.intersect(&b),
            TimeRange {
                start_ms: Some(15),
                end_ms: Some(20)
            }
        );
        assert_eq!(a.intersect(&TimeRange::ALL), a);
        assert!(
            a.intersect(&TimeRange {
                start_ms: Some(25),
                end_ms: None
            })
            .is_empty()
        );
    }
}
