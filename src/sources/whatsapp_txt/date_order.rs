//! Day/month order of a file (SPEC §3.1, FORMATS.md §6).
//!
//! The year component is fixed by the template (the 4-digit or era component,
//! else the last one). The two other components, in file order, are `a` and `b`:
//! *day first* means `a` is the day. Strategy, over the whole file:
//! 1. evidence: a component above 12 (and at most 31) can only be a day;
//! 2. chronology: the reading with clearly fewer large backward jumps wins;
//! 3. the caller's fallback;
//! 4. otherwise [`ExportError::AmbiguousDateOrder`].

use chrono::{Datelike, NaiveDate};

use super::{DateOrder, DateOrderBasis, ExportError};

/// A backward step larger than this counts as a jump in the chronology test.
/// Exports are locally out of order by minutes; a wrong d/m reading jumps by
/// weeks or months at every month boundary.
const BIG_JUMP_MINUTES: i64 = 24 * 60;

/// The date components and minute-of-day of one header, as scanned.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stamp {
    pub comps: [u32; 3],
    pub minute_of_day: u32,
}

/// Positions of the year and of the two other components.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    pub year: usize,
    pub a: usize,
    pub b: usize,
}

impl Layout {
    /// Layout for a template whose year sits at `year`.
    pub fn new(year: usize) -> Layout {
        let (a, b) = match year {
            0 => (1, 2),
            1 => (0, 2),
            _ => (0, 1),
        };
        Layout { year, a, b }
    }

    /// The calendar date of `comps` under a reading; None when impossible.
    pub fn date(&self, comps: &[u32; 3], day_first: bool) -> Option<NaiveDate> {
        let y = comps[self.year];
        let year = if y < 100 { 2000 + y } else { y };
        let (d, m) = if day_first {
            (comps[self.a], comps[self.b])
        } else {
            (comps[self.b], comps[self.a])
        };
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, m, d)
    }
}

/// Decides the order. Returns `day_first` (the first non-year component is the
/// day), the public [`DateOrder`] and how it was decided.
pub(crate) fn decide<I>(
    stamps: I,
    layout: Layout,
    fallback: Option<DateOrder>,
) -> Result<(bool, DateOrder, DateOrderBasis), ExportError>
where
    I: Iterator<Item = Stamp> + Clone,
{
    // A leading year is always read year/month/day (`y/d/m` is not seen in real exports).
    if layout.year == 0 {
        return Ok((false, DateOrder::Ymd, DateOrderBasis::Evidence));
    }
    let public = |day_first: bool| {
        if day_first {
            DateOrder::Dmy
        } else {
            DateOrder::Mdy
        }
    };
    let (mut a_big, mut b_big, mut all_equal) = (0usize, 0usize, true);
    for s in stamps.clone() {
        let (a, b) = (s.comps[layout.a], s.comps[layout.b]);
        if (13..=31).contains(&a) {
            a_big += 1;
        }
        if (13..=31).contains(&b) {
            b_big += 1;
        }
        if a != b {
            all_equal = false;
        }
    }
    // Conflicting evidence (a pasted date of another shape that still matched
    // the template) is settled by the majority; the minority lines then have
    // impossible dates and become continuation lines.
    if a_big > b_big {
        return Ok((true, DateOrder::Dmy, DateOrderBasis::Evidence));
    }
    if b_big > a_big {
        return Ok((false, DateOrder::Mdy, DateOrderBasis::Evidence));
    }
    if a_big == 0 && all_equal {
        // Every date reads the same both ways (1/1, 2/2, …): nothing to decide.
        return Ok((true, DateOrder::Dmy, DateOrderBasis::Evidence));
    }
    let jumps_dmy = backward_jumps(stamps.clone(), layout, true);
    let jumps_mdy = backward_jumps(stamps, layout, false);
    let clearly_fewer = |w: usize, l: usize| w < l && w * 2 <= l;
    if clearly_fewer(jumps_dmy, jumps_mdy) {
        return Ok((true, DateOrder::Dmy, DateOrderBasis::Chronology));
    }
    if clearly_fewer(jumps_mdy, jumps_dmy) {
        return Ok((false, DateOrder::Mdy, DateOrderBasis::Chronology));
    }
    match fallback {
        Some(DateOrder::Dmy) => Ok((true, public(true), DateOrderBasis::Fallback)),
        Some(DateOrder::Mdy) => Ok((false, public(false), DateOrderBasis::Fallback)),
        Some(DateOrder::Ymd) | None => Err(ExportError::AmbiguousDateOrder),
    }
}

/// Number of backward steps larger than [`BIG_JUMP_MINUTES`] under a reading
/// (impossible dates count as jumps).
fn backward_jumps(stamps: impl Iterator<Item = Stamp>, layout: Layout, day_first: bool) -> usize {
    let mut prev: Option<i64> = None;
    let mut jumps = 0;
    for s in stamps {
        let Some(d) = layout.date(&s.comps, day_first) else {
            jumps += 1;
            continue;
        };
        let t = i64::from(d.num_days_from_ce()) * 1440 + i64::from(s.minute_of_day);
        if let Some(p) = prev
            && p - t > BIG_JUMP_MINUTES
        {
            jumps += 1;
        }
        prev = Some(t);
    }
    jumps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(a: u32, b: u32, y: u32) -> Stamp {
        Stamp {
            comps: [a, b, y],
            minute_of_day: 600,
        }
    }

    fn run(
        stamps: &[Stamp],
        fb: Option<DateOrder>,
    ) -> Result<(DateOrder, DateOrderBasis), ExportError> {
        decide(stamps.iter().copied(), Layout::new(2), fb).map(|(_, o, b)| (o, b))
    }

    #[test]
    fn evidence_both_ways() {
        assert_eq!(
            run(&[st(3, 4, 24), st(13, 4, 24)], None),
            Ok((DateOrder::Dmy, DateOrderBasis::Evidence))
        );
        assert_eq!(
            run(&[st(3, 4, 24), st(4, 13, 24)], None),
            Ok((DateOrder::Mdy, DateOrderBasis::Evidence))
        );
        // majority wins when a stray line contradicts
        assert_eq!(
            run(&[st(13, 4, 24), st(14, 4, 24), st(4, 20, 24)], None),
            Ok((DateOrder::Dmy, DateOrderBasis::Evidence))
        );
    }

    #[test]
    fn chronology_decides() {
        // d/m: 12 Jan then 1 Feb; read m/d it jumps from 1 Dec back to 2 Jan.
        assert_eq!(
            run(&[st(12, 1, 23), st(1, 2, 23)], None),
            Ok((DateOrder::Dmy, DateOrderBasis::Chronology))
        );
        // m/d: Jan 12 then Feb 1 written 1/12, 2/1.
        assert_eq!(
            run(&[st(1, 12, 23), st(2, 1, 23)], None),
            Ok((DateOrder::Mdy, DateOrderBasis::Chronology))
        );
    }

    #[test]
    fn fallback_and_ambiguous() {
        let one = [st(3, 4, 24), st(3, 4, 24)];
        assert_eq!(run(&one, None), Err(ExportError::AmbiguousDateOrder));
        assert_eq!(
            run(&one, Some(DateOrder::Mdy)),
            Ok((DateOrder::Mdy, DateOrderBasis::Fallback))
        );
        assert_eq!(
            run(&one, Some(DateOrder::Ymd)),
            Err(ExportError::AmbiguousDateOrder)
        );
        // same-both-ways dates need no fallback
        assert_eq!(
            run(&[st(1, 1, 21), st(2, 2, 21)], None),
            Ok((DateOrder::Dmy, DateOrderBasis::Evidence))
        );
    }

    #[test]
    fn year_first_and_middle() {
        let r = decide(
            [Stamp {
                comps: [2019, 1, 30],
                minute_of_day: 0,
            }]
            .into_iter(),
            Layout::new(0),
            None,
        );
        assert_eq!(r, Ok((false, DateOrder::Ymd, DateOrderBasis::Evidence)));
        // `06/2018/13`: year in the middle, 13 is the day -> month first.
        let r = decide(
            [Stamp {
                comps: [6, 2018, 13],
                minute_of_day: 0,
            }]
            .into_iter(),
            Layout::new(1),
            None,
        );
        assert_eq!(r, Ok((false, DateOrder::Mdy, DateOrderBasis::Evidence)));
        assert_eq!(
            Layout::new(1).date(&[6, 2018, 13], false),
            NaiveDate::from_ymd_opt(2018, 6, 13)
        );
    }
}
