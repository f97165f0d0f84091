//! The conversion report's numbers (SPEC §5.5, §5.7): sessions grouped by when they started,
//! their maturity and conversion, the money credited to them per currency, and the orders side
//! (unattributed orders, match rate) grouped by when the orders were created.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono_tz::Tz;

use rayon::prelude::*;

use super::attribution::Attribution;
use super::groups::{Attrs, GroupBy, Keyer};
use super::orders::OrderFact;
use super::periods::TimeRange;
use super::sessions::Conversations;
use super::stats::percentile;

/// What the numbers depend on besides the data.
#[derive(Debug, Clone)]
pub struct Params {
    /// Group dimensions, in order (the currency is always its own column).
    pub by: Vec<GroupBy>,
    /// Report time zone (buckets).
    pub tz: Tz,
    /// Sessions whose start, and orders whose creation, fall in this range.
    pub range: TimeRange,
    /// Cutoff for maturity.
    pub as_of_ms: i64,
    /// The attribution window: a session is mature when `start + window ≤ as_of`.
    pub window_ms: i64,
}

/// What one session was credited with, over every order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionCredit {
    /// Paid-status orders that credit the session (weight > 0).
    pub paid_orders: u32,
    /// Net money credited, per currency, ascending by code.
    pub net: Vec<(Arc<str>, i64)>,
    /// The earliest credited order that is not cancelled (funnel `order`), ms.
    pub placed_ms: Option<i64>,
    /// The earliest payment of a credited paid-status order (its creation when the source has
    /// no payment time), ms.
    pub paid_ms: Option<i64>,
}

impl SessionCredit {
    /// The session converted: credit from at least one paid-status order.
    pub fn converted(&self) -> bool {
        self.paid_orders > 0
    }
}

/// Per session (parallel to `conv.sessions`), what the attributions credit it with.
pub fn session_credits(
    conv: &Conversations,
    orders: &[OrderFact],
    attributions: &[Attribution],
) -> Vec<SessionCredit> {
    let mut out = vec![SessionCredit::default(); conv.sessions.len()];
    for (o, a) in orders.iter().zip(attributions) {
        let Attribution::Credited(credits) = a else {
            continue;
        };
        for c in credits {
            let s = &mut out[c.session];
            if o.status != crate::sources::orders::OrderStatus::Cancelled {
                s.placed_ms = Some(s.placed_ms.map_or(o.created_ms, |t| t.min(o.created_ms)));
            }
            if o.is_paid() {
                s.paid_orders += 1;
                let paid = o.paid_ms.unwrap_or(o.created_ms);
                s.paid_ms = Some(s.paid_ms.map_or(paid, |t| t.min(paid)));
                match s.net.iter_mut().find(|(cur, _)| *cur == o.currency) {
                    Some((_, net)) => *net += c.net_minor,
                    None => {
                        s.net.push((o.currency.clone(), c.net_minor));
                        s.net.sort_by(|a, b| a.0.cmp(&b.0));
                    }
                }
            }
        }
    }
    out
}

/// One report row: a group and a currency.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Values of the `--by` columns.
    pub group: Vec<Option<String>>,
    /// The currency (None when the store holds no orders).
    pub currency: Option<Arc<str>>,
    /// Sessions that started in the group.
    pub sessions: u64,
    /// Sessions with `start + window ≤ as_of`.
    pub mature_sessions: u64,
    /// The others.
    pub immature_sessions: u64,
    /// Mature sessions credited by a paid-status order (any currency).
    pub converted_sessions: u64,
    /// Distinct paid-status orders of this currency credited to the group's sessions.
    pub attributed_orders: u64,
    /// Credited order totals, minor units.
    pub gross_minor: i64,
    /// Credited refunds, minor units.
    pub refunds_minor: i64,
    /// `gross − refunds`.
    pub net_minor: i64,
    /// Median seconds from session start to order creation over credited (session, paid
    /// order) pairs.
    pub time_to_order_p50_s: Option<f64>,
    /// Paid-status orders of this currency created in the group's period with no credit.
    pub unattributed_orders: u64,
    /// Their net (total − refunded), minor units.
    pub unattributed_net_minor: i64,
    /// Orders (any status) of this currency created in the group's period whose person has a
    /// session.
    pub matched_orders: u64,
    /// Orders (any status) of this currency created in the group's period.
    pub orders: u64,
}

/// `numerator ÷ denominator` in integer minor units, rounded half away from zero.
pub fn div_round(numerator: i64, denominator: u64) -> Option<i64> {
    if denominator == 0 {
        return None;
    }
    let (n, d) = (numerator as i128, denominator as i128);
    let q = (2 * n.abs() + d) / (2 * d);
    Some((n.signum() * q) as i64)
}

impl Row {
    /// `converted ÷ mature`.
    pub fn conversion_rate(&self) -> Option<f64> {
        (self.mature_sessions > 0)
            .then(|| self.converted_sessions as f64 / self.mature_sessions as f64)
    }

    /// `net ÷ sessions`, minor units.
    pub fn revenue_per_session_minor(&self) -> Option<i64> {
        div_round(self.net_minor, self.sessions)
    }

    /// `gross ÷ attributed orders`, minor units.
    pub fn average_order_value_minor(&self) -> Option<i64> {
        div_round(self.gross_minor, self.attributed_orders)
    }

    /// `matched ÷ orders`.
    pub fn match_rate(&self) -> Option<f64> {
        (self.orders > 0).then(|| self.matched_orders as f64 / self.orders as f64)
    }
}

#[derive(Default, Clone)]
struct SessionSide {
    sessions: u64,
    mature: u64,
    converted: u64,
}

#[derive(Default)]
struct MoneySide {
    orders: u64,
    gross: i64,
    refunds: i64,
    net: i64,
    to_order_s: Vec<f64>,
}

#[derive(Default)]
struct OrderSide {
    orders: u64,
    matched: u64,
    unattributed: u64,
    unattributed_net: i64,
}

/// The sessions in the range grouped by `--by` (start, agent, source, initiator).
struct SessionGroups<'a> {
    keyer: Keyer<'a>,
    /// Each group's key, by group index.
    keys: Vec<Vec<u32>>,
    /// Each group's sessions, maturity and conversions.
    sides: Vec<SessionSide>,
    /// The group of each session (None: outside the range), parallel to `conv.sessions`.
    of_session: Vec<Option<usize>>,
}

fn group_sessions<'a>(
    conv: &'a Conversations,
    credits: &[SessionCredit],
    p: &Params,
) -> SessionGroups<'a> {
    let mut g = SessionGroups {
        keyer: Keyer::new(&p.by, p.tz),
        keys: Vec::new(),
        sides: Vec::new(),
        of_session: vec![None; conv.sessions.len()],
    };
    let mut group_of_key: HashMap<Vec<u32>, usize> = HashMap::new();
    for (i, s) in conv.sessions.iter().enumerate() {
        if !(p.range.contains(s.start_ms) && s.start_ms <= p.as_of_ms) {
            continue;
        }
        let key = g.keyer.key(s.start_ms, Attrs::of_session(s));
        let group = *group_of_key.entry(key.clone()).or_insert_with(|| {
            g.keys.push(key);
            g.sides.push(SessionSide::default());
            g.keys.len() - 1
        });
        g.of_session[i] = Some(group);
        let side = &mut g.sides[group];
        side.sessions += 1;
        if s.start_ms.saturating_add(p.window_ms) <= p.as_of_ms {
            side.mature += 1;
            if credits[i].converted() {
                side.converted += 1;
            }
        }
    }
    g
}

/// Computes the rows, sorted by group values then currency: one per (group, currency) for
/// every currency among `orders`. Groups come from the sessions in the range and, for periods
/// with orders but no session, from the orders' creation periods. With no `--by` there is
/// always a row.
pub fn compute(
    conv: &Conversations,
    orders: &[OrderFact],
    attributions: &[Attribution],
    credits: &[SessionCredit],
    p: &Params,
) -> Vec<Row> {
    let SessionGroups {
        mut keyer,
        keys,
        sides: session_side,
        of_session: session_group,
    } = group_sessions(conv, credits, p);
    let currencies: Vec<Arc<str>> = {
        // Orders share a handful of interned codes: compare pointers before strings.
        let mut distinct: Vec<&Arc<str>> = Vec::new();
        for o in orders {
            if !distinct
                .iter()
                .any(|c| Arc::ptr_eq(c, &o.currency) || **c == o.currency)
            {
                distinct.push(&o.currency);
            }
        }
        let mut v: Vec<Arc<str>> = distinct.into_iter().cloned().collect();
        v.sort();
        v
    };
    // Per order, in parallel: its currency's index and whether its person has a session.
    let facts: Vec<(usize, bool)> = orders
        .par_iter()
        .map(|o| {
            let cur = currencies
                .binary_search(&o.currency)
                .expect("listed currency");
            let matched = o
                .person
                .as_deref()
                .is_some_and(|person| conv.sessions_of(person).is_some());
            (cur, matched)
        })
        .collect();

    let mut money: HashMap<(usize, usize), MoneySide> = HashMap::new();
    let mut order_side: HashMap<(usize, usize), OrderSide> = HashMap::new();
    let mut slot_of_quarter: HashMap<i64, usize> = HashMap::new();
    let mut slot_of_key: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut time_keys: Vec<Vec<u32>> = Vec::new();
    let mut seen_groups: Vec<usize> = Vec::new();
    for ((o, a), &(cur, matched)) in orders.iter().zip(attributions).zip(&facts) {
        if let Attribution::Credited(cs) = a
            && o.is_paid()
        {
            seen_groups.clear();
            for c in cs {
                let Some(g) = session_group[c.session] else {
                    continue;
                };
                let m = money.entry((g, cur)).or_default();
                m.gross += c.gross_minor;
                m.refunds += c.refunds_minor;
                m.net += c.net_minor;
                let start = conv.sessions[c.session].start_ms;
                m.to_order_s.push((o.created_ms - start) as f64 / 1000.0);
                if !seen_groups.contains(&g) {
                    seen_groups.push(g);
                    m.orders += 1;
                }
            }
        }
        if !p.range.contains(o.created_ms) {
            continue;
        }
        // Time keys per quarter hour (zone offsets are multiples of 15 min): one allocation
        // per bucket, not per order.
        let quarter = o.created_ms.div_euclid(900_000);
        let slot = match slot_of_quarter.get(&quarter) {
            Some(&slot) => slot,
            None => {
                let key = keyer.time_key(o.created_ms);
                let next = time_keys.len();
                let slot = *slot_of_key.entry(key.clone()).or_insert_with(|| {
                    time_keys.push(key);
                    next
                });
                slot_of_quarter.insert(quarter, slot);
                slot
            }
        };
        let side = order_side.entry((slot, cur)).or_default();
        side.orders += 1;
        if matched {
            side.matched += 1;
        }
        if matches!(a, Attribution::Unattributed(_)) && o.is_paid() {
            side.unattributed += 1;
            side.unattributed_net += o.total_minor - o.refunded_minor;
        }
    }
    // Periods that have orders but no session still get their rows.
    let time_parts: BTreeSet<Vec<u32>> = keys.iter().map(|k| keyer.time_part(k)).collect();
    let order_only: BTreeSet<Vec<u32>> = order_side
        .keys()
        .map(|&(slot, _)| time_keys[slot].clone())
        .filter(|k| !time_parts.contains(k))
        .collect();
    let mut all_keys: Vec<(Vec<u32>, Option<usize>)> = keys
        .iter()
        .enumerate()
        .map(|(g, k)| (k.clone(), Some(g)))
        .collect();
    all_keys.extend(order_only.into_iter().map(|k| (k, None)));
    if all_keys.is_empty() && p.by.is_empty() {
        all_keys.push((Vec::new(), None));
    }

    let currency_slots: Vec<Option<usize>> = if currencies.is_empty() {
        vec![None]
    } else {
        (0..currencies.len()).map(Some).collect()
    };
    let empty_side = SessionSide::default();
    let mut rows: Vec<Row> = Vec::with_capacity(all_keys.len() * currency_slots.len());
    for (key, g) in &all_keys {
        let s = g.map_or(&empty_side, |g| &session_side[g]);
        let time_part = keyer.time_part(key);
        for &cur in &currency_slots {
            let mut row = Row {
                group: keyer.values(key),
                currency: cur.map(|c| currencies[c].clone()),
                sessions: s.sessions,
                mature_sessions: s.mature,
                immature_sessions: s.sessions - s.mature,
                converted_sessions: s.converted,
                ..Row::default()
            };
            if let Some(cur) = cur {
                if let Some(m) = g.and_then(|g| money.get_mut(&(g, cur))) {
                    row.attributed_orders = m.orders;
                    row.gross_minor = m.gross;
                    row.refunds_minor = m.refunds;
                    row.net_minor = m.net;
                    m.to_order_s.sort_by(f64::total_cmp);
                    row.time_to_order_p50_s = percentile(&m.to_order_s, 0.5);
                }
                if let Some(o) = slot_of_key
                    .get(&time_part)
                    .and_then(|&slot| order_side.get(&(slot, cur)))
                {
                    row.orders = o.orders;
                    row.matched_orders = o.matched;
                    row.unattributed_orders = o.unattributed;
                    row.unattributed_net_minor = o.unattributed_net;
                }
            }
            rows.push(row);
        }
    }
    rows.sort_by(|a, b| {
        a.group
            .cmp(&b.group)
            .then_with(|| a.currency.cmp(&b.currency))
    });
    rows
}

/// Sessions, conversion and net credited money of one group in one currency: what the
/// summary ranks agents and sources by. Cheaper than [`compute`]: sessions and their credits
/// only, no order-side columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupNet {
    /// Values of the `--by` columns.
    pub group: Vec<Option<String>>,
    /// The currency (None for a group whose sessions were credited nothing).
    pub currency: Option<Arc<str>>,
    /// Sessions that started in the group.
    pub sessions: u64,
    /// Mature sessions.
    pub mature_sessions: u64,
    /// Mature sessions credited by a paid-status order.
    pub converted_sessions: u64,
    /// Net money credited to the group's sessions in `currency`, minor units.
    pub net_minor: i64,
}

impl GroupNet {
    /// `converted ÷ mature`.
    pub fn conversion_rate(&self) -> Option<f64> {
        (self.mature_sessions > 0)
            .then(|| self.converted_sessions as f64 / self.mature_sessions as f64)
    }
}

/// [`GroupNet`] rows for the sessions in the range, one per (group, currency credited), sorted.
pub fn net_by_group(conv: &Conversations, credits: &[SessionCredit], p: &Params) -> Vec<GroupNet> {
    let g = group_sessions(conv, credits, p);
    // Per group, net money per currency.
    let mut money: Vec<BTreeMap<Arc<str>, i64>> = vec![BTreeMap::new(); g.keys.len()];
    for (group, credit) in g.of_session.iter().zip(credits) {
        if let Some(group) = group {
            for (cur, net) in &credit.net {
                *money[*group].entry(cur.clone()).or_default() += net;
            }
        }
    }
    let groups = g.keys.iter().zip(&g.sides).zip(money);
    let mut out = Vec::new();
    for ((key, side), money) in groups {
        let base = GroupNet {
            group: g.keyer.values(key),
            currency: None,
            sessions: side.sessions,
            mature_sessions: side.mature,
            converted_sessions: side.converted,
            net_minor: 0,
        };
        if money.is_empty() {
            out.push(base.clone());
        }
        for (cur, net) in money {
            out.push(GroupNet {
                currency: Some(cur),
                net_minor: net,
                ..base.clone()
            });
        }
    }
    out.sort_by(|a, b| {
        a.group
            .cmp(&b.group)
            .then_with(|| a.currency.cmp(&b.currency))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::attribution::{self, CandidateSession, Model, attribute};
    use crate::analytics::sessions::{Row as MessageRow, SessionRules, sessionize};
    use crate::model::MessageClass;
    use crate::sources::orders::OrderStatus;
    use proptest::prelude::*;

    const H: i64 = 3_600_000;
    const D: i64 = 24 * H;
    const PERSONS: [&str; 3] = [
        "tel:+551100000001",
        "tel:+551100000002",
        "tel:+551100000003",
    ];

    fn model() -> impl Strategy<Value = Model> {
        prop_oneof![
            Just(Model::Last),
            Just(Model::First),
            Just(Model::Linear),
            Just(Model::Position),
            (1i64..30 * D).prop_map(|half_life_ms| Model::TimeDecay { half_life_ms }),
        ]
    }

    fn status() -> impl Strategy<Value = OrderStatus> {
        prop_oneof![
            Just(OrderStatus::Pending),
            Just(OrderStatus::Paid),
            Just(OrderStatus::Cancelled),
            Just(OrderStatus::Refunded),
            Just(OrderStatus::PartiallyRefunded),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The whole path from messages to report rows keeps the invariants of SPEC §5.4.
        #[test]
        fn attribution_and_rows_keep_every_invariant(
            messages in prop::collection::vec((0usize..3, 0i64..40 * D, any::<bool>()), 0..40),
            orders in prop::collection::vec(
                (0usize..5, 0i64..45 * D, status(), any::<bool>(), 0i64..1_000_000, 0.0f64..=1.0),
                0..12,
            ),
            model in model(),
            window_days in 0i64..15,
        ) {
            let window_ms = window_days * D;
            let mut messages = messages;
            messages.sort_by_key(|&(p, t, _)| (p, t));
            let rows = messages.iter().map(|&(p, t, inbound)| MessageRow {
                person: PERSONS[p],
                ts_ms: t,
                class: if inbound { MessageClass::Inbound } else { MessageClass::OutboundHuman },
                agent: None,
                source: None,
            });
            let conv = sessionize(rows, &SessionRules::default());
            let orders: Vec<OrderFact> = orders
                .into_iter()
                .enumerate()
                .map(|(i, (p, created_ms, status, usd, total, share))| OrderFact {
                    order_id: format!("#{i}"),
                    // 3: a person with no session; 4: no person.
                    person: match p {
                        0..=2 => Some(PERSONS[p].to_string()),
                        3 => Some("tel:+551100000009".to_string()),
                        _ => None,
                    },
                    created_ms,
                    paid_ms: None,
                    status,
                    currency: Arc::from(if usd { "USD" } else { "BRL" }),
                    total_minor: total,
                    refunded_minor: match status {
                        OrderStatus::Refunded => total,
                        OrderStatus::PartiallyRefunded => (total as f64 * share) as i64,
                        _ => 0,
                    },
                })
                .collect();
            let got = attribution::attribute_orders(&conv, &orders, model, window_ms);
            let index = attribution::sessions_by_person(&conv);
            for (o, a) in orders.iter().zip(&got) {
                // Same answer as offering every session of the person (no binary search).
                let all: Vec<CandidateSession<'_>> = o
                    .person
                    .as_deref()
                    .and_then(|p| index.get(p))
                    .map(|r| {
                        r.clone()
                            .map(|s| CandidateSession {
                                session: s,
                                has_inbound: conv.sessions[s].messages_in > 0,
                                message_times_ms: conv.times_of(s),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let brute = attribute(
                    o.person.is_some(),
                    &all,
                    o.created_ms,
                    window_ms,
                    model,
                    o.total_minor,
                    o.refunded_minor,
                    o.is_paid(),
                );
                prop_assert_eq!(a, &brute);
                if let Attribution::Credited(cs) = a {
                    let (gross, refunds) = if o.is_paid() {
                        (o.total_minor, o.refunded_minor)
                    } else {
                        (0, 0)
                    };
                    prop_assert_eq!(cs.iter().map(|c| c.gross_minor).sum::<i64>(), gross);
                    prop_assert_eq!(cs.iter().map(|c| c.refunds_minor).sum::<i64>(), refunds);
                    prop_assert_eq!(cs.iter().map(|c| c.net_minor).sum::<i64>(), gross - refunds);
                    let w: f64 = cs.iter().map(|c| c.weight).sum();
                    prop_assert!((w - 1.0).abs() < 1e-9, "weights sum to {}", w);
                    for c in cs {
                        let s = &conv.sessions[c.session];
                        prop_assert!(c.weight > 0.0 && c.weight <= 1.0);
                        prop_assert_eq!(Some(s.person.as_str()), o.person.as_deref());
                        prop_assert!(s.start_ms <= o.created_ms, "credit to a later session");
                        prop_assert!(c.touch_ms <= o.created_ms);
                        prop_assert!(c.touch_ms >= o.created_ms - window_ms);
                        prop_assert!(s.messages_in > 0);
                    }
                }
            }
            // Rows: per currency, the money of all rows is the money credited to paid orders of
            // that currency, and no row holds another currency's money.
            let credits = session_credits(&conv, &orders, &got);
            let p = Params {
                by: vec![GroupBy::Week],
                tz: chrono_tz::UTC,
                range: TimeRange::default(),
                as_of_ms: 45 * D,
                window_ms,
            };
            let rows = compute(&conv, &orders, &got, &credits, &p);
            for cur in ["BRL", "USD"] {
                let expected: i64 = orders
                    .iter()
                    .zip(&got)
                    .filter(|(o, _)| &*o.currency == cur)
                    .filter_map(|(_, a)| match a {
                        Attribution::Credited(cs) => Some(cs.iter().map(|c| c.net_minor).sum::<i64>()),
                        _ => None,
                    })
                    .sum();
                let in_rows: i64 = rows
                    .iter()
                    .filter(|r| r.currency.as_deref() == Some(cur))
                    .map(|r| r.net_minor)
                    .sum();
                prop_assert_eq!(in_rows, expected);
                let unattributed: u64 = rows
                    .iter()
                    .filter(|r| r.currency.as_deref() == Some(cur))
                    .map(|r| r.orders)
                    .sum();
                prop_assert_eq!(
                    unattributed,
                    orders.iter().filter(|o| &*o.currency == cur).count() as u64
                );
            }
            let sessions: u64 = rows
                .iter()
                .filter(|r| r.currency == rows[0].currency)
                .map(|r| r.sessions)
                .sum();
            prop_assert_eq!(sessions, conv.sessions.len() as u64);
        }
    }

    #[test]
    fn money_division_rounds_half_away_from_zero() {
        assert_eq!(div_round(10, 4), Some(3)); // 2.5
        assert_eq!(div_round(-10, 4), Some(-3));
        assert_eq!(div_round(9, 4), Some(2)); // 2.25
        assert_eq!(div_round(11, 4), Some(3)); // 2.75
        assert_eq!(div_round(5, 0), None);
        assert_eq!(div_round(0, 3), Some(0));
    }
}
