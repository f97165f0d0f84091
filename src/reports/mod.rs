//! Reports: analytics results turned into [`crate::render::Report`] data (rows, params, notes).
//! Each report is one file; every renderer prints every report.

pub mod attribute;
pub mod charts;
pub mod conversion;
pub mod funnel;
pub mod response_time;
pub mod sessions;
pub mod summary;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use crate::analytics::periods::TimeRange;
use crate::analytics::response_time::GroupBy;
use crate::config::AutoReply;
use crate::model::MessageClass;
use crate::normalize::chats::auto_reply_rule;
use crate::render::{Column, ColumnKind, Note};

/// The time frame a report covers.
#[derive(Debug, Clone)]
pub struct Window {
    /// Report time zone.
    pub tz: Tz,
    /// Turns/sessions whose start is in this range.
    pub range: TimeRange,
    /// Cutoff for pending/immature.
    pub as_of_ms: i64,
    /// How the period was asked for (`all`, `2026-W48`, `2026-11-02..2026-11-08`).
    pub label: String,
}

impl Window {
    /// `as_of` in RFC 3339 in the report zone.
    pub fn as_of_text(&self) -> String {
        rfc3339(self.as_of_ms, self.tz)
    }

    /// The parameters every report shares.
    pub fn params(&self, by: &[GroupBy]) -> serde_json::Map<String, Value> {
        let mut m = serde_json::Map::new();
        m.insert("period".into(), json!(self.label));
        m.insert(
            "since".into(),
            json!(self.range.start_ms.map(|t| rfc3339(t, self.tz))),
        );
        m.insert(
            "until".into(),
            json!(self.range.end_ms.map(|t| rfc3339(t, self.tz))),
        );
        m.insert("tz".into(), json!(self.tz.name()));
        m.insert("as_of".into(), json!(self.as_of_text()));
        m.insert(
            "by".into(),
            json!(by.iter().map(|b| by_name(*b)).collect::<Vec<_>>()),
        );
        m
    }
}

/// The `--by` value for a dimension.
pub fn by_name(b: GroupBy) -> &'static str {
    match b {
        GroupBy::Day => "day",
        GroupBy::Week => "week",
        GroupBy::Month => "month",
        GroupBy::Agent => "agent",
        GroupBy::Source => "source",
        GroupBy::Initiator => "initiator",
    }
}

/// The group columns `--by` adds, first in every row.
pub fn group_columns(by: &[GroupBy]) -> Vec<Column> {
    by.iter()
        .map(|b| Column::new(b.column(), ColumnKind::Text))
        .collect()
}

/// RFC 3339 with the zone's offset, seconds precision.
pub fn rfc3339(ms: i64, tz: Tz) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&tz)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_default()
}

/// How many `outbound_auto` messages each `[[auto_reply]]` rule matches (the first matching rule
/// counts), plus those no rule matches now (source metadata, rules changed since ingest, or
/// no text kept).
pub fn auto_reply_note(rules: &[AutoReply], texts: &[Option<String>]) -> Note {
    let mut hits = vec![0u64; rules.len()];
    let mut other = 0u64;
    for t in texts {
        match t.as_deref().and_then(|t| auto_reply_rule(rules, t)) {
            Some(i) => hits[i] += 1,
            None => other += 1,
        }
    }
    let label = |r: &AutoReply| match (&r.text, &r.regex) {
        (Some(t), _) => format!("text {t:?}"),
        (None, Some(re)) => format!("regex {:?}", re.0.as_str()),
        (None, None) => String::new(),
    };
    let mut parts: Vec<String> = rules
        .iter()
        .zip(&hits)
        .map(|(r, n)| format!("{} → {n}", label(r)))
        .collect();
    if other > 0 || rules.is_empty() {
        parts.push(format!("other (metadata or no rule now) → {other}"));
    }
    let value = json!({
        "rules": rules.iter().zip(&hits).map(|(r, n)| json!({"rule": label(r), "messages": n})).collect::<Vec<_>>(),
        "other": other,
    });
    Note::new(
        "auto_reply",
        value,
        format!("outbound_auto by rule: {}", parts.join("; ")),
    )
}

/// Footer notes about the inputs: messages read by class (`MessageClass::ALL` order), failed
/// sends left out (a line only when there are some; always in JSON) and rejected lines.
pub fn input_notes(by_class: &[u64; 5], failed_sends: u64, rejected_lines: u64) -> Vec<Note> {
    let total: u64 = by_class.iter().sum();
    let classes: serde_json::Map<String, Value> = MessageClass::ALL
        .iter()
        .zip(by_class)
        .map(|(c, n)| (c.as_str().to_string(), json!(n)))
        .collect();
    let text = MessageClass::ALL
        .iter()
        .zip(by_class)
        .map(|(c, n)| format!("{} {n}", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        Note::new(
            "messages",
            total,
            format!("inputs: {total} messages read ({text})"),
        ),
        Note::new(
            "messages_by_class",
            Value::Object(classes),
            format!("classified: {text}"),
        ),
        Note::new(
            "failed_sends",
            failed_sends,
            if failed_sends == 0 {
                String::new()
            } else {
                format!(
                    "left out: {failed_sends} send(s) whose delivery failed (they reached no one, so they answer no one)"
                )
            },
        ),
        Note::new(
            "rejected_lines",
            rejected_lines,
            format!("skipped: {rejected_lines} rejected input line(s) at ingest (rejects.csv)"),
        ),
    ]
}
