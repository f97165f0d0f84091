//! `report response-time` as report data (SPEC §6 columns).

use serde_json::json;

use super::charts::{self, TableChart};
use super::{Window, group_columns};
use crate::analytics::response_time::{Clock, Metric, Params, Row};
use crate::config::Threshold;
use crate::render::{Cell, ChartKind, Column, ColumnKind, Note, Report, SeriesStyle};

/// Builds the report from computed rows.
pub fn build(
    rows: &[Row],
    p: &Params<'_>,
    sla: &[Threshold],
    window: &Window,
    mut notes: Vec<Note>,
) -> Report {
    let mut columns = group_columns(&p.by);
    columns.push(Column::new("clock", ColumnKind::Text));
    columns.push(Column::new("metric", ColumnKind::Text));
    for c in ["turns", "answered", "pending", "unanswered"] {
        columns.push(Column::new(c, ColumnKind::Count));
    }
    columns.push(Column::new("answer_rate", ColumnKind::Fraction));
    for c in ["mean_s", "p50_s", "p90_s", "p95_s", "max_s"] {
        columns.push(Column::new(c, ColumnKind::Seconds));
    }
    for t in sla {
        columns.push(Column::new(
            format!("sla_{}", t.label),
            ColumnKind::Fraction,
        ));
    }
    let secs = |v: Option<f64>| Cell::or_null(v, Cell::Seconds);
    let frac = |v: Option<f64>| Cell::or_null(v, Cell::Fraction);
    let body: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let mut cells: Vec<Cell> = r
                .group
                .iter()
                .map(|g| Cell::or_null(g.clone(), Cell::Text))
                .collect();
            cells.push(Cell::text(r.clock.as_str()));
            cells.push(Cell::text(r.metric.as_str()));
            for n in [r.turns, r.answered, r.pending, r.unanswered] {
                cells.push(Cell::Count(n as i64));
            }
            cells.push(frac(r.answer_rate));
            for v in [r.mean_s, r.p50_s, r.p90_s, r.p95_s, r.max_s] {
                cells.push(secs(v));
            }
            cells.extend(r.sla.iter().map(|v| frac(*v)));
            cells
        })
        .collect();
    let clocks: Vec<&str> = p.clocks.iter().map(|c| c.as_str()).collect();
    let mut params = window.params(&p.by);
    params.insert("clock".into(), json!(clocks));
    params.insert(
        "sla".into(),
        json!(sla.iter().map(|t| t.label.as_str()).collect::<Vec<_>>()),
    );
    params.insert("abandon_s".into(), json!(p.rules.abandon_ms / 1000));
    params.insert("gap_s".into(), json!(p.rules.gap_ms / 1000));
    if p.clocks.contains(&Clock::Business) && p.calendar.is_none() {
        notes.push(Note::new(
            "business_clock",
            "not configured",
            "business clock: no [business_hours] in the config, so its figures are empty",
        ));
    }
    let charts = if p.by.is_empty() {
        Vec::new()
    } else {
        let names: Vec<&str> = p.by.iter().map(|b| b.column()).collect();
        let title = format!(
            "First response time per {} (median and p90)",
            charts::categories_word(&p.by)
        );
        // First turns on the first clock reported: one row per group.
        let first_clock = p.clocks.first().copied();
        let frt: Vec<Vec<Cell>> = rows
            .iter()
            .zip(&body)
            .filter(|(r, _)| Some(r.clock) == first_clock && r.metric == Metric::Frt)
            .map(|(_, cells)| cells.clone())
            .collect();
        charts::from_table(
            &columns,
            &frt,
            &TableChart {
                title: &title,
                kind: ChartKind::Columns,
                value_axis: "First response time",
                category: &names,
                series: &[("p50_s", SeriesStyle::Bar), ("p90_s", SeriesStyle::Bar)],
                notes: &["answered", "answer_rate"],
            },
        )
    };
    Report {
        name: "response-time",
        title: format!(
            "Response time, period {}, {}, as of {}, clock {}",
            window.label,
            window.tz.name(),
            window.as_of_text(),
            clocks.join("+")
        ),
        params,
        columns,
        rows: body,
        notes,
        sections: Vec::new(),
        charts,
    }
}
