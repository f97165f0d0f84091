//! The response-time report's numbers (SPEC §5.3): FRT, NRT and all turns on the calendar and
//! business clocks, grouped by when each turn started.

use std::collections::BTreeMap;

use chrono_tz::Tz;

use super::business_hours::BusinessCalendar;
use super::periods::{Grain, TimeRange, bucket_label};
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

/// A `--by` dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Local day of the turn's start.
    Day,
    /// ISO week of the turn's start.
    Week,
    /// Month of the turn's start.
    Month,
    /// The agent who replied.
    Agent,
    /// The session's source.
    Source,
    /// Who started the session.
    Initiator,
}

impl GroupBy {
    /// The column name (`period` for time buckets).
    pub fn column(self) -> &'static str {
        match self {
            GroupBy::Day | GroupBy::Week | GroupBy::Month => "period",
            GroupBy::Agent => "agent",
            GroupBy::Source => "source",
            GroupBy::Initiator => "initiator",
        }
    }
}

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

/// Seconds between two instants on a clock; None for the business clock without business hours.
fn seconds(
    clock: Clock,
    calendar: Option<&BusinessCalendar>,
    from_ms: i64,
    to_ms: i64,
) -> Option<f64> {
    match clock {
        Clock::Calendar => Some((to_ms - from_ms) as f64 / 1000.0),
        Clock::Business => calendar.map(|c| c.seconds_between(from_ms, to_ms) as f64),
    }
}

/// Computes the report rows: groups in sorted order, then clock, then metric.
pub fn compute(conv: &Conversations, p: &Params<'_>) -> Vec<Row> {
    let mut groups: BTreeMap<Vec<Option<String>>, Vec<&Turn>> = BTreeMap::new();
    for turn in conv
        .turns
        .iter()
        .filter(|t| p.range.contains(t.start_ms) && t.start_ms <= p.as_of_ms)
    {
        let session = &conv.sessions[turn.session];
        let key =
            p.by.iter()
                .map(|g| match g {
                    GroupBy::Day => Some(bucket_label(turn.start_ms, p.tz, Grain::Day)),
                    GroupBy::Week => Some(bucket_label(turn.start_ms, p.tz, Grain::Week)),
                    GroupBy::Month => Some(bucket_label(turn.start_ms, p.tz, Grain::Month)),
                    GroupBy::Agent => turn.agent.clone(),
                    GroupBy::Source => Some(session.source.clone()),
                    GroupBy::Initiator => Some(session.initiator.as_str().to_string()),
                })
                .collect();
        groups.entry(key).or_default().push(turn);
    }
    if groups.is_empty() && p.by.is_empty() {
        groups.insert(Vec::new(), Vec::new());
    }
    let mut rows = Vec::new();
    for (key, turns) in &groups {
        for &clock in &p.clocks {
            for metric in Metric::ALL {
                let selected: Vec<&&Turn> = turns.iter().filter(|t| metric.covers(t)).collect();
                rows.push(row(key.clone(), clock, metric, &selected, p));
            }
        }
    }
    rows
}

fn row(
    group: Vec<Option<String>>,
    clock: Clock,
    metric: Metric,
    turns: &[&&Turn],
    p: &Params<'_>,
) -> Row {
    let (mut answered, mut pending, mut unanswered) = (0u64, 0u64, 0u64);
    let mut rts = Vec::new();
    let mut outcomes = Vec::with_capacity(turns.len());
    for t in turns {
        match t.outcome(p.as_of_ms, &p.rules) {
            Outcome::Answered => answered += 1,
            Outcome::Pending => pending += 1,
            Outcome::Unanswered => unanswered += 1,
        }
        let rt = t
            .reply_ms
            .and_then(|r| seconds(clock, p.calendar, t.start_ms, r));
        if let Some(rt) = rt {
            rts.push(rt);
        }
        let age = seconds(clock, p.calendar, t.start_ms, p.as_of_ms).unwrap_or(0.0);
        outcomes.push(TurnOutcome::new(rt, age));
    }
    rts.sort_by(f64::total_cmp);
    let business_without_hours = clock == Clock::Business && p.calendar.is_none();
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
                if business_without_hours {
                    None
                } else {
                    sla_attainment(&outcomes, x as f64)
                }
            })
            .collect(),
    }
}
