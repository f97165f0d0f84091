//! `report conversion` as report data (SPEC §6 columns, then `matched_orders, orders`: the
//! numerator and denominator of `match_rate`).

use serde_json::json;

use super::charts;
use super::{Window, group_columns};
use crate::analytics::conversion::{Params, Row};
use crate::render::{Cell, Column, ColumnKind, Note, Report};

/// The attribution settings a money report names in its title and params.
#[derive(Debug, Clone)]
pub struct ModelInfo {
    /// `last`, `first`, `linear`, `position` or `time-decay`.
    pub model: &'static str,
    /// The window as written (`7d`).
    pub window: String,
    /// The time-decay half-life as written, for that model only.
    pub half_life: Option<String>,
}

impl ModelInfo {
    /// `model last, window 7d` (and the half-life for time-decay).
    pub fn title(&self) -> String {
        match &self.half_life {
            Some(h) => format!(
                "model {}, window {}, half-life {h}",
                self.model, self.window
            ),
            None => format!("model {}, window {}", self.model, self.window),
        }
    }

    /// Adds `model`, `window` (and `half_life`) to JSON params.
    pub fn add_params(&self, params: &mut serde_json::Map<String, serde_json::Value>) {
        params.insert("model".into(), json!(self.model));
        params.insert("window".into(), json!(self.window));
        if let Some(h) = &self.half_life {
            params.insert("half_life".into(), json!(h));
        }
    }
}

/// Where `--by currency` put the currency column among the group columns (None: after them).
pub fn columns(p: &Params, currency_at: Option<usize>) -> Vec<Column> {
    let mut columns = group_columns(&p.by);
    columns.insert(
        currency_at.unwrap_or(p.by.len()).min(columns.len()),
        Column::new("currency", ColumnKind::Text),
    );
    for c in [
        "sessions",
        "mature_sessions",
        "immature_sessions",
        "converted_sessions",
    ] {
        columns.push(Column::new(c, ColumnKind::Count));
    }
    columns.push(Column::new("conversion_rate", ColumnKind::Fraction));
    columns.push(Column::new("attributed_orders", ColumnKind::Count));
    for c in [
        "gross_revenue",
        "refunds",
        "net_revenue",
        "revenue_per_session",
        "average_order_value",
    ] {
        columns.push(Column::new(c, ColumnKind::Money));
    }
    columns.push(Column::new("time_to_order_p50_s", ColumnKind::Seconds));
    columns.push(Column::new("unattributed_orders", ColumnKind::Count));
    columns.push(Column::new("unattributed_revenue", ColumnKind::Money));
    columns.push(Column::new("match_rate", ColumnKind::Fraction));
    columns.push(Column::new("matched_orders", ColumnKind::Count));
    columns.push(Column::new("orders", ColumnKind::Count));
    columns
}

fn cells(r: &Row, currency_at: usize) -> Vec<Cell> {
    let mut cells: Vec<Cell> = r
        .group
        .iter()
        .map(|g| Cell::or_null(g.clone(), Cell::Text))
        .collect();
    cells.insert(
        currency_at.min(cells.len()),
        Cell::or_null(r.currency.as_deref(), Cell::text),
    );
    let money = |minor: Option<i64>| match (&r.currency, minor) {
        (Some(c), Some(m)) => Cell::money(m, c.as_ref()),
        _ => Cell::Null,
    };
    for n in [
        r.sessions,
        r.mature_sessions,
        r.immature_sessions,
        r.converted_sessions,
    ] {
        cells.push(Cell::Count(n as i64));
    }
    cells.push(Cell::or_null(r.conversion_rate(), Cell::Fraction));
    cells.push(Cell::Count(r.attributed_orders as i64));
    cells.push(money(Some(r.gross_minor)));
    cells.push(money(Some(r.refunds_minor)));
    cells.push(money(Some(r.net_minor)));
    cells.push(money(r.revenue_per_session_minor()));
    cells.push(money(r.average_order_value_minor()));
    cells.push(Cell::or_null(r.time_to_order_p50_s, Cell::Seconds));
    cells.push(Cell::Count(r.unattributed_orders as i64));
    cells.push(money(Some(r.unattributed_net_minor)));
    cells.push(Cell::or_null(r.match_rate(), Cell::Fraction));
    cells.push(Cell::Count(r.matched_orders as i64));
    cells.push(Cell::Count(r.orders as i64));
    cells
}

/// Builds the report from computed rows.
pub fn build(
    rows: &[Row],
    p: &Params,
    currency_at: Option<usize>,
    model: &ModelInfo,
    window: &Window,
    notes: Vec<Note>,
) -> Report {
    let at = currency_at.unwrap_or(p.by.len());
    let mut params = window.params(&p.by);
    if let Some(by) = params.get_mut("by").and_then(|b| b.as_array_mut())
        && currency_at.is_some()
    {
        by.insert(at.min(by.len()), json!("currency"));
    }
    model.add_params(&mut params);
    let columns = columns(p, currency_at);
    let rows: Vec<Vec<Cell>> = rows.iter().map(|r| cells(r, at)).collect();
    // Net revenue per group (per ad source with --by source), with its conversion rate.
    let names: Vec<&str> = p.by.iter().map(|b| b.column()).collect();
    let charts = charts::revenue(
        &columns,
        &rows,
        &names,
        charts::categories_word(&p.by),
        &["sessions", "converted_sessions", "attributed_orders"],
    );
    Report {
        name: "conversion",
        title: format!(
            "Conversion, period {}, {}, as of {}, {}",
            window.label,
            window.tz.name(),
            window.as_of_text(),
            model.title()
        ),
        params,
        columns,
        rows,
        notes,
        sections: Vec::new(),
        charts,
    }
}
