//! `chatrev sessions`: one row per conversation (SPEC §6), persons pseudonymised unless revealed.

use super::Window;
use crate::analytics::conversion::SessionCredit;
use crate::analytics::sessions::Conversations;
use crate::privacy::PseudonymKey;
use crate::render::{Cell, Column, ColumnKind, Note, Report};

/// Columns of the sessions table, in SPEC order.
pub const COLUMNS: [(&str, ColumnKind); 15] = [
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
    ("currency", ColumnKind::Text),
    ("ctwa_clid", ColumnKind::Text),
];

/// How `person` is shown.
#[derive(Debug, Clone)]
pub enum PersonView {
    /// `p_<12 hex>` pseudonyms (the default).
    Pseudonym(PseudonymKey),
    /// The person key itself (`--reveal`).
    Reveal,
}

/// Builds the table: sessions whose start falls in the window. `credits`, `stage` and
/// `ctwa_clid` are parallel to `conv.sessions`: what attribution credited each session with
/// under the configured model, the furthest funnel stage it reached, and its ad click id.
/// `attributed_net` is in the extra `currency` column's currency, empty when a session's credits
/// span two currencies (counted in a note).
pub fn build(
    conv: &Conversations,
    credits: &[SessionCredit],
    stage: &[Option<&str>],
    ctwa_clid: &[Option<String>],
    window: &Window,
    view: &PersonView,
    notes: Vec<Note>,
) -> Report {
    let mut mixed = 0u64;
    let rows = conv
        .sessions
        .iter()
        .zip(credits)
        .zip(stage)
        .zip(ctwa_clid)
        .filter(|(((s, _), _), _)| {
            window.range.contains(s.start_ms) && s.start_ms <= window.as_of_ms
        })
        .map(|(((s, credit), stage), clid)| {
            let first = s.first_turn.map(|t| &conv.turns[t]);
            let frt = first.and_then(|t| t.reply_ms.map(|r| (r - t.start_ms) as f64 / 1000.0));
            let (net, currency) = match credit.net.as_slice() {
                [] => (Cell::Null, Cell::Null),
                [(cur, minor)] => (Cell::money(*minor, cur.as_ref()), Cell::text(cur.as_ref())),
                _ => {
                    mixed += 1;
                    (Cell::Null, Cell::Null)
                }
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
                Cell::or_null(*stage, Cell::text),
                Cell::Count(credit.paid_orders.into()),
                net,
                currency,
                Cell::or_null(clid.as_deref(), Cell::text),
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
    if mixed > 0 {
        notes.push(Note::new(
            "mixed_currency_sessions",
            mixed,
            format!(
                "{mixed} session(s) credited in two currencies: attributed_net left empty (see `chatrev attribute`)"
            ),
        ));
    }
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
        sections: Vec::new(),
        charts: Vec::new(),
    }
}
