//! Markdown (SPEC §6): a `### ` title and a GitHub-flavoured table for pasting into a weekly
//! note. Cells use the table's human forms; numeric columns are right-aligned (`---:`).
//! In cells `\` and `|` are backslash-escaped and line breaks become `<br>`; columns are padded
//! to equal width so the source reads as a table too. Text is escaped when `opts.sanitize`.

use std::io::{self, Write};

use super::{Cell, Column, RenderOptions, Report, format, human_cell};

/// Writes the title heading, a blank line and the table; sections as `#### ` headings with
/// their tables, before or after the main one.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let heading = |s: &str| {
        let s = if opts.sanitize {
            format::sanitize(s)
        } else {
            std::borrow::Cow::Borrowed(s)
        };
        s.replace(['\r', '\n'], " ")
    };
    writeln!(out, "### {}\n", heading(&report.title))?;
    for s in report.sections.iter().filter(|s| s.before_table) {
        writeln!(out, "#### {}\n", heading(&s.title))?;
        table(&s.columns, &s.rows, opts, out)?;
        writeln!(out)?;
    }
    table(&report.columns, &report.rows, opts, out)?;
    for s in report.sections.iter().filter(|s| !s.before_table) {
        writeln!(out, "\n#### {}\n", heading(&s.title))?;
        table(&s.columns, &s.rows, opts, out)?;
    }
    Ok(())
}

/// One GFM table, columns padded to equal width.
fn table(
    columns: &[Column],
    rows: &[Vec<Cell>],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let prep = |s: &str| {
        let s = if opts.sanitize {
            format::sanitize(s)
        } else {
            std::borrow::Cow::Borrowed(s)
        };
        escape_cell(&s)
    };
    let header: Vec<String> = columns.iter().map(|c| prep(&c.name)).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| prep(&human_cell(c, opts))).collect())
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].chars().count(), 3])
                .max()
                .unwrap_or(3)
        })
        .collect();
    let right: Vec<bool> = columns.iter().map(|c| c.kind.is_numeric()).collect();
    let line = |out: &mut dyn Write, cells: &[String]| -> io::Result<()> {
        let mut s = String::from("|");
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            s.push(' ');
            if right[i] {
                s.extend(std::iter::repeat_n(' ', pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.extend(std::iter::repeat_n(' ', pad));
            }
            s.push_str(" |");
        }
        writeln!(out, "{s}")
    };
    line(out, &header)?;
    let rule: Vec<String> = widths
        .iter()
        .zip(&right)
        .map(|(&w, &r)| {
            if r {
                format!("{}:", "-".repeat(w - 1))
            } else {
                "-".repeat(w)
            }
        })
        .collect();
    line(out, &rule)?;
    for row in &rows {
        line(out, row)?;
    }
    Ok(())
}

/// Escapes a cell for a GFM table: `\` → `\\`, `|` → `\|`, line breaks → `<br>`.
fn escape_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;

    use super::super::{Cell, Column, ColumnKind, Locale, sample};
    use super::*;

    fn md_of(report: &Report, opts: &RenderOptions) -> String {
        let mut out = Vec::new();
        render(report, opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_cell("a|b"), "a\\|b");
        assert_eq!(escape_cell("C:\\x|"), "C:\\\\x\\|");
        assert_eq!(
            escape_cell("one\ntwo\r\nthree\rfour"),
            "one<br>two<br>three<br>four"
        );
        assert_eq!(escape_cell("plain *text*"), "plain *text*");
    }

    #[test]
    fn table_shape() {
        let r = Report {
            name: "funnel",
            title: "Funnel | test".into(),
            params: Default::default(),
            columns: vec![
                Column::new("stage", ColumnKind::Text),
                Column::new("units", ColumnKind::Count),
            ],
            rows: vec![
                vec![Cell::text("a|b"), Cell::Count(1234)],
                vec![Cell::Null, Cell::Null],
            ],
            notes: vec![],
            sections: Vec::new(),
            charts: Vec::new(),
        };
        let s = md_of(&r, &RenderOptions::plain(Tz::UTC, Locale::PtBr));
        assert_eq!(
            s,
            "### Funnel | test\n\n\
             | stage | units |\n\
             | ----- | ----: |\n\
             | a\\|b  | 1.234 |\n\
             |       |       |\n"
        );
    }

    #[test]
    fn sanitized_on_terminals() {
        let mut r = sample::attribute();
        r.rows[0][0] = Cell::text("x\u{2067}y");
        let mut opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        assert!(md_of(&r, &opts).contains("x\u{2067}y"));
        opts.sanitize = true;
        // The escape's backslash is itself escaped, so it renders as `\u{2067}`.
        assert!(md_of(&r, &opts).contains("x\\\\u{2067}y"));
    }
}
