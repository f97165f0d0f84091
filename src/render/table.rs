//! Table for people (SPEC §6): the title line, then a comfy-table (`UTF8_FULL_CONDENSED`:
//! box-drawing borders, a rule under the header, no rules between rows).
//!
//! Durations humanised (`4m 12s`), fractions as percentages with one decimal, counts and money
//! per locale, times `2026-11-24 14:32` in the report zone, nulls empty; numeric columns
//! right-aligned. Bold header and title only with `opts.color`. Wraps to `opts.width` when set,
//! never otherwise (comfy-table's own terminal detection is off, so output is deterministic).
//! Text is escaped when `opts.sanitize` (a terminal).

use std::io::{self, Write};

use comfy_table::{Attribute, CellAlignment, ContentArrangement, Table, presets};

use super::{Cell, Column, RenderOptions, Report, format, human_cell};

/// Writes the title line and the table, each ending in a newline.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let title = sanitized(&report.title, opts);
    if opts.color {
        writeln!(out, "\x1b[1m{title}\x1b[0m")?;
    } else {
        writeln!(out, "{title}")?;
    }
    for s in report.sections.iter().filter(|s| s.before_table) {
        writeln!(out, "\n{}", sanitized(&s.title, opts))?;
        writeln!(out, "{}", table(&s.columns, &s.rows, opts))?;
    }
    if report.sections.iter().any(|s| s.before_table) {
        writeln!(out)?;
    }
    writeln!(out, "{}", table(&report.columns, &report.rows, opts))?;
    for s in report.sections.iter().filter(|s| !s.before_table) {
        writeln!(out, "\n{}", sanitized(&s.title, opts))?;
        writeln!(out, "{}", table(&s.columns, &s.rows, opts))?;
    }
    Ok(())
}

fn sanitized(s: &str, opts: &RenderOptions) -> String {
    if opts.sanitize {
        format::sanitize(s).into_owned()
    } else {
        s.to_owned()
    }
}

/// One comfy-table: bold header when coloured, numbers right-aligned, human cells.
fn table(columns: &[Column], rows: &[Vec<Cell>], opts: &RenderOptions) -> Table {
    let text = |s: &str| sanitized(s, opts);
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .force_no_tty();
    if opts.color {
        table.enforce_styling();
    }
    match opts.width {
        Some(w) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(w);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table.set_header(columns.iter().map(|c| {
        let cell = comfy_table::Cell::new(text(&c.name));
        if opts.color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    for row in rows {
        table.add_row(
            row.iter()
                .map(|cell| comfy_table::Cell::new(text(&human_cell(cell, opts)))),
        );
    }
    for (i, col) in columns.iter().enumerate() {
        if col.kind.is_numeric()
            && let Some(c) = table.column_mut(i)
        {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;

    use super::super::{Cell, Locale, sample};
    use super::*;

    fn table_of(report: &Report, opts: &RenderOptions) -> String {
        let mut out = Vec::new();
        render(report, opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human_units_and_alignment() {
        let sp: Tz = "America/Sao_Paulo".parse().unwrap();
        let s = table_of(
            &sample::attribute(),
            &RenderOptions::plain(sp, Locale::PtBr),
        );
        assert!(s.starts_with("Attribution, 2026-11,"), "{s}");
        assert!(s.contains("R$ 1.234,56"), "{s}");
        assert!(s.contains("R$ 237,50"), "{s}");
        assert!(s.contains("JPY 1.500"), "{s}");
        assert!(s.contains("2026-11-24 14:32"), "{s}");
        assert!(s.contains("100,0%"), "{s}");
        assert!(!s.contains('\x1b'));
        let s = table_of(
            &sample::response_time(),
            &RenderOptions::plain(sp, Locale::EnUs),
        );
        assert!(s.contains("1,234"), "{s}");
        assert!(s.contains("4m 12s"), "{s}");
        assert!(s.contains("2h 5m"), "{s}");
        assert!(s.contains("1d 3h"), "{s}");
        assert!(s.contains("<1m"), "{s}");
        assert!(s.contains("83.3%"), "{s}");
    }

    #[test]
    fn color_makes_header_and_title_bold() {
        let mut opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        opts.color = true;
        let s = table_of(&sample::attribute(), &opts);
        assert!(s.starts_with("\x1b[1mAttribution"), "{s:?}");
        assert!(
            s.lines().nth(2).unwrap().contains("\x1b[1m order_id"),
            "{s:?}"
        );
    }

    #[test]
    fn width_wraps_and_sanitize_escapes() {
        let mut opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        opts.width = Some(100);
        let s = table_of(&sample::response_time(), &opts);
        assert!(s.lines().skip(1).all(|l| l.chars().count() <= 100), "{s}");

        let mut r = sample::attribute();
        r.rows[0][0] = Cell::text("#1\u{202e}001\x1b[2J");
        let mut opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        let raw = table_of(&r, &opts);
        assert!(raw.contains("#1\u{202e}001\x1b[2J"));
        opts.sanitize = true;
        let safe = table_of(&r, &opts);
        assert!(safe.contains("#1\\u{202e}001\\u{1b}[2J"), "{safe}");
        assert!(!safe.contains('\u{202e}') && !safe.contains('\x1b'));
    }
}
