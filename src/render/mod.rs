//! Rendering (SPEC §6): a report is data ([`Report`]); one renderer per format prints it.
//!
//! - [`Format::Csv`] ([`csv`]): the table only, machine units (SPEC §6 CSV rules).
//! - [`Format::Json`] ([`json`]): report, title, params, columns, rows as objects, notes.
//! - [`Format::Table`] ([`table`]): title line and a comfy-table with human units.
//! - [`Format::Markdown`] ([`markdown`]): a `### ` title and a GitHub-flavoured table.
//! - [`Format::Html`] ([`html`]): one self-contained page for a browser, e-mail or print.
//!
//! [`render`] writes one report to any `io::Write`; [`write_report`] sends it to stdout or,
//! atomically, to an `--output` file. The footer ([`footer`]) is for stderr and is the caller's
//! to print (table and Markdown formats; CSV and JSON carry no footer on stderr by default).

use std::io::{self, IsTerminal, Write};
use std::str::FromStr;

use chrono_tz::Tz;

pub mod chart;
pub mod csv;
pub mod format;
pub mod html;
pub mod i18n;
pub mod json;
pub mod markdown;
pub mod output;
pub mod svg;
pub mod table;

pub use chart::{Chart, ChartKind, Mark, Series, SeriesStyle};
pub use output::{terminal_width, write_report};

/// One report, ready to print in any format.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Machine name: `response-time`, `conversion`, `funnel`, `summary`, `sessions`, `attribute`.
    pub name: &'static str,
    /// Human title line: `Response time, 2026-11-02 to 2026-11-22, America/Sao_Paulo, clock both`.
    pub title: String,
    /// Every parameter used (period, tz, as_of, by, sla, …); JSON only.
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Columns in order, named exactly as SPEC §6.
    pub columns: Vec<Column>,
    /// One cell per column in each row.
    pub rows: Vec<Vec<Cell>>,
    /// Footer facts: inputs used and skipped, classification counts… Keys must be unique.
    pub notes: Vec<Note>,
    /// Further small tables for people (the summary's headline, top agents and sources):
    /// printed by the table and Markdown renderers, listed in JSON, left out of CSV.
    pub sections: Vec<Section>,
    /// Charts, each with the small table of numbers it draws; drawn by the HTML renderer only.
    pub charts: Vec<Chart>,
}

/// A titled table printed around a report's main table.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Its heading.
    pub title: String,
    /// Columns in order.
    pub columns: Vec<Column>,
    /// One cell per column in each row.
    pub rows: Vec<Vec<Cell>>,
    /// Printed before the main table (else after it).
    pub before_table: bool,
}

/// A column: its SPEC name and the kind of value it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Name as in SPEC §6 (`p50_s`, `sla_15m`, …).
    pub name: String,
    /// What the column holds; decides alignment (numbers right-aligned).
    pub kind: ColumnKind,
}

impl Column {
    /// A column named `name` holding `kind` values.
    pub fn new(name: impl Into<String>, kind: ColumnKind) -> Column {
        Column {
            name: name.into(),
            kind,
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Free text (ids, names, stages, period labels).
    Text,
    /// An integer count.
    Count,
    /// A duration in seconds.
    Seconds,
    /// A rate in 0–1.
    Fraction,
    /// An amount of money.
    Money,
    /// An instant.
    Timestamp,
}

impl ColumnKind {
    /// Numbers are right-aligned in tables and Markdown.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            ColumnKind::Count | ColumnKind::Seconds | ColumnKind::Fraction | ColumnKind::Money
        )
    }
}

/// One value. Each renderer formats it by its own variant, whatever the column's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value: an empty cell, JSON `null`.
    Null,
    /// Text, printed as is (escaped on terminals).
    Text(String),
    /// An integer count.
    Count(i64),
    /// A duration in seconds; printed as whole seconds rounded half up (or humanised).
    Seconds(f64),
    /// A rate in 0–1; four decimals in CSV/JSON, a percentage with one decimal for people.
    Fraction(f64),
    /// Money in minor units of an ISO 4217 currency.
    Money {
        /// Amount in minor units (cents for BRL).
        minor: i64,
        /// ISO 4217 code (`BRL`).
        currency: String,
    },
    /// Milliseconds since the Unix epoch, UTC; printed in the report zone.
    Timestamp(i64),
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A money cell.
    pub fn money(minor: i64, currency: impl Into<String>) -> Cell {
        Cell::Money {
            minor,
            currency: currency.into(),
        }
    }

    /// `Null` for `None`, else the cell `f` makes from the value.
    pub fn or_null<T>(value: Option<T>, f: impl FnOnce(T) -> Cell) -> Cell {
        value.map_or(Cell::Null, f)
    }
}

/// A footer fact: a machine key and value (JSON `notes`) and its sentence (stderr footer).
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// JSON key in `notes` (`rejected_rows`).
    pub key: String,
    /// JSON value (`12`).
    pub value: serde_json::Value,
    /// The sentence for people (`12 rows rejected (see rejects.csv)`); empty for a note that only
    /// machines read (JSON), which the footers leave out.
    pub text: String,
}

impl Note {
    /// A note from its key, value and sentence.
    pub fn new(
        key: impl Into<String>,
        value: impl Into<serde_json::Value>,
        text: impl Into<String>,
    ) -> Note {
        Note {
            key: key.into(),
            value: value.into(),
            text: text.into(),
        }
    }
}

/// `--format`
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people (comfy-table), with the title above.
    Table,
    /// RFC 4180 CSV with a header row; the table only.
    Csv,
    /// One JSON object: report, title, params, columns, rows, notes.
    Json,
    /// A GitHub-flavoured Markdown table under a `###` title.
    Markdown,
    /// One self-contained HTML page (inline CSS), notes included.
    Html,
}

impl Format {
    /// SPEC §2 default: `table` when stdout is a terminal, else `csv`.
    pub fn default_for_stdout() -> Format {
        if io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Csv
        }
    }

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    /// Whether the caller should print [`footer`] on stderr (people formats only).
    pub fn has_footer(self) -> bool {
        matches!(self, Format::Table | Format::Markdown)
    }
}

/// Number style of tables and Markdown (config `locale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// `1.234,56`, `R$ 1.234,56`, `83,3%`. The default config's locale.
    #[default]
    PtBr,
    /// `1,234.56`, `$1,234.56`, `83.3%`.
    EnUs,
}

impl Locale {
    /// Thousands separator.
    pub fn thousands(self) -> char {
        match self {
            Locale::PtBr => '.',
            Locale::EnUs => ',',
        }
    }

    /// Decimal mark.
    pub fn decimal(self) -> char {
        match self {
            Locale::PtBr => ',',
            Locale::EnUs => '.',
        }
    }
}

impl FromStr for Locale {
    type Err = String;

    /// `pt-BR`/`pt_BR`/`pt` → pt-BR style; `en-US`/`en_US`/`en` and other `en-*` → en-US style.
    fn from_str(s: &str) -> Result<Locale, String> {
        let lang = s
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match lang.as_str() {
            "pt" => Ok(Locale::PtBr),
            "en" => Ok(Locale::EnUs),
            _ => Err(format!("unsupported locale {s:?}: expected pt-BR or en-US")),
        }
    }
}

/// How to print: report zone, number style, terminal features.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    /// Report time zone: timestamps are printed in it.
    pub tz: Tz,
    /// Number style for tables and Markdown.
    pub locale: Locale,
    /// Bold table header and title (ANSI); only for terminals.
    pub color: bool,
    /// Wrap the table to this many columns; `None` never wraps.
    pub width: Option<u16>,
    /// Escape control and bidi characters in text (output is a terminal); raw when false.
    pub sanitize: bool,
}

impl RenderOptions {
    /// Plain options for files and pipes: no colour, no wrapping, raw text.
    pub fn plain(tz: Tz, locale: Locale) -> RenderOptions {
        RenderOptions {
            tz,
            locale,
            color: false,
            width: None,
            sanitize: false,
        }
    }

    /// Options for stdout: escaped text and the terminal's width when stdout is a terminal;
    /// `color` as the caller resolved it (`--color`, `NO_COLOR`, TTY), so `always` is kept.
    pub fn for_stdout(tz: Tz, locale: Locale, color: bool) -> RenderOptions {
        let tty = io::stdout().is_terminal();
        RenderOptions {
            tz,
            locale,
            color,
            width: if tty { terminal_width() } else { None },
            sanitize: tty,
        }
    }
}

/// Writes `report` in `format` to `out`. Every row must have one cell per column and note keys
/// must be unique (else `InvalidInput`, before anything is written). I/O errors are returned
/// unchanged, so a closed pipe surfaces as `ErrorKind::BrokenPipe`. Does not flush `out`.
pub fn render(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    check(report)?;
    match format {
        Format::Table => table::render(report, opts, out),
        Format::Csv => csv::render(report, opts, out),
        Format::Json => json::render(report, opts, out),
        Format::Markdown => markdown::render(report, opts, out),
        Format::Html => html::render(report, opts, out),
    }
}

/// The footer lines for stderr (table and Markdown formats): each note's sentence on its own
/// line, control and bidi characters escaped. Empty when there are no notes.
pub fn footer(report: &Report) -> String {
    let mut s = String::new();
    for note in report.notes.iter().filter(|n| !n.text.is_empty()) {
        s.push_str(&format::sanitize(&note.text));
        s.push('\n');
    }
    s
}

/// Shape checks: a report built wrongly is a bug, reported rather than printed wrongly.
fn check(report: &Report) -> io::Result<()> {
    let tables = std::iter::once(("main table", &report.columns, &report.rows)).chain(
        report
            .sections
            .iter()
            .map(|s| (s.title.as_str(), &s.columns, &s.rows)),
    );
    for (table, columns, rows) in tables {
        let width = columns.len();
        if let Some((i, row)) = rows.iter().enumerate().find(|(_, r)| r.len() != width) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "report {} ({table}): row {} has {} cells for {} columns",
                    report.name,
                    i + 1,
                    row.len(),
                    width
                ),
            ));
        }
    }
    let mut keys = std::collections::HashSet::new();
    if let Some(dup) = report.notes.iter().find(|n| !keys.insert(n.key.as_str())) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("report {}: note key {:?} repeated", report.name, dup.key),
        ));
    }
    Ok(())
}

/// Human form of a cell for tables and Markdown (before escaping): `4m 12s`, `83.3%`,
/// `R$ 1.234,56`, `2026-11-24 14:32`; empty for nulls and non-finite numbers.
pub(crate) fn human_cell(cell: &Cell, opts: &RenderOptions) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Count(n) => format::count_human(*n, opts.locale),
        Cell::Seconds(s) => format::duration_human(*s).unwrap_or_default(),
        Cell::Fraction(f) => format::percent_human(*f, opts.locale).unwrap_or_default(),
        Cell::Money { minor, currency } => format::money_human(*minor, currency, opts.locale),
        Cell::Timestamp(ms) => format::timestamp_human(*ms, opts.tz).unwrap_or_default(),
    }
}

/// Machine form of a cell for CSV (and JSON strings/numbers): whole seconds, four-decimal
/// fractions, major-unit money, RFC 3339 times; `None` for nulls and non-finite numbers.
pub(crate) fn machine_cell(cell: &Cell, opts: &RenderOptions) -> Option<String> {
    match cell {
        Cell::Null => None,
        Cell::Text(s) => Some(s.clone()),
        Cell::Count(n) => Some(n.to_string()),
        Cell::Seconds(s) => format::whole_seconds(*s).map(|s| s.to_string()),
        Cell::Fraction(f) => format::fraction_machine(*f),
        Cell::Money { minor, currency } => Some(format::money_machine(*minor, currency)),
        Cell::Timestamp(ms) => format::timestamp_machine(*ms, opts.tz),
    }
}

#[cfg(test)]
pub(crate) mod sample;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_from_config_tags() {
        assert_eq!("pt-BR".parse::<Locale>().unwrap(), Locale::PtBr);
        assert_eq!("pt_BR".parse::<Locale>().unwrap(), Locale::PtBr);
        assert_eq!("en-US".parse::<Locale>().unwrap(), Locale::EnUs);
        assert_eq!("en".parse::<Locale>().unwrap(), Locale::EnUs);
        assert!("fr-FR".parse::<Locale>().is_err());
    }

    #[test]
    fn format_names_match_the_command_line() {
        use clap::ValueEnum;
        for f in Format::value_variants() {
            let name = f.to_possible_value().unwrap();
            assert_eq!(name.get_name(), f.as_str());
            assert_eq!(Format::from_str(f.as_str(), false).unwrap(), *f);
        }
        assert!(Format::Table.has_footer() && Format::Markdown.has_footer());
        assert!(!Format::Csv.has_footer() && !Format::Json.has_footer());
    }

    #[test]
    fn ragged_rows_and_repeated_note_keys_are_refused() {
        let opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        let mut r = sample::response_time();
        r.rows[1].pop();
        let mut out = Vec::new();
        let err = render(&r, Format::Csv, &opts, &mut out).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("row 2 has"), "{err}");
        assert!(out.is_empty());

        let mut r = sample::response_time();
        r.notes.push(r.notes[0].clone());
        let err = render(&r, Format::Json, &opts, &mut out).unwrap_err();
        assert!(err.to_string().contains("repeated"), "{err}");
    }

    #[test]
    fn footer_lines_are_escaped() {
        let mut r = sample::response_time();
        r.notes = vec![
            Note::new("a", 1, "one"),
            Note::new("b", 2, "file \u{202e}txt.exe skipped"),
        ];
        assert_eq!(footer(&r), "one\nfile \\u{202e}txt.exe skipped\n");
        r.notes.push(Note::new("for_machines", 0, ""));
        assert_eq!(footer(&r), "one\nfile \\u{202e}txt.exe skipped\n");
        r.notes.clear();
        assert_eq!(footer(&r), "");
    }

    #[test]
    fn human_and_machine_cells() {
        let sp: Tz = "America/Sao_Paulo".parse().unwrap();
        let opts = RenderOptions::plain(sp, Locale::PtBr);
        let ts = Cell::Timestamp(1_795_541_525_000);
        assert_eq!(human_cell(&ts, &opts), "2026-11-24 14:32");
        assert_eq!(
            machine_cell(&ts, &opts).unwrap(),
            "2026-11-24T14:32:05-03:00"
        );
        assert_eq!(human_cell(&Cell::Seconds(f64::NAN), &opts), "");
        assert_eq!(machine_cell(&Cell::Fraction(f64::INFINITY), &opts), None);
        assert_eq!(machine_cell(&Cell::Seconds(2.5), &opts).unwrap(), "3");
        assert_eq!(machine_cell(&Cell::Null, &opts), None);
        assert_eq!(human_cell(&Cell::Null, &opts), "");
    }
}

#[cfg(test)]
mod snapshots {
    use super::*;

    fn rendered(report: &Report, format: Format, locale: Locale) -> String {
        let tz: Tz = "America/Sao_Paulo".parse().unwrap();
        let mut out = Vec::new();
        render(report, format, &RenderOptions::plain(tz, locale), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn response_time_in_every_format() {
        let r = sample::response_time();
        insta::assert_snapshot!(
            "response_time_table",
            rendered(&r, Format::Table, Locale::PtBr)
        );
        insta::assert_snapshot!("response_time_csv", rendered(&r, Format::Csv, Locale::PtBr));
        insta::assert_snapshot!(
            "response_time_json",
            rendered(&r, Format::Json, Locale::PtBr)
        );
        insta::assert_snapshot!(
            "response_time_markdown",
            rendered(&r, Format::Markdown, Locale::PtBr)
        );
        insta::assert_snapshot!("response_time_footer", footer(&r));
    }

    #[test]
    fn money_report_in_every_format() {
        let r = sample::attribute();
        insta::assert_snapshot!(
            "attribute_table_pt_br",
            rendered(&r, Format::Table, Locale::PtBr)
        );
        insta::assert_snapshot!(
            "attribute_table_en_us",
            rendered(&r, Format::Table, Locale::EnUs)
        );
        insta::assert_snapshot!("attribute_csv", rendered(&r, Format::Csv, Locale::PtBr));
        insta::assert_snapshot!("attribute_json", rendered(&r, Format::Json, Locale::PtBr));
        insta::assert_snapshot!(
            "attribute_markdown",
            rendered(&r, Format::Markdown, Locale::EnUs)
        );
    }
}
