//! CSV (SPEC §6): RFC 4180 quoting via the csv crate, `,`, UTF-8 without BOM, a header row,
//! records ending in CRLF; the table only (no title, no footer).
//!
//! Counts are integers, durations whole seconds rounded half up, fractions four decimals,
//! money major units with the currency's exponent, times RFC 3339 in the report zone, nulls
//! empty. On a terminal (`opts.sanitize`) text is escaped; files and pipes get it raw.

use std::io::{self, Write};

use super::{RenderOptions, Report, format, machine_cell};

/// Writes the report as CSV.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    // RFC 4180 (SPEC §6): records end in CRLF.
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    let text = |s: String| {
        if opts.sanitize {
            format::sanitize(&s).into_owned()
        } else {
            s
        }
    };
    w.write_record(report.columns.iter().map(|c| text(c.name.clone())))
        .map_err(io_error)?;
    for row in &report.rows {
        w.write_record(
            row.iter()
                .map(|cell| text(machine_cell(cell, opts).unwrap_or_default())),
        )
        .map_err(io_error)?;
    }
    w.flush()
}

/// The csv crate's own conversion wraps I/O errors as `Other`; keep the original kind so a
/// closed pipe stays `BrokenPipe`.
fn io_error(err: ::csv::Error) -> io::Error {
    match err.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;

    use super::super::{Cell, Column, ColumnKind, Locale, Report, sample};
    use super::*;

    fn csv_of(report: &Report, opts: &RenderOptions) -> String {
        let mut out = Vec::new();
        render(report, opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn one_column(cells: Vec<Cell>) -> Report {
        Report {
            name: "sessions",
            title: "t".into(),
            params: Default::default(),
            columns: vec![Column::new("agent", ColumnKind::Text)],
            rows: cells.into_iter().map(|c| vec![c]).collect(),
            notes: vec![],
            sections: Vec::new(),
            charts: Vec::new(),
        }
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        let r = one_column(vec![
            Cell::text("Loja, Centro"),
            Cell::text("Ana \"Aninha\" Lima"),
            Cell::text("two\nlines"),
            Cell::text("plain"),
            Cell::Null,
        ]);
        let opts = RenderOptions::plain(Tz::UTC, Locale::PtBr);
        assert_eq!(
            csv_of(&r, &opts),
            "agent\r\n\"Loja, Centro\"\r\n\"Ana \"\"Aninha\"\" Lima\"\r\n\"two\nlines\"\r\nplain\r\n\"\"\r\n"
        );
    }

    #[test]
    fn machine_units_and_no_bom() {
        let sp: Tz = "America/Sao_Paulo".parse().unwrap();
        let r = sample::attribute();
        let s = csv_of(&r, &RenderOptions::plain(sp, Locale::PtBr));
        assert!(s.starts_with("order_id,session_id,person,model,weight,currency,gross,"));
        assert!(
            s.contains("#1002,,p_0123456789ab,last,,BRL,250.00,12.50,237.50,2026-11-24T14:33:05-03:00,,no_conversation\r\n"),
            "{s}"
        );
        assert!(s.contains(",JPY,1500,0,1500,"), "{s}");
        let r = sample::response_time();
        let s = csv_of(&r, &RenderOptions::plain(sp, Locale::PtBr));
        assert!(
            s.contains("2026-W46,calendar,frt,3,1,2,0,1.0000,3,3,3,,3,1.0000,1.0000\r\n"),
            "{s}"
        );
    }

    #[test]
    fn text_is_escaped_only_for_terminals() {
        let r = one_column(vec![Cell::text("a\u{202e}b")]);
        let mut opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        assert_eq!(csv_of(&r, &opts), "agent\r\na\u{202e}b\r\n");
        opts.sanitize = true;
        assert_eq!(csv_of(&r, &opts), "agent\r\na\\u{202e}b\r\n");
    }
}
