//! HTML: one self-contained page (inline CSS; no scripts, fonts or network) that opens in any
//! browser, reads on a phone and prints on A4. The title, the report's sections and main table
//! with the table view's human units, and the footer notes as a list. Every piece of text is
//! HTML-escaped; numeric columns are right-aligned.

use std::io::{self, Write};

use super::{Cell, Chart, Column, Locale, RenderOptions, Report, human_cell};

/// The page's stylesheet: readable on a phone (tables scroll sideways), printable on A4.
const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:1.5rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24;line-height:1.4}\
h1{font-size:1.35rem;margin:0 0 1rem}h2{font-size:1.05rem;margin:1.5rem 0 .5rem}\
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.9rem;margin:.25rem 0 1rem}\
th,td{padding:.3rem .6rem;border-bottom:1px solid #d8dee4;white-space:nowrap;text-align:left}\
th{background:#f3f5f7;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
tbody tr:nth-child(even){background:#fafbfc}footer{margin-top:1.5rem;font-size:.8rem;color:#57606a}\
footer ul{padding-left:1.1rem}\
@media print{@page{size:A4;margin:12mm}body{margin:0;max-width:none}.scroll{overflow:visible}th,td{white-space:normal}}";

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn table(columns: &[Column], rows: &[Vec<Cell>], opts: &RenderOptions, out: &mut String) {
    let class = |c: &Column| {
        if c.kind.is_numeric() {
            " class=\"n\""
        } else {
            ""
        }
    };
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
    for c in columns {
        out.push_str(&format!("<th{}>{}</th>", class(c), escape(&c.name)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (c, cell) in columns.iter().zip(row) {
            out.push_str(&format!(
                "<td{}>{}</td>",
                class(c),
                escape(&human_cell(cell, opts))
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// A cell's value for a chart: money in major units, counts, seconds, fractions.
fn number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Count(n) => Some(*n as f64),
        Cell::Seconds(x) | Cell::Fraction(x) => x.is_finite().then_some(*x),
        Cell::Money { minor, currency } => {
            let e = crate::sources::orders::money::currency_exponent(currency);
            Some(*minor as f64 / 10f64.powi(e as i32))
        }
        _ => None,
    }
}

/// An axis label of at most 20 characters: long ones keep their end (`…000101 · BRL`); the full
/// label is in the bar's tooltip and in the table.
fn short(label: &str) -> String {
    let n = label.chars().count();
    if n <= 20 {
        return label.to_string();
    }
    let tail: String = label.chars().skip(n - 19).collect();
    format!("…{tail}")
}

/// An SVG bar chart (with an optional rate line) of `chart`'s columns of the main table.
fn svg_chart(report: &Report, chart: &Chart, opts: &RenderOptions) -> Option<String> {
    let col = |name: &str| report.columns.iter().position(|c| c.name == name);
    let (x, bars) = (col(&chart.x)?, col(&chart.bars)?);
    let line = chart.line.as_deref().and_then(col);
    // Other text columns (group, currency) join the label so that every bar is named.
    let labels: Vec<String> = report
        .rows
        .iter()
        .map(|r| {
            let mut parts = vec![human_cell(&r[x], opts)];
            for (i, c) in report.columns.iter().enumerate() {
                if i != x && !c.kind.is_numeric() && matches!(r[i], Cell::Text(_)) {
                    parts.push(human_cell(&r[i], opts));
                }
            }
            parts.join(" · ")
        })
        .collect();
    let values: Vec<f64> = report
        .rows
        .iter()
        .map(|r| number(&r[bars]).unwrap_or(0.0))
        .collect();
    if values.is_empty() {
        return None;
    }
    let max = values.iter().cloned().fold(0.0f64, f64::max).max(1e-9);
    let (w, h, left, bottom, top) = (640.0, 320.0, 110.0, 120.0, 16.0);
    let plot_h = h - bottom - top;
    let step = (w - left - 16.0) / values.len() as f64;
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"{}\" style=\"max-width:{w}px\">\n",
        escape(&chart.title)
    );
    // Axis and the scale's top value (bars) and 100 % (line).
    s.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#8c959f\"/>\n",
        top + plot_h,
        w - 8.0,
        top + plot_h
    ));
    let top_label = human_cell(
        &match &report.rows[0][bars] {
            Cell::Money { currency, .. } => Cell::money(
                (max * 10f64
                    .powi(crate::sources::orders::money::currency_exponent(currency) as i32))
                    as i64,
                currency.clone(),
            ),
            Cell::Seconds(_) => Cell::Seconds(max),
            _ => Cell::Count(max.round() as i64),
        },
        opts,
    );
    s.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\" fill=\"#57606a\">{}</text>\n",
        left - 4.0,
        top + 8.0,
        escape(&top_label)
    ));
    let mut points = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let bh = plot_h * v / max;
        let bx = left + i as f64 * step + step * 0.15;
        s.push_str(&format!(
            "<rect x=\"{bx:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#4c8eda\"><title>{}: {}</title></rect>\n",
            top + plot_h - bh,
            step * 0.7,
            escape(&labels[i]),
            escape(&human_cell(&report.rows[i][bars], opts))
        ));
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-35 {:.1} {:.1})\" fill=\"#1b1f24\">{}</text>\n",
            bx + step * 0.35,
            top + plot_h + 12.0,
            bx + step * 0.35,
            top + plot_h + 12.0,
            escape(&short(&labels[i]))
        ));
        if let Some(l) = line
            && let Some(rate) = number(&report.rows[i][l])
        {
            points.push(format!(
                "{:.1},{:.1}",
                bx + step * 0.35,
                top + plot_h * (1.0 - rate.clamp(0.0, 1.0))
            ));
        }
    }
    if points.len() > 1 {
        s.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#d1242f\" stroke-width=\"2\"/>\n",
            points.join(" ")
        ));
    }
    if line.is_some() {
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\" fill=\"#d1242f\">100%</text>\n",
            w - 8.0,
            top + 8.0
        ));
    }
    s.push_str("</svg>\n");
    Some(s)
}

/// Writes the page.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let lang = match opts.locale {
        Locale::PtBr => "pt-BR",
        _ => "en",
    };
    let mut s = String::with_capacity(4096 + report.rows.len() * report.columns.len() * 48);
    s.push_str(&format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&report.title),
        escape(&report.title)
    ));
    for sec in report.sections.iter().filter(|x| x.before_table) {
        s.push_str(&format!("<h2>{}</h2>\n", escape(&sec.title)));
        table(&sec.columns, &sec.rows, opts, &mut s);
    }
    for chart in &report.charts {
        if let Some(svg) = svg_chart(report, chart, opts) {
            s.push_str(&format!("<h2>{}</h2>\n{svg}", escape(&chart.title)));
        }
    }
    table(&report.columns, &report.rows, opts, &mut s);
    for sec in report.sections.iter().filter(|x| !x.before_table) {
        s.push_str(&format!("<h2>{}</h2>\n", escape(&sec.title)));
        table(&sec.columns, &sec.rows, opts, &mut s);
    }
    if !report.notes.is_empty() {
        s.push_str("<footer><ul>\n");
        for n in &report.notes {
            s.push_str(&format!("<li>{}</li>\n", escape(&n.text)));
        }
        s.push_str("</ul></footer>\n");
    }
    s.push_str("</body>\n</html>\n");
    out.write_all(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;

    use super::super::{Note, sample};
    use super::*;

    #[test]
    fn a_self_contained_escaped_page() {
        let sp: Tz = "America/Sao_Paulo".parse().unwrap();
        let mut r = sample::attribute();
        r.title = "Attribution <script>alert(1)</script> & co".into();
        r.notes = vec![Note::new("x", 1, "file \"a<b>.txt\" skipped")];
        let mut out = Vec::new();
        render(&r, &RenderOptions::plain(sp, Locale::PtBr), &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.starts_with("<!doctype html>\n<html lang=\"pt-BR\">"));
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("Attribution &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(html.contains("<li>file &quot;a&lt;b&gt;.txt&quot; skipped</li>"));
        // Money in the table view's human units, right-aligned.
        assert!(html.contains("<td class=\"n\">R$ 1.234,56</td>"), "{html}");
        // Nothing is fetched: no external URL anywhere in the page.
        assert!(!html.contains("http"), "{html}");
        assert!(html.trim_end().ends_with("</html>"));
    }
}
