//! `report summary`: one row per period (SPEC §6) joining conversion, first response time and the
//! funnel; for people, a headline of the latest period first and the top agents and sources
//! after the table.

use std::collections::BTreeMap;

use serde_json::json;

use super::charts::{self, TableChart};
use super::conversion::ModelInfo;
use super::{Window, group_columns};
use crate::analytics::conversion;
use crate::analytics::funnel;
use crate::analytics::groups::GroupBy;
use crate::analytics::response_time;
use crate::render::{Cell, ChartKind, Column, ColumnKind, Note, Report, Section, SeriesStyle};

/// How many agents and sources the table view lists.
pub const TOP: usize = 5;

/// The numbers one summary row joins, per group.
#[derive(Debug, Clone, Default)]
struct Joined<'a> {
    conversion: Vec<&'a conversion::Row>,
    frt: Option<&'a response_time::Row>,
    lead_to_paid: Option<f64>,
    /// (decided leads, of them paid, immature leads)
    funnel_counts: (u64, u64, u64),
}

/// Everything the summary is built from.
pub struct Inputs<'a> {
    /// Conversion rows by the summary's groups.
    pub conversion: &'a [conversion::Row],
    /// Response-time rows (calendar clock, SLA 15m) by the same groups.
    pub response_time: &'a [response_time::Row],
    /// Funnel rows by the same groups.
    pub funnel: &'a [funnel::Row],
    /// Sessions and net revenue by agent, over the whole period.
    pub by_agent: &'a [conversion::GroupNet],
    /// FRT rows by agent (calendar clock).
    pub frt_by_agent: &'a [response_time::Row],
    /// Sessions and net revenue by source, over the whole period.
    pub by_source: &'a [conversion::GroupNet],
    /// The funnel over the whole period (no groups), for its chart.
    pub funnel_all: &'a [funnel::Row],
    /// First-response histogram: bucket edges (seconds) and answered first turns per bucket;
    /// None when the output draws no charts (it is not computed then).
    pub frt_histogram: Option<(&'a [i64], &'a [u64])>,
}

fn join<'a>(inputs: &Inputs<'a>) -> BTreeMap<Vec<Option<String>>, Joined<'a>> {
    let mut joined: BTreeMap<Vec<Option<String>>, Joined<'a>> = BTreeMap::new();
    for r in inputs.conversion {
        joined
            .entry(r.group.clone())
            .or_default()
            .conversion
            .push(r);
    }
    for r in inputs.response_time {
        if r.clock == response_time::Clock::Calendar && r.metric == response_time::Metric::Frt {
            joined.entry(r.group.clone()).or_default().frt = Some(r);
        }
    }
    let last_step = inputs.funnel.iter().map(|r| r.step).max();
    for r in inputs.funnel {
        let j = joined.entry(r.group.clone()).or_default();
        if r.step == 1 {
            j.funnel_counts.0 = r.units;
            j.funnel_counts.2 = r.immature;
        }
        if Some(r.step) == last_step {
            j.lead_to_paid = r.from_start;
            j.funnel_counts.1 = r.units;
        }
    }
    joined
}

fn money(r: &conversion::Row, minor: i64) -> Cell {
    r.currency
        .as_ref()
        .map_or(Cell::Null, |c| Cell::money(minor, c.as_ref()))
}

/// Builds the report.
pub fn build(
    inputs: &Inputs<'_>,
    by: &[GroupBy],
    model: &ModelInfo,
    window: &Window,
    notes: Vec<Note>,
) -> Report {
    let mut columns = group_columns(by);
    columns.push(Column::new("currency", ColumnKind::Text));
    for (name, kind) in [
        ("sessions", ColumnKind::Count),
        ("converted_sessions", ColumnKind::Count),
        ("conversion_rate", ColumnKind::Fraction),
        ("net_revenue", ColumnKind::Money),
        ("frt_p50_s", ColumnKind::Seconds),
        ("frt_p90_s", ColumnKind::Seconds),
        ("answer_rate", ColumnKind::Fraction),
        ("sla_15m", ColumnKind::Fraction),
        ("lead_to_paid", ColumnKind::Fraction),
    ] {
        columns.push(Column::new(name, kind));
    }
    let joined = join(inputs);
    let empty = conversion::Row::default();
    let mut rows = Vec::new();
    for (group, j) in &joined {
        let per_currency: Vec<&conversion::Row> = if j.conversion.is_empty() {
            vec![&empty]
        } else {
            j.conversion.clone()
        };
        for c in per_currency {
            let mut cells: Vec<Cell> = group
                .iter()
                .map(|g| Cell::or_null(g.clone(), Cell::Text))
                .collect();
            cells.push(Cell::or_null(c.currency.as_deref(), Cell::text));
            cells.push(Cell::Count(c.sessions as i64));
            cells.push(Cell::Count(c.converted_sessions as i64));
            cells.push(Cell::or_null(c.conversion_rate(), Cell::Fraction));
            cells.push(money(c, c.net_minor));
            cells.push(Cell::or_null(j.frt.and_then(|f| f.p50_s), Cell::Seconds));
            cells.push(Cell::or_null(j.frt.and_then(|f| f.p90_s), Cell::Seconds));
            cells.push(Cell::or_null(
                j.frt.and_then(|f| f.answer_rate),
                Cell::Fraction,
            ));
            cells.push(Cell::or_null(
                j.frt.and_then(|f| f.sla.first().copied().flatten()),
                Cell::Fraction,
            ));
            cells.push(Cell::or_null(j.lead_to_paid, Cell::Fraction));
            rows.push(cells);
        }
    }
    let mut sections = Vec::new();
    if let Some((group, j)) = joined.iter().next_back() {
        sections.push(headline(group, j));
    }
    sections.push(top(
        "Top agents (net revenue, whole period)",
        "agent",
        inputs.by_agent,
        Some(inputs.frt_by_agent),
    ));
    sections.push(top(
        "Top sources (net revenue, whole period)",
        "source",
        inputs.by_source,
        None,
    ));
    let mut params = window.params(by);
    model.add_params(&mut params);
    params.insert("sla".into(), json!(["15m"]));
    let charts = summary_charts(inputs, by, &columns, &rows);
    Report {
        name: "summary",
        title: format!(
            "Summary, period {}, {}, as of {}, {}",
            window.label,
            window.tz.name(),
            window.as_of_text(),
            model.title()
        ),
        params,
        columns,
        rows,
        notes,
        sections,
        charts,
    }
}

/// The page's charts: revenue and conversion per period (per currency), the first-response
/// distribution and its median and p90 per period, the whole period's funnel, the agents, and
/// the sources when ads brought conversations.
fn summary_charts(
    inputs: &Inputs<'_>,
    by: &[GroupBy],
    columns: &[Column],
    rows: &[Vec<Cell>],
) -> Vec<crate::render::Chart> {
    // Summary rows are always per period, whatever other dimensions --by adds.
    let periods: Vec<GroupBy> = by.iter().copied().filter(|b| b.grain().is_some()).collect();
    let grain = charts::categories_word(&periods);
    let names: Vec<&str> = by.iter().map(|b| b.column()).collect();
    let mut charts = charts::revenue(columns, rows, &names, grain, &["sessions"]);
    if let Some((edges, counts)) = inputs.frt_histogram {
        charts.push(charts::frt_histogram(edges, counts, &[(900, "15m".into())]));
    }
    // Not money: one chart, each period once whatever its currencies.
    charts.extend(charts::from_table(
        columns,
        rows,
        &TableChart {
            title: &format!("First response time per {grain} (median and p90)"),
            kind: ChartKind::Columns,
            value_axis: "First response time",
            category: &names,
            series: &[
                ("frt_p50_s", SeriesStyle::Bar),
                ("frt_p90_s", SeriesStyle::Bar),
            ],
            notes: &["answer_rate"],
        },
    ));
    if !inputs.funnel_all.is_empty() {
        charts.push(charts::funnel(
            "Funnel (whole period)".into(),
            inputs.funnel_all,
        ));
    }
    charts.extend(charts::agents(inputs.frt_by_agent, inputs.by_agent));
    charts.extend(charts::sources(inputs.by_source));
    charts
}

/// The latest group's numbers as `metric | value` lines.
fn headline(group: &[Option<String>], j: &Joined<'_>) -> Section {
    let label = group
        .iter()
        .map(|g| g.as_deref().unwrap_or("—"))
        .collect::<Vec<_>>()
        .join(" · ");
    let first = j.conversion.first().copied();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut line = |name: &str, value: Cell| rows.push(vec![Cell::text(name), value]);
    line(
        "sessions",
        Cell::Count(first.map_or(0, |c| c.sessions as i64)),
    );
    line(
        "converted sessions (mature)",
        Cell::text(first.map_or("0 / 0".to_string(), |c| {
            format!("{} / {}", c.converted_sessions, c.mature_sessions)
        })),
    );
    line(
        "conversion rate",
        Cell::or_null(first.and_then(|c| c.conversion_rate()), Cell::Fraction),
    );
    for c in &j.conversion {
        if c.currency.is_some() {
            line(
                &format!("net revenue {}", c.currency.as_deref().unwrap_or("")),
                money(c, c.net_minor),
            );
        }
    }
    line(
        "first response p50",
        Cell::or_null(j.frt.and_then(|f| f.p50_s), Cell::Seconds),
    );
    line(
        "first response p90",
        Cell::or_null(j.frt.and_then(|f| f.p90_s), Cell::Seconds),
    );
    line(
        "answer rate",
        Cell::or_null(j.frt.and_then(|f| f.answer_rate), Cell::Fraction),
    );
    line(
        "answered within 15m",
        Cell::or_null(
            j.frt.and_then(|f| f.sla.first().copied().flatten()),
            Cell::Fraction,
        ),
    );
    // The rate is over leads whose window has closed (or that paid); say how many are open.
    let (decided, paid, open) = j.funnel_counts;
    line(
        "lead to paid",
        Cell::or_null(j.lead_to_paid, Cell::Fraction),
    );
    line(
        "leads: closed, paid, still open",
        Cell::text(format!("{decided}, {paid}, {open}")),
    );
    Section {
        title: format!("Headline, {label}"),
        columns: vec![
            Column::new("metric", ColumnKind::Text),
            Column::new("value", ColumnKind::Count),
        ],
        rows,
        before_table: true,
    }
}

/// The `TOP` groups by net revenue (then sessions), one row per (group, currency).
fn top(
    title: &str,
    column: &str,
    rows: &[conversion::GroupNet],
    frt: Option<&[response_time::Row]>,
) -> Section {
    let mut ranked: Vec<&conversion::GroupNet> = rows.iter().filter(|r| r.sessions > 0).collect();
    ranked.sort_by(|a, b| {
        b.net_minor
            .cmp(&a.net_minor)
            .then(b.sessions.cmp(&a.sessions))
            .then_with(|| a.group.cmp(&b.group))
    });
    let names: Vec<Vec<Option<String>>> = {
        let mut order = Vec::new();
        for r in &ranked {
            if !order.contains(&r.group) {
                order.push(r.group.clone());
            }
        }
        order.truncate(TOP);
        order
    };
    let mut columns = charts::group_net_columns(column);
    if frt.is_some() {
        columns.push(Column::new("frt_p50_s", ColumnKind::Seconds));
    }
    let mut out = Vec::new();
    for name in &names {
        for r in rows.iter().filter(|r| &r.group == name) {
            let mut cells = charts::group_net_cells(r);
            if let Some(frt) = frt {
                let p50 = frt
                    .iter()
                    .find(|f| {
                        f.group == r.group
                            && f.clock == response_time::Clock::Calendar
                            && f.metric == response_time::Metric::Frt
                    })
                    .and_then(|f| f.p50_s);
                cells.push(Cell::or_null(p50, Cell::Seconds));
            }
            out.push(cells);
        }
    }
    Section {
        title: title.to_string(),
        columns,
        rows: out,
        before_table: false,
    }
}
