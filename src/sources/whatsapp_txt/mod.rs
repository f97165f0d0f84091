//! Parser for WhatsApp "Export chat" text (SPEC §3.1, FORMATS.md).
//!
//! Pure: text in, messages out. No time zones, no identities, no polars — the
//! normalise stage turns [`ExportMessage`]s into stored [`crate::model::Message`]s.

use chrono::NaiveDateTime;

use crate::model::Kind;

mod date_order;
mod header;
mod markers;
mod parse;
#[cfg(test)]
mod tests;

pub use parse::{Release, parse_export, parse_export_releasing};

/// Day/month order of the dates in an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// day/month/year
    Dmy,
    /// month/day/year
    Mdy,
    /// year/month/day
    Ymd,
}

/// How the date order of a file was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrderBasis {
    /// A component above 12 (or a 4-digit leading year) settled it.
    Evidence,
    /// Only one reading keeps the file in chronological order (or one is clearly more so).
    Chronology,
    /// Undecidable from the file: the `--date-order` flag / config decided.
    Fallback,
}

/// Options the caller resolves before parsing.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Used only when the file itself cannot decide (`--date-order`, else config `date_order`).
    pub date_order: Option<DateOrder>,
}

/// One message of an export, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportMessage {
    /// 1-based line number of the header line.
    pub line: u32,
    /// Wall-clock time as written in the file (exports carry no zone).
    pub local: NaiveDateTime,
    /// 60 for minute-only headers, 1 when the header has seconds.
    pub precision_s: u32,
    /// Sender as displayed, with invisible marks stripped (LRE/PDF/LRM, NBSP→space, U+2011→'-');
    /// None for authorless system lines.
    pub author: Option<std::sync::Arc<str>>,
    /// Body, continuation lines joined with '\n', leading marks stripped, no trailing '\r'.
    pub text: String,
    /// What the line is (text, media, deleted, call, system…).
    pub kind: Kind,
}

/// A physical line that belongs to no message (only text before the first header).
#[derive(Debug, Clone, PartialEq)]
pub struct LineReject {
    /// 1-based line number.
    pub line: u32,
    /// Why it could not be used.
    pub reason: String,
    /// The raw line (the caller cuts it for the rejects file).
    pub excerpt: String,
}

/// The result of parsing one export.
#[derive(Debug, Clone)]
pub struct ParsedExport {
    /// Messages in file order (not re-sorted).
    pub messages: Vec<ExportMessage>,
    /// Lines that could not be used.
    pub rejects: Vec<LineReject>,
    /// Human-readable header template, e.g. `android "dd/mm/yyyy HH:mm - "`.
    pub template: String,
    /// The date order used.
    pub date_order: DateOrder,
    /// How it was decided.
    pub date_order_basis: DateOrderBasis,
    /// Physical lines in the file.
    pub lines: usize,
}

/// Why a whole file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// No header template matched (e.g. `no dated line in the first 50 lines`).
    #[error("not a WhatsApp export: {0}")]
    NotAnExport(String),
    /// Both d/m and m/d readings fit and no fallback was given.
    #[error(
        "cannot tell day/month order (no day above 12 and both readings are chronological); pass --date-order dmy|mdy"
    )]
    AmbiguousDateOrder,
}
