//! The response-time report's numbers (SPEC §5.3): FRT, NRT and all turns on the calendar and
//! business clocks, grouped by when each turn started.

use std::collections::{BTreeMap, HashMap};

use chrono_tz::Tz;

use rayon::prelude::*;

use super::business_hours::{BusinessCalendar, DayIndex};
use super::groups::{Attrs, Keyer};
use super::periods::TimeRange;
use super::sessions::{Conversations, Outcome, SessionRules, Turn};
use super::stats::{TurnOutcome, mean, percentile, sla_attainment};

/// Which clock measures a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Clock {
    /// Wall-clock seconds.
    Calendar,
    /// Seconds inside `[business_hours]`.
    Business,
}

impl Clock {
    /// `calendar` or `business`.
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Calendar => "calendar",
            Clock::Business => "business",
        }
    }
}

/// Which turns a row covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Metric {
    /// First turns of sessions.
    Frt,
    /// Later turns.
    Nrt,
    /// Both.
    All,
}

impl Metric {
    /// Every metric, in report order.
    pub const ALL: [Metric; 3] = [Metric::Frt, Metric::Nrt, Metric::All];

    /// `frt`, `nrt` or `all`.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Frt => "frt",
            Metric::Nrt => "nrt",
            Metric::All => "all",
        }
    }

    fn covers(self, turn: &Turn) -> bool {
        match self {
            Metric::Frt => turn.first,
            Metric::Nrt => !turn.first,
            Metric::All => true,
        }
    }
}

pub use super::groups::GroupBy;

/// Everything the report depends on besides the data.
#[derive(Debug, Clone)]
pub struct Params<'a> {
    /// Group columns, in order.
    pub by: Vec<GroupBy>,
    /// Clocks to report.
    pub clocks: Vec<Clock>,
    /// SLA thresholds, seconds.
    pub sla_s: Vec<i64>,
    /// Report time zone (buckets).
    pub tz: Tz,
    /// Turns whose start falls in this range.
    pub range: TimeRange,
    /// Cutoff for pending/unanswered.
    pub as_of_ms: i64,
    /// Session rules (`abandon`).
    pub rules: SessionRules,
    /// Business hours, when configured.
    pub calendar: Option<&'a BusinessCalendar>,
    /// Metrics to report, in order (the report: all three; the summary: FRT only, so later
    /// turns are not even grouped).
    pub metrics: Vec<Metric>,
}

/// One output row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Values of the `--by` columns (None: no agent, …).
    pub group: Vec<Option<String>>,
    /// Clock.
    pub clock: Clock,
    /// Metric.
    pub metric: Metric,
    /// Turns in the row.
    pub turns: u64,
    /// Replied.
    pub answered: u64,
    /// No reply yet, younger than `abandon`.
    pub pending: u64,
    /// No reply, abandoned.
    pub unanswered: u64,
    /// answered ÷ (answered + unanswered).
    pub answer_rate: Option<f64>,
    /// Mean RT of answered turns, seconds.
    pub mean_s: Option<f64>,
    /// Median.
    pub p50_s: Option<f64>,
    /// 90th percentile.
    pub p90_s: Option<f64>,
    /// 95th percentile.
    pub p95_s: Option<f64>,
    /// Slowest.
    pub max_s: Option<f64>,
    /// SLA attainment per threshold (index-aligned with `Params::sla_s`).
    pub sla: Vec<Option<f64>>,
}

/// A turn measured on one clock: its RT when answered, else its age at `as_of`.
#[derive(Debug, Clone, Copy)]
struct Measure {
    rt_s: Option<f64>,
    age_s: f64,
}

/// Measures every turn on a clock; None for the business clock without business hours.
fn measure(conv: &Conversations, clock: Clock, p: &Params<'_>) -> Option<Vec<Measure>> {
    let seconds: Box<dyn Fn(i64, i64) -> f64 + Sync> = match (clock, p.calendar) {
        (Clock::Calendar, _) => Box::new(|a, b| (b - a) as f64 / 1000.0),
        (Clock::Business, None) => return None,
        (Clock::Business, Some(cal)) => {
            let from = conv
                .turns
                .iter()
                .map(|t| t.start_ms)
                .min()
                .unwrap_or(p.as_of_ms);
            let to = conv
                .turns
                .iter()
                .filter_map(|t| t.reply_ms)
                .max()
                .unwrap_or(p.as_of_ms)
                .max(p.as_of_ms);
            let index = DayIndex::new(cal, from, to);
            Box::new(move |a, b| index.seconds_between(a, b) as f64)
        }
    };
    Some(
        conv.turns
            .par_iter()
            .map(|t| match t.reply_ms {
                Some(r) => Measure {
                    rt_s: Some(seconds(t.start_ms, r)),
                    age_s: 0.0,
                },
                None => Measure {
                    rt_s: None,
                    age_s: seconds(t.start_ms, p.as_of_ms.max(t.start_ms)),
                },
            })
            .collect(),
    )
}

/// Whether a turn counts in the report: started in its range, and by `as_of`.
fn in_period(turn: &Turn, p: &Params<'_>) -> bool {
    p.range.contains(turn.start_ms) && turn.start_ms <= p.as_of_ms
}

/// Turns in the report's range, grouped by their `--by` values (sorted).
fn group_turns(conv: &Conversations, p: &Params<'_>) -> BTreeMap<Vec<Option<String>>, Vec<usize>> {
    let mut keyer = Keyer::new(&p.by, p.tz);
    let mut by_key: HashMap<Vec<u32>, Vec<usize>> = HashMap::new();
    for (i, turn) in conv.turns.iter().enumerate() {
        let reported = p.metrics.iter().any(|m| m.covers(turn));
        if !(in_period(turn, p) && reported) {
            continue;
        }
        let session = &conv.sessions[turn.session];
        let key = keyer.key(
            turn.start_ms,
            Attrs {
                agent: turn.agent.as_deref(),
                source: Some(session.source.as_str()),
                initiator: Some(session.initiator.as_str()),
            },
        );
        by_key.entry(key).or_default().push(i);
    }
    by_key
        .into_iter()
        .map(|(key, turns)| (keyer.values(&key), turns))
        .collect()
}

/// Computes the report rows: groups in sorted order, then clock, then metric.
pub fn compute(conv: &Conversations, p: &Params<'_>) -> Vec<Row> {
    let mut groups = group_turns(conv, p);
    if groups.is_empty() && p.by.is_empty() {
        groups.insert(Vec::new(), Vec::new());
    }
    let measures: Vec<(Clock, Option<Vec<Measure>>)> =
        p.clocks.iter().map(|&c| (c, measure(conv, c, p))).collect();
    let groups: Vec<(Vec<Option<String>>, Vec<usize>)> = groups.into_iter().collect();
    groups
        .par_iter()
        .flat_map_iter(|(key, turns)| {
            let measures = &measures;
            measures.iter().flat_map(move |(clock, m)| {
                p.metrics.iter().map(move |&metric| {
                    let selected: Vec<usize> = turns
                        .iter()
                        .copied()
                        .filter(|&i| metric.covers(&conv.turns[i]))
                        .collect();
                    row(
                        key.clone(),
                        *clock,
                        metric,
                        conv,
                        &selected,
                        m.as_deref(),
                        p,
                    )
                })
            })
        })
        .collect()
}

/// Answered turns of `metric` that started in the report's range, counted by their calendar
/// response time: bucket `i` holds `[edges_s[i], edges_s[i + 1])` seconds, the last one is
/// open-ended. `edges_s` must be ascending and start at 0.
pub fn histogram(
    conv: &Conversations,
    p: &Params<'_>,
    metric: Metric,
    edges_s: &[i64],
) -> Vec<u64> {
    let mut counts = vec![0u64; edges_s.len()];
    for turn in &conv.turns {
        if !(metric.covers(turn) && in_period(turn, p)) {
            continue;
        }
        if turn.outcome(p.as_of_ms, &p.rules) != Outcome::Answered {
            continue;
        }
        let Some(reply) = turn.reply_ms else { continue };
        let secs = (reply - turn.start_ms) as f64 / 1000.0;
        let bucket = edges_s.partition_point(|&e| e as f64 <= secs);
        counts[bucket.saturating_sub(1)] += 1;
    }
    counts
}

fn row(
    group: Vec<Option<String>>,
    clock: Clock,
    metric: Metric,
    conv: &Conversations,
    turns: &[usize],
    measures: Option<&[Measure]>,
    p: &Params<'_>,
) -> Row {
    let (mut answered, mut pending, mut unanswered) = (0u64, 0u64, 0u64);
    let mut rts = Vec::new();
    let mut outcomes = Vec::with_capacity(turns.len());
    for &i in turns {
        match conv.turns[i].outcome(p.as_of_ms, &p.rules) {
            Outcome::Answered => answered += 1,
            Outcome::Pending => pending += 1,
            Outcome::Unanswered => unanswered += 1,
        }
        if let Some(m) = measures.map(|m| m[i]) {
            if let Some(rt) = m.rt_s {
                rts.push(rt);
            }
            outcomes.push(TurnOutcome::new(m.rt_s, m.age_s));
        }
    }
    rts.sort_unstable_by(f64::total_cmp);
    Row {
        group,
        clock,
        metric,
        turns: turns.len() as u64,
        answered,
        pending,
        unanswered,
        answer_rate: (answered + unanswered > 0)
            .then(|| answered as f64 / (answered + unanswered) as f64),
        mean_s: mean(&rts),
        p50_s: percentile(&rts, 0.50),
        p90_s: percentile(&rts, 0.90),
        p95_s: percentile(&rts, 0.95),
        max_s: rts.last().copied(),
        sla: p
            .sla_s
            .iter()
            .map(|&x| {
                if measures.is_none() {
                    None
                } else {
                    sla_attainment(&outcomes, x as f64)
                }
            })
            .collect(),
    }
}
