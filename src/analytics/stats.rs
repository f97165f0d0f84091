//! Statistics of response times (SPEC §5.3, §5.7): exact percentiles, means, SLA attainment with
//! right-censored (reply-less) turns, and rounding to whole seconds.

/// Percentile `p` (0 ≤ p ≤ 1) of ascending `sorted` values: linear interpolation between closest
/// ranks (Hyndman–Fan type 7; numpy's default, Excel `PERCENTILE.INC`). With rank
/// `h = (n − 1)·p`, the result is `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋])`.
///
/// None for an empty slice or a `p` outside `[0, 1]` (or NaN). The input is not checked for order.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor();
    let i = lo as usize;
    let x = sorted[i];
    match sorted.get(i + 1) {
        Some(&next) if h > lo => Some(x + (h - lo) * (next - x)),
        _ => Some(x),
    }
}

/// Arithmetic mean; None for an empty slice.
pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// `x` rounded to the nearest integer, halves up (towards +∞): 2.5 → 3, −2.5 → −2. NaN → 0;
/// values beyond `i64` saturate. Used to print durations as whole seconds.
pub fn round_half_up(x: f64) -> i64 {
    let f = x.floor();
    // `x - floor(x)` is exact, unlike `x + 0.5` (0.49999999999999994 + 0.5 == 1.0).
    let r = if x - f >= 0.5 { f + 1.0 } else { f };
    r as i64
}

/// Milliseconds to whole seconds, halves up, in integer arithmetic.
pub fn ms_to_s(ms: i64) -> i64 {
    ms.saturating_add(500).div_euclid(1000)
}

/// The statistics printed for a set of answered turns (SPEC §5.3): n, mean, p50, p90, p95, max.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// Mean; None when `n == 0`.
    pub mean: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
}

impl Summary {
    /// Summarises values in any order (they are sorted here; NaN must not occur).
    pub fn of(mut values: Vec<f64>) -> Summary {
        values.sort_unstable_by(f64::total_cmp);
        Summary::of_sorted(&values)
    }

    /// Summarises values already in ascending order.
    pub fn of_sorted(sorted: &[f64]) -> Summary {
        Summary {
            n: sorted.len(),
            mean: mean(sorted),
            p50: percentile(sorted, 0.5),
            p90: percentile(sorted, 0.9),
            p95: percentile(sorted, 0.95),
            max: sorted.last().copied(),
        }
    }
}

/// What is known about one customer turn at `as_of`, on one clock (calendar or business).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TurnOutcome {
    /// Answered after `rt_s` seconds (RT on the clock used).
    Answered {
        /// Response time, seconds.
        rt_s: f64,
    },
    /// No reply (pending or unanswered): its age at `as_of` on the same clock.
    Unreplied {
        /// Age at `as_of`, seconds.
        age_s: f64,
    },
}

impl TurnOutcome {
    /// `Answered` when `rt_s` is Some, else `Unreplied` with `age_s`.
    pub fn new(rt_s: Option<f64>, age_s: f64) -> TurnOutcome {
        match rt_s {
            Some(rt_s) => TurnOutcome::Answered { rt_s },
            None => TurnOutcome::Unreplied { age_s },
        }
    }
}

/// SLA attainment counts at one threshold: the numerator and denominator that are printed with
/// the rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlaCount {
    /// Answered turns with RT ≤ X.
    pub met: u64,
    /// Turns whose outcome is known at X: answered, or unreplied with age ≥ X.
    pub decidable: u64,
}

impl SlaCount {
    /// `met ÷ decidable`; None when nothing is decidable.
    pub fn rate(&self) -> Option<f64> {
        (self.decidable > 0).then(|| self.met as f64 / self.decidable as f64)
    }

    /// Adds one turn's outcome at threshold `threshold_s`.
    pub fn add(&mut self, turn: TurnOutcome, threshold_s: f64) {
        match turn {
            TurnOutcome::Answered { rt_s } => {
                self.decidable += 1;
                if rt_s <= threshold_s {
                    self.met += 1;
                }
            }
            // Unreplied for at least X: a miss, whatever happens later.
            TurnOutcome::Unreplied { age_s } if age_s >= threshold_s => self.decidable += 1,
            // Younger than X: could still be met; counts in neither.
            TurnOutcome::Unreplied { .. } => {}
        }
    }
}

/// [`SlaCount`] of `turns` at threshold `threshold_s` (SPEC §5.3; on the business clock pass
/// business-clock RTs and ages, so a reply-less turn is decidable when its business age reaches X).
pub fn sla_counts(turns: &[TurnOutcome], threshold_s: f64) -> SlaCount {
    let mut c = SlaCount::default();
    for &t in turns {
        c.add(t, threshold_s);
    }
    c
}

/// SLA attainment at X = answered turns with RT ≤ X ÷ turns whose outcome is known at X
/// (answered, or unreplied for at least X). Pending turns younger than X count in neither. None
/// when the denominator is 0.
pub fn sla_attainment(turns: &[TurnOutcome], threshold_s: f64) -> Option<f64> {
    sla_counts(turns, threshold_s).rate()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn percentiles_by_hand() {
        let x = [1.0, 2.0, 3.0, 4.0];
        // h = 3 · 0.9 = 2.7 → 3 + 0.7 · (4 − 3)
        assert!(close(percentile(&x, 0.9), 3.7));
        // h = 1.5 → 2.5
        assert!(close(percentile(&x, 0.5), 2.5));
        let y = [15.0, 20.0, 35.0, 40.0, 50.0];
        // h = 4 · 0.4 = 1.6 → 20 + 0.6 · 15
        assert!(close(percentile(&y, 0.4), 29.0));
        assert_eq!(percentile(&y, 0.5), Some(35.0));
        // h = 3.8 → 40 + 0.8 · 10
        assert!(close(percentile(&y, 0.95), 48.0));
        assert_eq!(percentile(&y, 0.0), Some(15.0));
        assert_eq!(percentile(&y, 1.0), Some(50.0));
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
        assert_eq!(percentile(&[7.0], 0.0), Some(7.0));
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&y, 1.5), None);
        assert_eq!(percentile(&y, -0.1), None);
        assert_eq!(percentile(&y, f64::NAN), None);
        // Ties.
        assert_eq!(percentile(&[0.0, 0.0, 0.0, 60.0], 0.5), Some(0.0));
    }

    #[test]
    fn means_and_summaries() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
        let s = Summary::of(vec![50.0, 15.0, 40.0, 20.0, 35.0]);
        assert_eq!(s.n, 5);
        assert_eq!(s.mean, Some(32.0));
        assert_eq!(s.p50, Some(35.0));
        assert!(close(s.p90, 46.0));
        assert!(close(s.p95, 48.0));
        assert_eq!(s.max, Some(50.0));
        assert_eq!(
            Summary::of(vec![]),
            Summary {
                n: 0,
                ..Summary::default()
            }
        );
    }

    #[test]
    fn rounding() {
        assert_eq!(round_half_up(2.5), 3);
        assert_eq!(round_half_up(2.4999), 2);
        assert_eq!(round_half_up(0.49999999999999994), 0);
        assert_eq!(round_half_up(-2.5), -2);
        assert_eq!(round_half_up(-2.6), -3);
        assert_eq!(round_half_up(29.0), 29);
        assert_eq!(round_half_up(f64::NAN), 0);
        assert_eq!(round_half_up(1e300), i64::MAX);
        assert_eq!(ms_to_s(1499), 1);
        assert_eq!(ms_to_s(1500), 2);
        assert_eq!(ms_to_s(-1500), -1);
        assert_eq!(ms_to_s(0), 0);
    }

    #[test]
    fn sla_by_hand() {
        use TurnOutcome::*;
        let turns = [
            Answered { rt_s: 60.0 },       // met at 5m and 15m
            Answered { rt_s: 300.0 },      // exactly 5m: met
            Answered { rt_s: 600.0 },      // missed 5m, met 15m
            Answered { rt_s: 7200.0 },     // missed both
            Unreplied { age_s: 120.0 },    // pending, younger than both: in neither
            Unreplied { age_s: 600.0 },    // 10 min old: a 5m miss, undecided at 15m
            Unreplied { age_s: 90_000.0 }, // unanswered: a miss at both
        ];
        // 5m: met 2 of (4 answered + 2 old enough) = 2/6.
        assert_eq!(
            sla_counts(&turns, 300.0),
            SlaCount {
                met: 2,
                decidable: 6
            }
        );
        assert!(close(sla_attainment(&turns, 300.0), 2.0 / 6.0));
        // 15m: met 3 of (4 answered + 1 unanswered) = 3/5.
        assert_eq!(
            sla_counts(&turns, 900.0),
            SlaCount {
                met: 3,
                decidable: 5
            }
        );
        assert!(close(sla_attainment(&turns, 900.0), 0.6));
        // Age exactly X is decidable.
        assert_eq!(
            sla_counts(&[Unreplied { age_s: 900.0 }], 900.0),
            SlaCount {
                met: 0,
                decidable: 1
            }
        );
        // Only young pending turns: nothing decidable.
        assert_eq!(sla_attainment(&[Unreplied { age_s: 10.0 }], 300.0), None);
        assert_eq!(sla_attainment(&[], 300.0), None);
        assert_eq!(TurnOutcome::new(Some(5.0), 99.0), Answered { rt_s: 5.0 });
        assert_eq!(TurnOutcome::new(None, 99.0), Unreplied { age_s: 99.0 });
    }

    proptest! {
        #[test]
        fn percentile_monotone_and_bounded(
            mut xs in prop::collection::vec(0.0f64..1e7, 1..60),
            p in 0.0f64..=1.0,
            q in 0.0f64..=1.0,
        ) {
            xs.sort_by(f64::total_cmp);
            let (lo, hi) = (p.min(q), p.max(q));
            let a = percentile(&xs, lo).unwrap();
            let b = percentile(&xs, hi).unwrap();
            prop_assert!(a <= b, "p{lo} = {a} > p{hi} = {b}");
            prop_assert!(xs[0] <= a && b <= xs[xs.len() - 1]);
        }

        #[test]
        fn sla_rate_is_a_fraction_and_grows_with_the_threshold(
            rts in prop::collection::vec(prop::option::of(0.0f64..1e5), 0..40),
            x in 0.0f64..1e5,
        ) {
            let turns: Vec<_> = rts.iter().map(|&r| TurnOutcome::new(r, 5e4)).collect();
            let c = sla_counts(&turns, x);
            prop_assert!(c.met <= c.decidable && c.decidable as usize <= turns.len());
            // All turns answered: the rate never falls as X grows.
            let answered: Vec<_> = turns.iter().copied().filter(|t| matches!(t, TurnOutcome::Answered { .. })).collect();
            if let (Some(r1), Some(r2)) = (sla_attainment(&answered, x), sla_attainment(&answered, x * 2.0)) {
                prop_assert!(r1 <= r2);
            }
        }
    }
}
