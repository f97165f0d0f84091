//! `chatrev sessions`: one row per conversation (SPEC §6), persons pseudonymised unless revealed.

use super::Window;
use crate::analytics::sessions::Conversations;
use crate::privacy::PseudonymKey;
use crate::render::{Cell, Column, ColumnKind, Note, Report};

/// Columns of the sessions table, in SPEC order.
pub const COLUMNS: [(&str, ColumnKind); 13] = [
    ("session_id", ColumnKind::Text),
    ("person", ColumnKind::Text),
    ("start", ColumnKind::Timestamp),
    ("end", ColumnKind::Timestamp),
    ("initiator", ColumnKind::Text),
    ("agent", ColumnKind::Text),
    ("source", ColumnKind::Text),
    ("messages_in", ColumnKind::Count),
    ("messages_out_human", ColumnKind::Count),
    ("frt_s", ColumnKind::Seconds),
    ("stage", ColumnKind::Text),
    ("attributed_orders", ColumnKind::Count),
    ("attributed_net", ColumnKind::Money),
];

/// How `person` is shown.
#[derive(Debug, Clone)]
pub enum PersonView {
    /// `p_<12 hex>` pseudonyms (the default).
    Pseudonym(PseudonymKey),
    /// The person key itself (`--reveal`).
    Reveal,
}

/// Builds the table: sessions whose start falls in the window.
pub fn build(conv: &Conversations, window: &Window, view: &PersonView, notes: Vec<Note>) -> Report {
    let rows = conv
        .sessions
        .iter()
        .filter(|s| window.range.contains(s.start_ms) && s.start_ms <= window.as_of_ms)
        .map(|s| {
            let first = s.first_turn.map(|t| &conv.turns[t]);
            let frt = first.and_then(|t| t.reply_ms.map(|r| (r - t.start_ms) as f64 / 1000.0));
            // Funnel stages that need no orders or quote rules; order/paid come with orders.
            let stage = match (s.messages_in, s.engaged_ms) {
                (0, _) => None,
                (_, None) => Some("lead"),
                (_, Some(_)) => Some("engaged"),
            };
            let person = match view {
                PersonView::Pseudonym(key) => key.pseudonym(&s.person),
                PersonView::Reveal => s.person.clone(),
            };
            vec![
                Cell::text(&s.session_id),
                Cell::text(person),
                Cell::Timestamp(s.start_ms),
                Cell::Timestamp(s.end_ms),
                Cell::text(s.initiator.as_str()),
                Cell::or_null(s.agent.as_deref(), Cell::text),
                Cell::text(&s.source),
                Cell::Count(s.messages_in.into()),
                Cell::Count(s.messages_out_human.into()),
                Cell::or_null(frt, Cell::Seconds),
                Cell::or_null(stage, Cell::text),
                Cell::Count(0),
                Cell::Null,
            ]
        })
        .collect::<Vec<_>>();
    let mut params = window.params(&[]);
    params.insert("reveal".into(), matches!(view, PersonView::Reveal).into());
    let mut notes = notes;
    notes.insert(
        0,
        Note::new("sessions", rows.len(), format!("{} session(s)", rows.len())),
    );
    Report {
        name: "sessions",
        title: format!(
            "Sessions, period {}, {}, as of {}",
            window.label,
            window.tz.name(),
            window.as_of_text()
        ),
        params,
        columns: COLUMNS.iter().map(|(n, k)| Column::new(*n, *k)).collect(),
        rows,
        notes,
    }
}
