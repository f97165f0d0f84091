//! Revenue attribution (SPEC §5.4, §5.7): which sessions touched an order, the model weights,
//! and the split of money in integer minor units by the largest-remainder rule.
//!
//! Pure functions over plain values: the caller gathers, per order, the sessions of the order's
//! person (message times and whether the customer wrote) and gets back the credits.
//! [`attribute_orders`] does that for every stored order against sessionized conversations.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use super::orders::OrderFact;
use super::sessions::Conversations;

/// An attribution model (`--model`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// All credit to the latest touch.
    Last,
    /// All credit to the earliest touch.
    First,
    /// Equal shares per touch (session).
    Linear,
    /// 40 % first, 40 % last, 20 % shared equally by the middle touches; one touch 100 %, two
    /// 50/50.
    Position,
    /// Weight `2^(−Δt / half_life)` with `Δt = created − touch`, normalised to sum 1.
    TimeDecay {
        /// The half-life in ms (default 7 d). A half-life ≤ 0 is the limit towards 0: the
        /// touches nearest the order share all credit equally.
        half_life_ms: i64,
    },
}

/// One eligible touch of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Touch {
    /// The caller's session index.
    pub session: usize,
    /// The session's last message at or before the order's creation, ms since the epoch.
    pub touch_ms: i64,
}

/// One session of the order's person, as attribution sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CandidateSession<'a> {
    /// The caller's session index, handed back in [`Touch::session`] and [`Credit::session`].
    pub session: usize,
    /// The session holds at least one inbound message (only such sessions are touches).
    pub has_inbound: bool,
    /// The session's message times, ms since the epoch, ascending.
    pub message_times_ms: &'a [i64],
}

/// The eligible touches of an order created at `created_ms` (SPEC §5.4): sessions with at least
/// one inbound message and a message in `[created − window, created]`, both ends inclusive. The
/// touch time is the session's last message at or before `created`, so a session that goes on
/// after the order is credited as of the order, and a session that starts after it gets nothing.
///
/// Returned ascending by (touch time, session). `message_times_ms` must be ascending; a negative
/// window makes nothing eligible.
pub fn eligible_touches(
    candidates: &[CandidateSession<'_>],
    created_ms: i64,
    window_ms: i64,
) -> Vec<Touch> {
    let from_ms = created_ms.saturating_sub(window_ms);
    let mut touches: Vec<Touch> = candidates
        .iter()
        .filter(|c| c.has_inbound)
        .filter_map(|c| {
            debug_assert!(c.message_times_ms.is_sorted(), "message times must ascend");
            let upto = c.message_times_ms.partition_point(|&t| t <= created_ms);
            let last = *c.message_times_ms[..upto].last()?;
            (last >= from_ms).then_some(Touch {
                touch_ms: last,
                session: c.session,
            })
        })
        .collect();
    touches.sort_unstable_by_key(|t| (t.touch_ms, t.session));
    touches
}

/// The weight of each touch under `model`, in the order of `touches` (which must be ascending by
/// time, as [`eligible_touches`] returns them). The weights are ≥ 0 and sum to 1; empty for no
/// touches. `last` and `first` give 1 to the last and first entry (so among touches at the same
/// instant, the higher and lower session index).
pub fn weights(model: Model, touches: &[Touch], created_ms: i64) -> Vec<f64> {
    let n = touches.len();
    if n == 0 {
        return Vec::new();
    }
    let mut w = vec![0.0; n];
    match model {
        Model::Last => w[n - 1] = 1.0,
        Model::First => w[0] = 1.0,
        Model::Linear => w.fill(1.0 / n as f64),
        Model::Position => match n {
            1 => w[0] = 1.0,
            2 => w.fill(0.5),
            _ => {
                w.fill(0.2 / (n - 2) as f64);
                w[0] = 0.4;
                w[n - 1] = 0.4;
            }
        },
        Model::TimeDecay { half_life_ms } => {
            // Relative to the nearest touch, so the largest weight is 1 before normalising and
            // far touches underflow to 0 without the sum ever doing so.
            let age = |t: &Touch| created_ms as f64 - t.touch_ms as f64;
            let nearest = touches.iter().map(age).fold(f64::INFINITY, f64::min);
            for (wi, t) in w.iter_mut().zip(touches) {
                let behind = age(t) - nearest;
                *wi = if half_life_ms > 0 {
                    (-behind / half_life_ms as f64).exp2()
                } else if behind == 0.0 {
                    1.0
                } else {
                    0.0
                };
            }
            let sum: f64 = w.iter().sum();
            w.iter_mut().for_each(|wi| *wi /= sum);
        }
    }
    w
}

/// Resolution of the weights in [`split_minor`]: 2⁻⁵² of the total weight.
const WEIGHT_UNITS: f64 = (1u64 << 52) as f64;

/// Splits `amount_minor` in proportion to `weights` by the largest-remainder rule: each part
/// first gets the floor of its exact share, then the units left over go one each to the parts with
/// the largest remainders, ties to the earlier part (lower index). The parts sum exactly to the
/// amount, and a zero weight gets 0. A negative amount is split as its magnitude and negated, so
/// −1000 in thirds is −334/−333/−333.
///
/// The weights are normalised by their sum and taken at a resolution of 2⁻⁵² (exact integer
/// arithmetic from there on), so weights that differ only by floating-point noise tie.
///
/// # Panics
/// If a weight is negative or not finite, or if `amount_minor ≠ 0` and no weight is positive
/// (there is nothing to split it over).
pub fn split_minor(amount_minor: i64, weights: &[f64]) -> Vec<i64> {
    assert!(
        weights.iter().all(|w| w.is_finite() && *w >= 0.0),
        "split_minor: weights must be finite and non-negative: {weights:?}"
    );
    let sum: f64 = weights.iter().sum();
    if amount_minor == 0 {
        return vec![0; weights.len()];
    }
    assert!(
        sum > 0.0,
        "split_minor: no positive weight to split {amount_minor} over"
    );
    let units: Vec<i128> = weights
        .iter()
        .map(|w| (w / sum * WEIGHT_UNITS).round() as i128)
        .collect();
    let denominator: i128 = units.iter().sum();
    // Each unit count ≤ 2⁵², the magnitude ≤ 2⁶³: products < 2¹¹⁵, no overflow.
    let magnitude = i128::from(amount_minor).abs();
    let mut parts: Vec<i128> = units.iter().map(|u| magnitude * u / denominator).collect();
    let mut left = magnitude - parts.iter().sum::<i128>();
    // left < the number of parts with a positive remainder, which all have a positive weight.
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(magnitude * units[i] % denominator), i));
    for &i in &order {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    debug_assert_eq!(left, 0);
    let sign = amount_minor.signum() as i128;
    parts
        .into_iter()
        .map(|p| i64::try_from(sign * p).expect("a part is at most the amount"))
        .collect()
}

/// Why an order has no credit (SPEC §5.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unattributed {
    /// The order has no phone or e-mail.
    NoPerson,
    /// The order's person has no session.
    NoConversation,
    /// The person has sessions, none eligible.
    OutsideWindow,
}

impl Unattributed {
    /// `no_person`, `no_conversation` or `outside_window`.
    pub fn as_str(self) -> &'static str {
        match self {
            Unattributed::NoPerson => "no_person",
            Unattributed::NoConversation => "no_conversation",
            Unattributed::OutsideWindow => "outside_window",
        }
    }
}

/// The credit of one session for one order (an `attribute` row).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Credit {
    /// The caller's session index.
    pub session: usize,
    /// The model weight, > 0.
    pub weight: f64,
    /// This session's part of the order total, minor units (0 unless revenue counts).
    pub gross_minor: i64,
    /// This session's part of the refunded amount, split with the same weights and rule.
    pub refunds_minor: i64,
    /// `gross_minor − refunds_minor`.
    pub net_minor: i64,
    /// The touch time: the session's last message at or before the order's creation.
    pub touch_ms: i64,
}

/// What attribution made of one order.
#[derive(Debug, Clone, PartialEq)]
pub enum Attribution {
    /// One credit per touch with weight > 0, ascending by touch time; never empty.
    Credited(Vec<Credit>),
    /// No eligible touch, and why.
    Unattributed(Unattributed),
}

/// Attributes one order (SPEC §5.4, §5.7).
///
/// `person_known` false gives [`Unattributed::NoPerson`]; no `candidates` (the person has no
/// session) [`Unattributed::NoConversation`]; candidates but no eligible touch (including a person
/// whose sessions never had an inbound message) [`Unattributed::OutsideWindow`]. Otherwise every
/// touch with weight > 0 gets a credit: the total is split by the weights with [`split_minor`],
/// the refunded amount is split with the same weights by the same rule, and `net = gross −
/// refunds` on every credit.
///
/// `revenue_counts` is true for the paid statuses (`paid`, `partially_refunded`, `refunded`):
/// `pending` and `cancelled` orders get their credits and weights with all money 0.
#[allow(clippy::too_many_arguments)]
pub fn attribute(
    person_known: bool,
    candidates: &[CandidateSession<'_>],
    created_ms: i64,
    window_ms: i64,
    model: Model,
    total_minor: i64,
    refunded_minor: i64,
    revenue_counts: bool,
) -> Attribution {
    if !person_known {
        return Attribution::Unattributed(Unattributed::NoPerson);
    }
    if candidates.is_empty() {
        return Attribution::Unattributed(Unattributed::NoConversation);
    }
    let touches = eligible_touches(candidates, created_ms, window_ms);
    if touches.is_empty() {
        return Attribution::Unattributed(Unattributed::OutsideWindow);
    }
    let w = weights(model, &touches, created_ms);
    let (gross, refunds) = if revenue_counts {
        (total_minor, refunded_minor)
    } else {
        (0, 0)
    };
    let gross = split_minor(gross, &w);
    let refunds = split_minor(refunds, &w);
    let credits = touches
        .iter()
        .enumerate()
        .filter(|&(i, _)| w[i] > 0.0)
        .map(|(i, t)| Credit {
            session: t.session,
            weight: w[i],
            gross_minor: gross[i],
            refunds_minor: refunds[i],
            net_minor: gross[i] - refunds[i],
            touch_ms: t.touch_ms,
        })
        .collect();
    Attribution::Credited(credits)
}

/// Where each person's sessions are in [`Conversations::sessions`] (they are contiguous there).
pub fn sessions_by_person(conv: &Conversations) -> HashMap<&str, Range<usize>> {
    let mut index: HashMap<&str, Range<usize>> = HashMap::new();
    for (i, s) in conv.sessions.iter().enumerate() {
        index
            .entry(s.person.as_str())
            .and_modify(|r| r.end = i + 1)
            .or_insert(i..i + 1);
    }
    index
}

/// Attributes every order to the sessions of `conv` (SPEC §5.4), in parallel; the result is
/// parallel to `orders`. Session indices in the credits are indices of `conv.sessions`.
///
/// Only the sessions of the order's person that overlap `[created − window, created]` are
/// looked at (two binary searches: a person's sessions are ordered and do not overlap), so the
/// work is linear in orders, not orders × sessions.
pub fn attribute_orders(
    conv: &Conversations,
    orders: &[OrderFact],
    model: Model,
    window_ms: i64,
) -> Vec<Attribution> {
    orders
        .par_iter()
        .map(|o| {
            let Some(person) = o.person.as_deref() else {
                return attribute(false, &[], 0, 0, model, 0, 0, false);
            };
            let Some(range) = conv.sessions_of(person) else {
                return Attribution::Unattributed(Unattributed::NoConversation);
            };
            let own = &conv.sessions[range.clone()];
            let from_ms = o.created_ms.saturating_sub(window_ms);
            // Sessions ending before the window opens, or starting after the order, get nothing.
            let lo = own.partition_point(|s| s.end_ms < from_ms);
            let hi = own.partition_point(|s| s.start_ms <= o.created_ms);
            let candidates: Vec<CandidateSession<'_>> = (lo..hi.max(lo))
                .map(|i| {
                    let session = range.start + i;
                    CandidateSession {
                        session,
                        has_inbound: own[i].messages_in > 0,
                        message_times_ms: conv.times_of(session),
                    }
                })
                .collect();
            if candidates.is_empty() {
                return Attribution::Unattributed(Unattributed::OutsideWindow);
            }
            attribute(
                true,
                &candidates,
                o.created_ms,
                window_ms,
                model,
                o.total_minor,
                o.refunded_minor,
                o.is_paid(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;
    const D: i64 = 24 * H;
    const WEEK: i64 = 7 * D;
    /// The order's creation time in most tests.
    const T: i64 = 100 * D;

    fn cand(session: usize, has_inbound: bool, times: &[i64]) -> CandidateSession<'_> {
        CandidateSession {
            session,
            has_inbound,
            message_times_ms: times,
        }
    }

    fn touches_at(times: &[i64]) -> Vec<Touch> {
        times
            .iter()
            .enumerate()
            .map(|(session, &touch_ms)| Touch { session, touch_ms })
            .collect()
    }

    fn assert_close(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?} vs {want:?}");
        }
    }

    fn credits(a: Attribution) -> Vec<Credit> {
        match a {
            Attribution::Credited(c) => c,
            other => panic!("expected credits, got {other:?}"),
        }
    }

    // ---- eligible_touches

    #[test]
    fn window_start_is_inclusive() {
        let at_edge = [T - WEEK];
        let before_edge = [T - WEEK - 1];
        let c = [cand(0, true, &at_edge), cand(1, true, &before_edge)];
        assert_eq!(
            eligible_touches(&c, T, WEEK),
            vec![Touch {
                session: 0,
                touch_ms: T - WEEK
            }]
        );
    }

    #[test]
    fn window_end_is_inclusive_and_later_sessions_get_nothing() {
        let at_order = [T - H, T];
        let after = [T + 1, T + H];
        let c = [cand(0, true, &at_order), cand(1, true, &after)];
        assert_eq!(
            eligible_touches(&c, T, WEEK),
            vec![Touch {
                session: 0,
                touch_ms: T
            }]
        );
    }

    #[test]
    fn a_session_without_inbound_is_no_touch() {
        let times = [T - H];
        let c = [cand(0, false, &times)];
        assert!(eligible_touches(&c, T, WEEK).is_empty());
    }

    #[test]
    fn touch_time_is_the_last_message_at_or_before_the_order() {
        // Starts before the window, goes on across the order.
        let times = [T - 10 * D, T - 2 * H, T - H, T + H, T + 2 * D];
        let c = [cand(7, true, &times)];
        assert_eq!(
            eligible_touches(&c, T, WEEK),
            vec![Touch {
                session: 7,
                touch_ms: T - H
            }]
        );
    }

    #[test]
    fn a_session_straddling_the_window_start_counts_by_its_later_message() {
        let straddles = [T - 8 * D, T - 6 * D];
        let outside = [T - 9 * D, T - 8 * D];
        let c = [cand(0, true, &straddles), cand(1, true, &outside)];
        assert_eq!(
            eligible_touches(&c, T, WEEK),
            vec![Touch {
                session: 0,
                touch_ms: T - 6 * D
            }]
        );
    }

    #[test]
    fn touches_are_sorted_by_time_then_session() {
        let a = [T - D];
        let b = [T - 3 * D];
        let c2 = [T - D];
        let c = [cand(5, true, &a), cand(9, true, &b), cand(2, true, &c2)];
        let got: Vec<(usize, i64)> = eligible_touches(&c, T, WEEK)
            .iter()
            .map(|t| (t.session, t.touch_ms))
            .collect();
        assert_eq!(got, vec![(9, T - 3 * D), (2, T - D), (5, T - D)]);
    }

    #[test]
    fn empty_sessions_and_negative_windows_give_nothing() {
        let times = [T];
        let c = [cand(0, true, &[]), cand(1, true, &times)];
        assert_eq!(eligible_touches(&c, T, 0).len(), 1);
        assert!(eligible_touches(&c, T, -1).is_empty());
    }

    // ---- weights

    fn w(model: Model, n: usize) -> Vec<f64> {
        let times: Vec<i64> = (0..n as i64).map(|i| T - (n as i64 - i) * D).collect();
        weights(model, &touches_at(&times), T)
    }

    #[test]
    fn last_and_first() {
        assert_close(&w(Model::Last, 1), &[1.0]);
        assert_close(&w(Model::Last, 2), &[0.0, 1.0]);
        assert_close(&w(Model::Last, 3), &[0.0, 0.0, 1.0]);
        assert_close(&w(Model::Last, 4), &[0.0, 0.0, 0.0, 1.0]);
        assert_close(&w(Model::First, 1), &[1.0]);
        assert_close(&w(Model::First, 2), &[1.0, 0.0]);
        assert_close(&w(Model::First, 3), &[1.0, 0.0, 0.0]);
        assert_close(&w(Model::First, 4), &[1.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn linear() {
        assert_close(&w(Model::Linear, 1), &[1.0]);
        assert_close(&w(Model::Linear, 2), &[0.5, 0.5]);
        assert_close(&w(Model::Linear, 3), &[1.0 / 3.0; 3]);
        assert_close(&w(Model::Linear, 4), &[0.25; 4]);
    }

    #[test]
    fn position() {
        assert_close(&w(Model::Position, 1), &[1.0]);
        assert_close(&w(Model::Position, 2), &[0.5, 0.5]);
        assert_close(&w(Model::Position, 3), &[0.4, 0.2, 0.4]);
        assert_close(&w(Model::Position, 4), &[0.4, 0.1, 0.1, 0.4]);
    }

    #[test]
    fn time_decay() {
        let m = Model::TimeDecay { half_life_ms: WEEK };
        let tw = |ages: &[i64]| {
            let times: Vec<i64> = ages.iter().map(|a| T - a).collect();
            weights(m, &touches_at(&times), T)
        };
        assert_close(&tw(&[3 * D]), &[1.0]);
        // 7 d and 0 d before: 1/2 : 1 → 1/3, 2/3.
        assert_close(&tw(&[WEEK, 0]), &[1.0 / 3.0, 2.0 / 3.0]);
        // 14, 7, 0 d: 1/4 : 1/2 : 1 → 1/7, 2/7, 4/7.
        assert_close(
            &tw(&[2 * WEEK, WEEK, 0]),
            &[1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0],
        );
        // 28, 14, 7, 0 d: 1/16 : 1/4 : 1/2 : 1 → 1, 4, 8, 16 over 29 (METRICS.md's ≈3/13/27/53 %).
        assert_close(
            &tw(&[4 * WEEK, 2 * WEEK, WEEK, 0]),
            &[1.0 / 29.0, 4.0 / 29.0, 8.0 / 29.0, 16.0 / 29.0],
        );
        // Touches hundreds of half-lives back underflow to 0 without breaking the sum.
        let far = weights(
            Model::TimeDecay { half_life_ms: 1 },
            &touches_at(&[T - 5_000, T - 10]),
            T,
        );
        assert_close(&far, &[0.0, 1.0]);
    }

    #[test]
    fn time_decay_with_no_half_life_shares_between_the_nearest() {
        let m = Model::TimeDecay { half_life_ms: 0 };
        assert_close(
            &weights(m, &touches_at(&[T - D, T - H, T - H]), T),
            &[0.0, 0.5, 0.5],
        );
    }

    #[test]
    fn no_touches_no_weights() {
        assert!(weights(Model::Position, &[], T).is_empty());
    }

    // ---- split_minor

    #[test]
    fn thirds_tie_to_the_earlier_touch() {
        let third = [1.0 / 3.0; 3];
        assert_eq!(split_minor(1000, &third), vec![334, 333, 333]);
        assert_eq!(split_minor(1, &third), vec![1, 0, 0]);
        assert_eq!(split_minor(2, &third), vec![1, 1, 0]);
        assert_eq!(split_minor(1, &[0.4, 0.1, 0.1, 0.4]), vec![1, 0, 0, 0]);
        assert_eq!(
            split_minor(3, &[0.4, 0.1, 0.1, 0.4]),
            // 1.2/0.3/0.3/1.2 → floors 1/0/0/1, the .3 tie to the earlier middle touch.
            vec![1, 1, 0, 1]
        );
    }

    #[test]
    fn exact_shares() {
        assert_eq!(split_minor(100, &[0.4, 0.2, 0.4]), vec![40, 20, 40]);
        assert_eq!(split_minor(100, &[1.0]), vec![100]);
        assert_eq!(split_minor(0, &[0.5, 0.5]), vec![0, 0]);
        // Largest remainder, not the earliest: 0.1/0.3/0.6 of 5 = 0.5/1.5/3 → floors 0/1/3, then
        // the .5 tie goes to the first.
        assert_eq!(split_minor(5, &[0.1, 0.3, 0.6]), vec![1, 1, 3]);
        // 1/7, 2/7, 4/7 of 10 = 1.43/2.86/5.71 → 1/2/5 + one to the .86.
        assert_eq!(
            split_minor(10, &[1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0]),
            vec![1, 3, 6]
        );
    }

    #[test]
    fn negative_amounts_mirror_positive_ones() {
        let third = [1.0 / 3.0; 3];
        assert_eq!(split_minor(-1000, &third), vec![-334, -333, -333]);
        assert_eq!(split_minor(-1, &third), vec![-1, 0, 0]);
        assert_eq!(split_minor(-100, &[0.4, 0.2, 0.4]), vec![-40, -20, -40]);
    }

    #[test]
    fn zero_weights_get_nothing() {
        assert_eq!(split_minor(1000, &[0.0, 1.0, 0.0]), vec![0, 1000, 0]);
        assert_eq!(split_minor(7, &[0.5, 0.0, 0.5]), vec![4, 0, 3]);
        assert_eq!(split_minor(0, &[0.0, 0.0]), vec![0, 0]);
    }

    #[test]
    fn weights_are_normalised() {
        assert_eq!(split_minor(10, &[1.0, 1.0]), vec![5, 5]);
        assert_eq!(split_minor(10, &[3.0, 1.0]), vec![8, 2]);
    }

    #[test]
    fn extreme_amounts() {
        let third = [1.0 / 3.0; 3];
        for amount in [i64::MAX, i64::MIN] {
            let parts = split_minor(amount, &third);
            assert_eq!(
                parts.iter().map(|&p| i128::from(p)).sum::<i128>(),
                i128::from(amount)
            );
        }
    }

    #[test]
    #[should_panic(expected = "no positive weight")]
    fn money_without_weights_panics() {
        split_minor(1, &[0.0]);
    }

    #[test]
    #[should_panic(expected = "non-negative")]
    fn negative_weights_panic() {
        split_minor(1, &[1.5, -0.5]);
    }

    // ---- attribute

    #[test]
    fn unattributed_reasons() {
        let times = [T - 30 * D];
        let business_only = [T - H];
        let old = [cand(0, true, &times)];
        let run = |known, c: &[CandidateSession<'_>]| {
            attribute(known, c, T, WEEK, Model::Last, 1000, 0, true)
        };
        assert_eq!(
            run(false, &old),
            Attribution::Unattributed(Unattributed::NoPerson)
        );
        assert_eq!(
            run(true, &[]),
            Attribution::Unattributed(Unattributed::NoConversation)
        );
        assert_eq!(
            run(true, &old),
            Attribution::Unattributed(Unattributed::OutsideWindow)
        );
        // Sessions exist (business-only ones): outside_window, not no_conversation.
        assert_eq!(
            run(true, &[cand(0, false, &business_only)]),
            Attribution::Unattributed(Unattributed::OutsideWindow)
        );
        assert_eq!(Unattributed::NoPerson.as_str(), "no_person");
        assert_eq!(Unattributed::NoConversation.as_str(), "no_conversation");
        assert_eq!(Unattributed::OutsideWindow.as_str(), "outside_window");
    }

    #[test]
    fn refunds_are_split_with_the_orders_weights() {
        let (a, b, c) = ([T - 3 * D], [T - 2 * D], [T - D]);
        let cs = [cand(10, true, &a), cand(11, true, &b), cand(12, true, &c)];
        let got = credits(attribute(
            true,
            &cs,
            T,
            WEEK,
            Model::Linear,
            1000,
            500,
            true,
        ));
        let rows: Vec<(usize, i64, i64, i64, i64)> = got
            .iter()
            .map(|c| {
                (
                    c.session,
                    c.gross_minor,
                    c.refunds_minor,
                    c.net_minor,
                    c.touch_ms,
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (10, 334, 167, 167, T - 3 * D),
                (11, 333, 167, 166, T - 2 * D),
                (12, 333, 166, 167, T - D),
            ]
        );
        // Fully refunded: every net is 0.
        let full = credits(attribute(
            true,
            &cs,
            T,
            WEEK,
            Model::Position,
            999,
            999,
            true,
        ));
        let gross: Vec<i64> = full.iter().map(|c| c.gross_minor).collect();
        assert_eq!(gross, vec![400, 200, 399]);
        assert!(
            full.iter()
                .all(|c| c.refunds_minor == c.gross_minor && c.net_minor == 0)
        );
    }

    #[test]
    fn only_positive_weights_are_credited() {
        let (a, b) = ([T - 3 * D], [T - D]);
        let cs = [cand(0, true, &a), cand(1, true, &b)];
        let got = credits(attribute(true, &cs, T, WEEK, Model::Last, 1250, 250, true));
        assert_eq!(
            got,
            vec![Credit {
                session: 1,
                weight: 1.0,
                gross_minor: 1250,
                refunds_minor: 250,
                net_minor: 1000,
                touch_ms: T - D,
            }]
        );
        let got = credits(attribute(true, &cs, T, WEEK, Model::First, 1250, 0, true));
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].session, got[0].gross_minor), (0, 1250));
    }

    #[test]
    fn pending_orders_get_weights_without_money() {
        let (a, b) = ([T - 3 * D], [T - D]);
        let cs = [cand(0, true, &a), cand(1, true, &b)];
        let got = credits(attribute(true, &cs, T, WEEK, Model::Linear, 1000, 0, false));
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|c| c.weight == 0.5
            && c.gross_minor == 0
            && c.refunds_minor == 0
            && c.net_minor == 0));
    }

    #[test]
    fn time_decay_order_with_refund() {
        let (a, b) = ([T - WEEK], [T]);
        let cs = [cand(0, true, &a), cand(1, true, &b)];
        let m = Model::TimeDecay { half_life_ms: WEEK };
        let got = credits(attribute(true, &cs, T, WEEK, m, 1000, 100, true));
        let rows: Vec<(i64, i64, i64)> = got
            .iter()
            .map(|c| (c.gross_minor, c.refunds_minor, c.net_minor))
            .collect();
        // 1/3 and 2/3: 333.33/666.67 → 333/667; 33.33/66.67 → 33/67.
        assert_eq!(rows, vec![(333, 33, 300), (667, 67, 600)]);
        for c in &got {
            assert_eq!(c.net_minor, c.gross_minor - c.refunds_minor);
        }
    }

    // ---- properties

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn model() -> impl Strategy<Value = Model> {
            prop_oneof![
                Just(Model::Last),
                Just(Model::First),
                Just(Model::Linear),
                Just(Model::Position),
                (-1i64..60 * D).prop_map(|half_life_ms| Model::TimeDecay { half_life_ms }),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn split_sums_exactly_and_skips_zero_weights(
                amount in prop_oneof![any::<i64>(), -1_000_000i64..1_000_000],
                raw in prop::collection::vec(prop_oneof![Just(0.0), 0.0f64..1.0, 1e-12f64..1e-6], 1..12),
                nonzero in any::<prop::sample::Index>(),
            ) {
                let mut w = raw;
                let k = nonzero.index(w.len());
                w[k] = w[k].max(0.01);
                let parts = split_minor(amount, &w);
                prop_assert_eq!(parts.len(), w.len());
                let sum: i128 = parts.iter().map(|&p| i128::from(p)).sum();
                prop_assert_eq!(sum, i128::from(amount));
                for (p, wi) in parts.iter().zip(&w) {
                    if *wi == 0.0 {
                        prop_assert_eq!(*p, 0);
                    }
                    prop_assert!(*p == 0 || p.signum() == amount.signum());
                }
            }

            #[test]
            fn weights_sum_to_one(
                model in model(),
                ages in prop::collection::vec(0i64..90 * D, 1..12),
            ) {
                let mut times: Vec<i64> = ages.iter().map(|a| T - a).collect();
                times.sort_unstable();
                let w = weights(model, &touches_at(&times), T);
                prop_assert_eq!(w.len(), times.len());
                prop_assert!(w.iter().all(|x| x.is_finite() && *x >= 0.0), "{:?}", w);
                prop_assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{:?}", w);
            }

            #[test]
            fn credits_keep_the_money(
                model in model(),
                sessions in prop::collection::vec(
                    (any::<bool>(), prop::collection::vec(-20i64 * D..5 * D, 0..5)),
                    0..6,
                ),
                total in 0i64..10_000_000,
                refund_share in 0.0f64..=1.0,
            ) {
                let refunded = (total as f64 * refund_share) as i64;
                let times: Vec<Vec<i64>> = sessions
                    .iter()
                    .map(|(_, ts)| {
                        let mut ts: Vec<i64> = ts.iter().map(|t| T + t).collect();
                        ts.sort_unstable();
                        ts
                    })
                    .collect();
                let cs: Vec<CandidateSession<'_>> = sessions
                    .iter()
                    .zip(&times)
                    .enumerate()
                    .map(|(i, ((inb, _), ts))| cand(i, *inb, ts))
                    .collect();
                if let Attribution::Credited(c) =
                    attribute(true, &cs, T, WEEK, model, total, refunded, true)
                {
                    prop_assert!(!c.is_empty());
                    prop_assert_eq!(c.iter().map(|x| x.gross_minor).sum::<i64>(), total);
                    prop_assert_eq!(c.iter().map(|x| x.refunds_minor).sum::<i64>(), refunded);
                    for x in &c {
                        prop_assert!(x.weight > 0.0);
                        prop_assert_eq!(x.net_minor, x.gross_minor - x.refunds_minor);
                        prop_assert!(x.touch_ms <= T && x.touch_ms >= T - WEEK);
                    }
                }
            }
        }
    }
}
