//! HTML: one self-contained page (inline CSS and SVG; no scripts, fonts or network, enforced
//! by a Content-Security-Policy) that opens in any browser, reads on a phone and prints on A4.
//!
//! The page speaks the config's `locale` ([`i18n`](super::i18n)): headings, column names,
//! numbers, money and dates (`R$ 1.234,56`, `24/11/2026`). Order: the title and what the
//! report covers, the sections meant to come first (the summary's headline), each chart with
//! the table of the numbers it draws beside it, the main table, the other sections, the notes.
//! Every piece of text is HTML-escaped; numeric columns are right-aligned.

use std::io::{self, Write};

use chrono::{DateTime, NaiveDate};

use super::chart::Chart;
use super::i18n::{label, label_phrase};
use super::{Cell, Column, Locale, RenderOptions, Report, human_cell, svg};

/// The page's stylesheet: readable on a phone (tables scroll sideways, charts wrap under
/// their tables), printable on A4 (a chart and its table stay on one page).
const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:1.5rem auto;max-width:80rem;padding:0 1rem;color:#1b1f24;line-height:1.4;background:#fff}\
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.05rem;margin:1.6rem 0 .5rem}\
p.sub{margin:0 0 1rem;color:#57606a;font-size:.9rem}\
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem;margin:.25rem 0 1rem}\
th,td{padding:.28rem .55rem;border-bottom:1px solid #d8dee4;white-space:nowrap;text-align:left}\
th{background:#f3f5f7;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
tbody tr:nth-child(even){background:#fafbfc}\
section.chart{break-inside:avoid;page-break-inside:avoid}\
.cw{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:flex-start}\
.cw .pic{flex:1 1 30rem;max-width:640px;min-width:0}.cw .data{flex:1 1 18rem;min-width:0}\
.cw table{font-size:.78rem}.cw th{white-space:normal;vertical-align:bottom}.cw th,.cw td{padding:.2rem .4rem}\
footer{margin-top:1.5rem;font-size:.8rem;color:#57606a}footer ul{padding-left:1.1rem}\
@media print{@page{size:A4;margin:12mm}body{margin:0;max-width:none}.scroll{overflow:visible}table{font-size:.72rem}th,td{white-space:normal}td.n{white-space:nowrap}}";

/// The policy that keeps the page self-contained: nothing may load, no script may run.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

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

/// A date in the locale's order: `24/11/2026` (pt-BR), `11/24/2026` (en-US).
pub fn date_text(d: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::PtBr => d.format("%d/%m/%Y").to_string(),
        Locale::EnUs => d.format("%m/%d/%Y").to_string(),
    }
}

/// A period label for people: `2026-W47` → `sem. 16/11/2026`, `2026-11-24` → `24/11/2026`,
/// `2026-11` → `11/2026`, `a..b` → `a – b`, `all` → `tudo`; anything else as it is.
pub fn period_text(label_text: &str, locale: Locale) -> String {
    if let Some((a, b)) = label_text.split_once("..") {
        return format!("{} – {}", period_text(a, locale), period_text(b, locale));
    }
    if label_text == "all" {
        return label(locale, "period all");
    }
    if let Some((y, w)) = label_text.split_once("-W")
        && let (Ok(y), Ok(w)) = (y.parse::<i32>(), w.parse::<u32>())
        && let Some(monday) = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon)
    {
        let prefix = match locale {
            Locale::PtBr => "sem.",
            Locale::EnUs => "wk",
        };
        return format!("{prefix} {}", date_text(monday, locale));
    }
    if let Ok(d) = NaiveDate::parse_from_str(label_text, "%Y-%m-%d") {
        return date_text(d, locale);
    }
    if let Ok(d) = NaiveDate::parse_from_str(&format!("{label_text}-01"), "%Y-%m-%d") {
        return d.format("%m/%Y").to_string();
    }
    label_text.to_string()
}

/// An RFC 3339 instant as the locale's date and time in its own offset (`22/11/2026 20:30`).
fn instant_text(rfc3339: &str, locale: Locale) -> String {
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => format!(
            "{} {}",
            date_text(t.date_naive(), locale),
            t.format("%H:%M")
        ),
        Err(_) => rfc3339.to_string(),
    }
}

/// A cell as the page shows it: periods and instants in the locale's dates, stage, clock and
/// metric names translated, everything else in the table view's human units.
pub fn cell_text(cell: &Cell, column: &Column, opts: &RenderOptions) -> String {
    match (cell, column.name.as_str()) {
        (Cell::Text(s), "period" | "day" | "week" | "month") => period_text(s, opts.locale),
        (Cell::Text(s), "stage" | "clock" | "metric") => phrase(s, opts.locale),
        (Cell::Text(s), "agent" | "source" | "initiator") if s == "(none)" => label(opts.locale, s),
        (Cell::Timestamp(ms), _) => DateTime::from_timestamp_millis(*ms)
            .map(|t| {
                let t = t.with_timezone(&opts.tz);
                format!(
                    "{} {}",
                    date_text(t.date_naive(), opts.locale),
                    t.format("%H:%M")
                )
            })
            .unwrap_or_default(),
        _ => human_cell(cell, opts),
    }
}

/// A heading, chart title or headline line in the locale; a period after its `, ` is
/// localised too (`Headline, 2026-W47` → `Destaques, sem. 16/11/2026`).
pub(crate) fn phrase(text: &str, locale: Locale) -> String {
    label_phrase(locale, text, |tail| period_text(tail, locale))
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
        out.push_str(&format!(
            "<th{}>{}</th>",
            class(c),
            escape(&label(opts.locale, &c.name))
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (c, cell) in columns.iter().zip(row) {
            let text = match (c.name.as_str(), cell) {
                ("metric", Cell::Text(s)) => phrase(s, opts.locale),
                _ => cell_text(cell, c, opts),
            };
            out.push_str(&format!("<td{}>{}</td>", class(c), escape(&text)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// A chart block: its heading, the SVG, and the numbers it draws as a table beside it.
fn chart_block(chart: &Chart, opts: &RenderOptions, out: &mut String) {
    let Some(svg) = svg::draw(chart, opts) else {
        return;
    };
    out.push_str(&format!(
        "<section class=\"chart\">\n<h2>{}</h2>\n<div class=\"cw\"><div class=\"pic\">\n{svg}</div>\n<div class=\"data\">\n",
        escape(&phrase(&chart.title, opts.locale))
    ));
    table(&chart.columns, &chart.rows, opts, out);
    out.push_str("</div></div>\n</section>\n");
}

/// The page's first line: the report's name in the locale.
fn heading(report: &Report, locale: Locale) -> String {
    let key = match report.name {
        "summary" => "Summary",
        "conversion" => "Conversion",
        "funnel" => "Funnel",
        "response-time" => "Response time",
        "sessions" => "Sessions",
        "attribute" => "Attribution",
        other => other,
    };
    label(locale, key)
}

/// What the report covers, from its parameters: period, zone and as-of, in the locale.
fn coverage(report: &Report, locale: Locale) -> String {
    let param = |k: &str| report.params.get(k).and_then(|v| v.as_str());
    let mut parts = Vec::new();
    if let Some(p) = param("period") {
        parts.push(format!(
            "{}: {}",
            label(locale, "Period"),
            period_text(p, locale)
        ));
    }
    if let Some(tz) = param("tz") {
        parts.push(tz.to_string());
    }
    if let Some(a) = param("as_of") {
        parts.push(format!(
            "{} {}",
            label(locale, "as of"),
            instant_text(a, locale)
        ));
    }
    parts.join(" · ")
}

/// Writes the page.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let lang = match opts.locale {
        Locale::PtBr => "pt-BR",
        Locale::EnUs => "en",
    };
    let title = heading(report, opts.locale);
    let mut s = String::with_capacity(8192 + report.rows.len() * report.columns.len() * 48);
    s.push_str(&format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
        escape(&title),
        escape(&title),
        escape(&coverage(report, opts.locale))
    ));
    for sec in report.sections.iter().filter(|x| x.before_table) {
        s.push_str(&format!(
            "<h2>{}</h2>\n",
            escape(&phrase(&sec.title, opts.locale))
        ));
        table(&sec.columns, &sec.rows, opts, &mut s);
    }
    for chart in &report.charts {
        chart_block(chart, opts, &mut s);
    }
    s.push_str(&format!(
        "<h2>{}</h2>\n",
        escape(&label(opts.locale, "Table"))
    ));
    table(&report.columns, &report.rows, opts, &mut s);
    for sec in report.sections.iter().filter(|x| !x.before_table) {
        s.push_str(&format!(
            "<h2>{}</h2>\n",
            escape(&phrase(&sec.title, opts.locale))
        ));
        table(&sec.columns, &sec.rows, opts, &mut s);
    }
    s.push_str(&format!("<footer>\n<p>{}</p>\n", escape(&report.title)));
    if !report.notes.is_empty() {
        s.push_str("<ul>\n");
        for n in report.notes.iter().filter(|n| !n.text.is_empty()) {
            s.push_str(&format!("<li>{}</li>\n", escape(&n.text)));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</footer>\n</body>\n</html>\n");
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
        // Nothing is fetched: no URL anywhere, and the policy forbids loading anything.
        assert!(!html.contains("://"), "{html}");
        assert!(html.contains("default-src 'none'"));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn periods_and_dates_in_the_locale() {
        assert_eq!(period_text("2026-W47", Locale::PtBr), "sem. 16/11/2026");
        assert_eq!(period_text("2026-W47", Locale::EnUs), "wk 11/16/2026");
        assert_eq!(period_text("2026-11-24", Locale::PtBr), "24/11/2026");
        assert_eq!(period_text("2026-11", Locale::PtBr), "11/2026");
        assert_eq!(
            period_text("2026-11-02..2026-11-08", Locale::PtBr),
            "02/11/2026 – 08/11/2026"
        );
        assert_eq!(period_text("all", Locale::PtBr), "tudo");
        assert_eq!(period_text("last-week", Locale::PtBr), "last-week");
        assert_eq!(
            instant_text("2026-11-22T20:30:00-03:00", Locale::PtBr),
            "22/11/2026 20:30"
        );
        assert_eq!(
            phrase("Headline, 2026-W47", Locale::PtBr),
            "Destaques, sem. 16/11/2026"
        );
    }
}
