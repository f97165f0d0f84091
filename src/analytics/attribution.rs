//! Revenue attribution (SPEC §5.4, §5.7): which sessions touched an order, the model weights,
//! and the split of money in integer minor units by the largest-remainder rule.
//!
//! Pure functions over plain values: the caller gathers, per order, the sessions of the order's
//! person (message times and whether the customer wrote) and gets back the credits.

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
