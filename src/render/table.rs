//! Table for people (SPEC §6): the title line, then a comfy-table (`UTF8_FULL_CONDENSED`:
//! box-drawing borders, a rule under the header, no rules between rows).
//!
//! Durations humanised (`4m 12s`), fractions as percentages with one decimal, counts and money
//! per locale, times `2026-11-24 14:32` in the report zone, nulls empty; numeric columns
//! right-aligned. Bold header and title only with `opts.color`. Wraps to `opts.width` when set,
//! never otherwise (comfy-table's own terminal detection is off, so output is deterministic):
//! a header wraps between words (its underscores shown as spaces: `converted sessions`), text
//! and times between words (a word over [`WHOLE_WORD`] characters may be cut), and a number, an
//! amount or a duration never (`R$ 4.311` over `,58` reads as another number). A table that
//! cannot fit so is shown one record per row instead (psql's expanded display).
//! Text is escaped when `opts.sanitize` (a terminal).

use std::io::{self, Write};

use comfy_table::{
    Attribute, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

use super::{Cell, Column, ColumnKind, RenderOptions, Report, format, human_cell};

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

/// One table as text (no final newline): a comfy-table with a bold header when coloured, numbers
/// right-aligned, human cells; on a terminal too narrow for its columns' unbreakable widths, one
/// small name–value table per row instead (psql's expanded display).
fn table(columns: &[Column], rows: &[Vec<Cell>], opts: &RenderOptions) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| sanitized(&human_cell(cell, opts), opts))
                .collect()
        })
        .collect();
    let Some(width) = opts.width else {
        return grid(columns, cells, opts, None).to_string();
    };
    // comfy-table's widths count the cell's padding, one space each side.
    let narrowest: Vec<u16> = (columns.iter().enumerate())
        .map(|(i, col)| {
            let values = cells
                .iter()
                .filter_map(|row| row.get(i).map(String::as_str));
            u16::try_from(unbreakable_width(&col.name, col.kind, values) + 2).unwrap_or(u16::MAX)
        })
        .collect();
    // One border character left of each column, and one at the right end.
    let needed = narrowest.iter().map(|&w| usize::from(w) + 1).sum::<usize>() + 1;
    if needed <= usize::from(width) || rows.is_empty() {
        grid(columns, cells, opts, Some((width, &narrowest))).to_string()
    } else {
        expanded(columns, cells, opts, width)
    }
}

/// A comfy-table of `cells` under the column names; wrapped to a width when given, each column
/// no narrower than its entry in the list (headers then show their underscores as spaces, so
/// that they wrap between words).
fn grid(
    columns: &[Column],
    cells: Vec<Vec<String>>,
    opts: &RenderOptions,
    wrap: Option<(u16, &[u16])>,
) -> Table {
    let mut table = styled_table(opts, wrap.map(|(width, _)| width));
    table.set_header(columns.iter().map(|c| {
        let name = if wrap.is_some() {
            c.name.replace('_', " ")
        } else {
            c.name.clone()
        };
        header_cell(sanitized(&name, opts), opts)
    }));
    for row in cells {
        table.add_row(row);
    }
    for (i, col) in columns.iter().enumerate() {
        let Some(c) = table.column_mut(i) else {
            continue;
        };
        if col.kind.is_numeric() {
            c.set_cell_alignment(CellAlignment::Right);
        }
        if let Some(&narrowest) = wrap.and_then(|(_, narrowest)| narrowest.get(i)) {
            c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(narrowest)));
        }
    }
    table
}

/// psql's expanded display: `row N of M`, then a two-column table of column names and values.
fn expanded(
    columns: &[Column],
    cells: Vec<Vec<String>>,
    opts: &RenderOptions,
    width: u16,
) -> String {
    let total = cells.len();
    let names: Vec<String> = columns.iter().map(|c| sanitized(&c.name, opts)).collect();
    let name_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let mut out = Vec::with_capacity(total);
    for (n, row) in cells.into_iter().enumerate() {
        let mut table = styled_table(opts, Some(width));
        for (name, value) in names.iter().zip(row) {
            table.add_row([
                header_cell(name.clone(), opts),
                comfy_table::Cell::new(value),
            ]);
        }
        if let Some(c) = table.column_mut(0) {
            let w = u16::try_from(name_width + 2).unwrap_or(u16::MAX);
            c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
        }
        out.push(format!("row {} of {total}\n{table}", n + 1));
    }
    out.join("\n")
}

/// An empty comfy-table in the report style; dynamic to `width` when given.
fn styled_table(opts: &RenderOptions, width: Option<u16>) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .force_no_tty();
    if opts.color {
        table.enforce_styling();
    }
    match width {
        Some(w) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(w);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table
}

/// A column name, bold when coloured.
fn header_cell(name: String, opts: &RenderOptions) -> comfy_table::Cell {
    let cell = comfy_table::Cell::new(name);
    if opts.color {
        cell.add_attribute(Attribute::Bold)
    } else {
        cell
    }
}

/// Longest text word kept whole when wrapping: ids (`s_…`, `p_…`) and names fit; a longer word
/// (a click id, a URL) may be cut.
const WHOLE_WORD: usize = 16;

/// The narrowest a wrapped column may be: its header's longest word (words split at `_`); its
/// values' longest word (up to [`WHOLE_WORD`]), where they are text or times (`2026-11-24` over
/// `14:32`); whole values where they are numbers, amounts or durations (`R$ 1.234,56`, `1d 3h`).
fn unbreakable_width<'a>(
    name: &str,
    kind: ColumnKind,
    values: impl Iterator<Item = &'a str>,
) -> usize {
    let width = |s: &str| s.chars().count();
    let header = name.split('_').map(width).max().unwrap_or(0);
    let cells = values
        .map(|v| match kind {
            k if k.is_numeric() => width(v),
            ColumnKind::Timestamp => v.split_whitespace().map(width).max().unwrap_or(0),
            _ => (v.split_whitespace().map(width).max().unwrap_or(0)).min(WHOLE_WORD),
        })
        .max()
        .unwrap_or(0);
    header.max(cells)
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
    fn a_wide_terminal_wraps_headers_between_words_and_never_breaks_values() {
        let mut opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        opts.width = Some(140);
        let s = table_of(&sample::response_time(), &opts);
        assert!(s.lines().skip(1).all(|l| l.chars().count() <= 140), "{s}");
        // `answer_rate` is two header words; the values stay whole on their rows.
        let header = s.lines().nth(2).unwrap();
        assert!(
            header.contains(" answer ") && !header.contains("answer_rate"),
            "{s}"
        );
        assert!(s.lines().nth(3).unwrap().contains(" rate "), "{s}");
        let first = s.lines().find(|l| l.contains("2026-W45")).unwrap();
        for value in ["1,234", "4m 12s", "2h 5m", "1d 3h", "2d 7h", "83.3%"] {
            assert!(first.contains(value), "{value} in {first}");
        }
    }

    #[test]
    fn a_narrow_terminal_shows_one_record_per_row() {
        let mut opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        opts.width = Some(60);
        let s = table_of(&sample::response_time(), &opts);
        assert!(s.lines().skip(1).all(|l| l.chars().count() <= 60), "{s}");
        assert!(
            s.contains("row 1 of 2\n") && s.contains("row 2 of 2\n"),
            "{s}"
        );
        let rate = s.lines().find(|l| l.contains("answer_rate")).unwrap();
        assert!(rate.contains("97.2%"), "{s}");
        let mean = s.lines().find(|l| l.contains("mean_s")).unwrap();
        assert!(mean.contains("4m 12s"), "{s}");
        // No width (a file, a pipe): one grid, CSV's column names, however wide.
        let s = table_of(
            &sample::response_time(),
            &RenderOptions::plain(Tz::UTC, Locale::EnUs),
        );
        assert!(s.contains("answer_rate") && !s.contains("row 1 of"), "{s}");
    }

    #[test]
    fn unbreakable_widths() {
        let w = |name, kind, values: &[&str]| unbreakable_width(name, kind, values.iter().copied());
        assert_eq!(w("net_revenue", ColumnKind::Money, &["R$ 1.234,56"]), 11);
        assert_eq!(w("time_to_order_p50_s", ColumnKind::Seconds, &["1d 3h"]), 5);
        assert_eq!(
            w("touch_at", ColumnKind::Timestamp, &["2026-11-24 14:32"]),
            10
        );
        assert_eq!(
            w("source", ColumnKind::Text, &["anúncio de novembro", "ctwa"]),
            8
        );
        assert_eq!(
            w(
                "ctwa_clid",
                ColumnKind::Text,
                &["ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvCF"]
            ),
            16
        );
        assert_eq!(w("agent", ColumnKind::Text, &[]), 5);
    }

    #[test]
    fn sanitize_escapes() {
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
