//! `report funnel` as report data (SPEC §6 columns).

use serde_json::json;

use super::charts;
use super::{Window, group_columns};
use crate::analytics::funnel::{Params, Row, Stage, StageRule};
use crate::config::FunnelUnit;
use crate::render::{Cell, Column, ColumnKind, Note, Report};

/// `session` or `contact`.
pub fn unit_name(unit: FunnelUnit) -> &'static str {
    match unit {
        FunnelUnit::Session => "session",
        FunnelUnit::Contact => "contact",
    }
}

fn rule_text(stage: &Stage) -> String {
    match &stage.rule {
        StageRule::FirstInbound => "first inbound message".into(),
        StageRule::TwoWay => "human reply to the first turn, then another inbound message".into(),
        StageRule::Message(m) => {
            let mut parts = Vec::new();
            if let Some(re) = &m.regex {
                parts.push(
                    format!("{:?} text matching {:?}", m.direction, re.as_str()).to_lowercase(),
                );
            }
            if let Some(k) = &m.kind {
                parts.push(format!("a `{k}` message"));
            }
            parts.join(" or ")
        }
        StageRule::OrderPlaced => "a credited order, not cancelled".into(),
        StageRule::OrderPaid => "that order paid".into(),
    }
}

/// How many groups get a funnel chart of their own (the table has them all).
pub const CHARTED_GROUPS: usize = 12;

/// One horizontal funnel per group (the first [`CHARTED_GROUPS`]), titled by the group.
fn funnel_charts(rows: &[Row]) -> Vec<crate::render::Chart> {
    // Rows come grouped: each group's stages are contiguous.
    rows.chunk_by(|a, b| a.group == b.group)
        .take(CHARTED_GROUPS)
        .map(|stage_rows| {
            let group = &stage_rows[0].group;
            let title = if group.is_empty() {
                "Funnel per stage".to_string()
            } else {
                let name: Vec<&str> = group.iter().map(|g| g.as_deref().unwrap_or("—")).collect();
                format!("Funnel, {}", name.join(" · "))
            };
            charts::funnel(title, stage_rows)
        })
        .collect()
}

/// Builds the report from computed rows.
pub fn build(
    rows: &[Row],
    stages: &[Stage],
    p: &Params,
    window_text: &str,
    window: &Window,
    notes: Vec<Note>,
) -> Report {
    let mut columns = group_columns(&p.by);
    columns.push(Column::new("step", ColumnKind::Count));
    columns.push(Column::new("stage", ColumnKind::Text));
    columns.push(Column::new("units", ColumnKind::Count));
    columns.push(Column::new("from_start", ColumnKind::Fraction));
    columns.push(Column::new("from_previous", ColumnKind::Fraction));
    columns.push(Column::new("dropped", ColumnKind::Count));
    columns.push(Column::new("immature", ColumnKind::Count));
    columns.push(Column::new("time_from_previous_p50_s", ColumnKind::Seconds));
    columns.push(Column::new("time_from_previous_p90_s", ColumnKind::Seconds));
    let body = rows
        .iter()
        .map(|r| {
            let mut cells: Vec<Cell> = r
                .group
                .iter()
                .map(|g| Cell::or_null(g.clone(), Cell::Text))
                .collect();
            cells.push(Cell::Count(r.step as i64));
            cells.push(Cell::text(&r.stage));
            cells.push(Cell::Count(r.units as i64));
            cells.push(Cell::or_null(r.from_start, Cell::Fraction));
            cells.push(Cell::or_null(r.from_previous, Cell::Fraction));
            cells.push(Cell::or_null(r.dropped.map(|d| d as i64), Cell::Count));
            cells.push(Cell::Count(r.immature as i64));
            cells.push(Cell::or_null(r.time_from_previous_p50_s, Cell::Seconds));
            cells.push(Cell::or_null(r.time_from_previous_p90_s, Cell::Seconds));
            cells
        })
        .collect();
    let mut params = window.params(&p.by);
    params.insert("window".into(), json!(window_text));
    params.insert("unit".into(), json!(unit_name(p.unit)));
    params.insert(
        "stages".into(),
        json!(
            stages
                .iter()
                .map(|s| json!({"stage": s.name, "rule": rule_text(s)}))
                .collect::<Vec<_>>()
        ),
    );
    Report {
        name: "funnel",
        title: format!(
            "Funnel, period {} (by lead), {}, as of {}, unit {}, window {window_text}",
            window.label,
            window.tz.name(),
            window.as_of_text(),
            unit_name(p.unit)
        ),
        params,
        columns,
        rows: body,
        notes,
        sections: Vec::new(),
        charts: funnel_charts(rows),
    }
}
