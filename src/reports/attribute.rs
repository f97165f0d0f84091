//! `chatrev attribute` as report data: one row per (order, credited session), plus one row per
//! unattributed order (SPEC §6, §5.7), and the order notes the money reports share.

use std::collections::BTreeMap;

use serde_json::json;

use super::Window;
use super::conversion::ModelInfo;
use super::sessions::PersonView;
use crate::analytics::attribution::Attribution;
use crate::analytics::orders::OrderFact;
use crate::analytics::sessions::Conversations;
use crate::render::{Cell, Column, ColumnKind, Note, Report};

/// Columns of the attribute table, in SPEC order.
pub const COLUMNS: [(&str, ColumnKind); 12] = [
    ("order_id", ColumnKind::Text),
    ("session_id", ColumnKind::Text),
    ("person", ColumnKind::Text),
    ("model", ColumnKind::Text),
    ("weight", ColumnKind::Fraction),
    ("currency", ColumnKind::Text),
    ("gross", ColumnKind::Money),
    ("refunds", ColumnKind::Money),
    ("net", ColumnKind::Money),
    ("order_created_at", ColumnKind::Timestamp),
    ("touch_at", ColumnKind::Timestamp),
    ("reason", ColumnKind::Text),
];

/// Builds the table for orders created in the window, by creation time then order id.
pub fn build(
    conv: &Conversations,
    orders: &[OrderFact],
    attributions: &[Attribution],
    model: &ModelInfo,
    window: &Window,
    view: &PersonView,
    notes: Vec<Note>,
) -> Report {
    let mut selected: Vec<usize> = (0..orders.len())
        .filter(|&i| window.range.contains(orders[i].created_ms))
        .collect();
    selected.sort_by(|&a, &b| {
        (orders[a].created_ms, &orders[a].order_id)
            .cmp(&(orders[b].created_ms, &orders[b].order_id))
    });
    let person_cell = |p: Option<&str>| match (p, view) {
        (None, _) => Cell::Null,
        (Some(p), PersonView::Reveal) => Cell::text(p),
        (Some(p), PersonView::Pseudonym(key)) => Cell::text(key.pseudonym(p)),
    };
    let mut rows = Vec::new();
    for &i in &selected {
        let o = &orders[i];
        let money = |minor: i64| Cell::money(minor, o.currency.as_ref());
        match &attributions[i] {
            Attribution::Credited(credits) => {
                for c in credits {
                    rows.push(vec![
                        Cell::text(&o.order_id),
                        Cell::text(&conv.sessions[c.session].session_id),
                        person_cell(o.person.as_deref()),
                        Cell::text(model.model),
                        Cell::Fraction(c.weight),
                        Cell::text(o.currency.as_ref()),
                        money(c.gross_minor),
                        money(c.refunds_minor),
                        money(c.net_minor),
                        Cell::Timestamp(o.created_ms),
                        Cell::Timestamp(c.touch_ms),
                        Cell::Null,
                    ]);
                }
            }
            Attribution::Unattributed(reason) => {
                let (gross, refunds) = if o.is_paid() {
                    (o.total_minor, o.refunded_minor)
                } else {
                    (0, 0)
                };
                rows.push(vec![
                    Cell::text(&o.order_id),
                    Cell::Null,
                    person_cell(o.person.as_deref()),
                    Cell::text(model.model),
                    Cell::Null,
                    Cell::text(o.currency.as_ref()),
                    money(gross),
                    money(refunds),
                    money(gross - refunds),
                    Cell::Timestamp(o.created_ms),
                    Cell::Null,
                    Cell::text(reason.as_str()),
                ]);
            }
        }
    }
    let mut params = window.params(&[]);
    model.add_params(&mut params);
    params.insert("reveal".into(), matches!(view, PersonView::Reveal).into());
    let mut notes = notes;
    notes.splice(0..0, order_notes(conv, orders, attributions, window));
    Report {
        name: "attribute",
        title: format!(
            "Attribution, orders created in period {}, {}, as of {}, {}",
            window.label,
            window.tz.name(),
            window.as_of_text(),
            model.title()
        ),
        params,
        columns: COLUMNS.iter().map(|(n, k)| Column::new(*n, *k)).collect(),
        rows,
        notes,
        sections: Vec::new(),
        charts: Vec::new(),
    }
}

/// Footer notes about the orders created in the window: how many by status, how many were
/// attributed, the unattributed ones by reason, and the match rate.
pub fn order_notes(
    conv: &Conversations,
    orders: &[OrderFact],
    attributions: &[Attribution],
    window: &Window,
) -> Vec<Note> {
    let mut by_status: BTreeMap<&str, u64> = BTreeMap::new();
    let mut reasons: BTreeMap<&str, u64> = BTreeMap::new();
    let (mut total, mut credited, mut matched) = (0u64, 0u64, 0u64);
    for (o, a) in orders.iter().zip(attributions) {
        if !window.range.contains(o.created_ms) {
            continue;
        }
        total += 1;
        *by_status.entry(o.status.as_str()).or_default() += 1;
        match a {
            Attribution::Credited(_) => credited += 1,
            Attribution::Unattributed(r) => *reasons.entry(r.as_str()).or_default() += 1,
        }
        if o.person
            .as_deref()
            .is_some_and(|p| conv.sessions_of(p).is_some())
        {
            matched += 1;
        }
    }
    let list = |m: &BTreeMap<&str, u64>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unattributed: u64 = reasons.values().sum();
    let rate = if total > 0 {
        format!("{:.1} %", 100.0 * matched as f64 / total as f64)
    } else {
        "n/a".to_string()
    };
    vec![
        Note::new(
            "orders",
            json!({"read": total, "by_status": by_status}),
            format!(
                "orders: {total} created in the period ({})",
                if total == 0 {
                    "none".to_string()
                } else {
                    list(&by_status)
                }
            ),
        ),
        Note::new(
            "attribution",
            json!({"attributed": credited, "unattributed": unattributed, "unattributed_by_reason": reasons}),
            format!(
                "attributed: {credited} order(s); unattributed: {unattributed}{}",
                if unattributed == 0 {
                    String::new()
                } else {
                    format!(" ({})", list(&reasons))
                }
            ),
        ),
        Note::new(
            "match_rate",
            json!({"matched": matched, "orders": total}),
            format!(
                "match rate: {matched} of {total} order(s) have a person with a conversation ({rate})"
            ),
        ),
    ]
}
