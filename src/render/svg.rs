//! A small SVG writer for [`Chart`]s: vertical columns (with rate lines and marks) and
//! horizontal bars. Hand-written rather than a plotting crate: the charts are a few rectangles,
//! lines and labels, the page must embed plain SVG text, and the labels must use the report's
//! own number formats and translations.
//!
//! Every chart has its title (as the SVG's accessible name), a legend, a value axis with its
//! unit and ticks, and a category axis with its name. Text is HTML-escaped.

use super::chart::{Chart, ChartKind, SeriesStyle};
use super::html::escape;
use super::i18n::label;
use super::{Cell, ColumnKind, RenderOptions, human_cell};
use crate::render::format;

/// Bar colours, in series order; stacked segments use the lighter shade of their bar.
const BAR_COLORS: [&str; 4] = ["#2f6fb5", "#e8893a", "#5a9e6f", "#8a63b8"];
const STACK_COLOR: &str = "#b9d0ea";
const LINE_COLOR: &str = "#c62a35";
const AXIS_COLOR: &str = "#8c959f";
const TEXT_COLOR: &str = "#1b1f24";
const MUTED_COLOR: &str = "#57606a";

/// A cell's value for drawing: money in major units, counts, seconds, fractions.
pub fn number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Count(n) => Some(*n as f64),
        Cell::Seconds(x) | Cell::Fraction(x) => x.is_finite().then_some(*x),
        Cell::Money { minor, currency } => {
            let e = format::currency_exponent(currency);
            Some(*minor as f64 / 10f64.powi(e as i32))
        }
        _ => None,
    }
}

/// A label of at most `max` characters: long ones keep their end (`…000101`), since ids and
/// sources differ at the end; the full label is in the tooltip and the table.
fn short(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    let tail: String = text.chars().skip(n - (max - 1)).collect();
    format!("…{tail}")
}

/// How the value axis shows its numbers: a divisor and the unit's name.
struct Scale {
    divisor: f64,
    unit: String,
}

impl Scale {
    /// The scale for the first non-null value of the bar series, given the largest value.
    fn for_values(sample: Option<&Cell>, max: f64, opts: &RenderOptions) -> Scale {
        let plain = |unit: &str| Scale {
            divisor: 1.0,
            unit: unit.to_string(),
        };
        match sample {
            Some(Cell::Money { currency, .. }) => plain(match (opts.locale, currency.as_str()) {
                (super::Locale::PtBr, "BRL") => "R$",
                (super::Locale::EnUs, "USD") => "$",
                (_, c) => c,
            }),
            Some(Cell::Seconds(_)) => {
                let (divisor, unit) = if max <= 120.0 {
                    (1.0, "seconds")
                } else if max <= 2.0 * 3600.0 {
                    (60.0, "minutes")
                } else if max <= 72.0 * 3600.0 {
                    (3600.0, "hours")
                } else {
                    (86_400.0, "days")
                };
                Scale {
                    divisor,
                    unit: label(opts.locale, unit),
                }
            }
            Some(Cell::Fraction(_)) => Scale {
                divisor: 0.01,
                unit: "%".into(),
            },
            _ => plain(""),
        }
    }

    /// The axis title: `Net revenue (R$)`.
    fn title(&self, name: &str) -> String {
        if self.unit.is_empty() {
            name.to_string()
        } else {
            format!("{name} ({})", self.unit)
        }
    }
}

/// Tick values from 0 past `max` (in axis units) with a 1-2-5 step: about four intervals.
fn ticks(max: f64) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0, 1.0];
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut out = vec![0.0];
    while *out.last().unwrap() < max - 1e-9 {
        let next = out.len() as f64 * step;
        out.push(next);
    }
    out
}

/// A tick's text in the locale's number format (`1.500`, `2,5`).
fn tick_text(v: f64, opts: &RenderOptions) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format::count_human(v.round() as i64, opts.locale)
    } else {
        let s = format!("{v:.1}");
        s.replace('.', &opts.locale.decimal().to_string())
    }
}

/// The category labels (first column of the chart's table), as people read them.
fn categories(chart: &Chart, opts: &RenderOptions) -> Vec<String> {
    chart
        .rows
        .iter()
        .map(|r| super::html::cell_text(&r[0], &chart.columns[0], opts))
        .collect()
}

/// Draws the chart as an SVG element; None when it has no rows or no drawable series.
pub fn draw(chart: &Chart, opts: &RenderOptions) -> Option<String> {
    if chart.rows.is_empty() {
        return None;
    }
    match chart.kind {
        ChartKind::Columns => columns(chart, opts),
        ChartKind::Bars => bars(chart, opts),
    }
}

/// `(column index, style)` of the drawable series.
fn series(chart: &Chart) -> Vec<(usize, SeriesStyle)> {
    chart
        .series
        .iter()
        .filter_map(|s| chart.column(&s.column).map(|i| (i, s.style)))
        .collect()
}

/// Per row, the height of each bar stack: a bar series plus the stack segments after it.
fn stack_totals(chart: &Chart, series: &[(usize, SeriesStyle)]) -> f64 {
    let mut max: f64 = 0.0;
    for row in &chart.rows {
        let mut current = 0.0;
        for (i, style) in series {
            let v = number(&row[*i]).unwrap_or(0.0).max(0.0);
            match style {
                SeriesStyle::Bar => current = v,
                SeriesStyle::Stack => current += v,
                SeriesStyle::Line => continue,
            }
            max = max.max(current);
        }
    }
    max
}

fn first_value(chart: &Chart, col: usize) -> Option<&Cell> {
    chart
        .rows
        .iter()
        .map(|r| &r[col])
        .find(|c| number(c).is_some())
}

fn legend(chart: &Chart, series: &[(usize, SeriesStyle)], x0: f64, opts: &RenderOptions) -> String {
    let mut s = String::new();
    let mut x = x0;
    let mut bar = 0;
    for (i, style) in series {
        let name = label(opts.locale, &chart.columns[*i].name);
        let swatch = match style {
            SeriesStyle::Line => format!(
                "<line x1=\"{x:.1}\" y1=\"11\" x2=\"{:.1}\" y2=\"11\" stroke=\"{LINE_COLOR}\" stroke-width=\"2\"/>",
                x + 14.0
            ),
            _ => {
                let color = if *style == SeriesStyle::Stack {
                    STACK_COLOR
                } else {
                    bar += 1;
                    BAR_COLORS[(bar - 1) % BAR_COLORS.len()]
                };
                format!("<rect x=\"{x:.1}\" y=\"5\" width=\"12\" height=\"12\" fill=\"{color}\"/>")
            }
        };
        s.push_str(&swatch);
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"15\" font-size=\"11\" fill=\"{TEXT_COLOR}\">{}</text>\n",
            x + 17.0,
            escape(&name)
        ));
        x += 17.0 + 6.5 * name.chars().count() as f64 + 14.0;
    }
    s
}

fn svg_open(chart: &Chart, w: f64, h: f64, opts: &RenderOptions) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"{}\" style=\"max-width:{w}px\">\n",
        escape(&super::html::phrase(&chart.title, opts.locale))
    )
}

/// Vertical bars along the categories, lines over them, marks between them.
fn columns(chart: &Chart, opts: &RenderOptions) -> Option<String> {
    let series = series(chart);
    let bar_cols: Vec<(usize, SeriesStyle)> = series
        .iter()
        .copied()
        .filter(|(_, s)| *s != SeriesStyle::Line)
        .collect();
    let line_cols: Vec<usize> = series
        .iter()
        .filter(|(_, s)| *s == SeriesStyle::Line)
        .map(|(i, _)| *i)
        .collect();
    if series.is_empty() {
        return None;
    }
    let labels = categories(chart, opts);
    let n = chart.rows.len() as f64;
    let rotate = labels.len() > 6 || labels.iter().any(|l| l.chars().count() > 10);
    let has_rate = line_cols
        .iter()
        .any(|i| chart.columns[*i].kind == ColumnKind::Fraction);
    let (w, h) = (640.0, if rotate { 330.0 } else { 290.0 });
    let (left, right, top) = (72.0, if has_rate { 48.0 } else { 16.0 }, 34.0);
    let bottom = if rotate { 104.0 } else { 62.0 };
    let (plot_w, plot_h) = (w - left - right, h - top - bottom);
    let base = top + plot_h;

    let sample = bar_cols
        .first()
        .and_then(|(i, _)| first_value(chart, *i))
        .or_else(|| {
            line_cols
                .iter()
                .find(|i| chart.columns[**i].kind != ColumnKind::Fraction)
                .and_then(|i| first_value(chart, *i))
        });
    let raw_max = stack_totals(chart, &bar_cols).max(
        line_cols
            .iter()
            .filter(|i| chart.columns[**i].kind != ColumnKind::Fraction)
            .flat_map(|i| chart.rows.iter().filter_map(|r| number(&r[*i])))
            .fold(0.0, f64::max),
    );
    let scale = Scale::for_values(sample, raw_max, opts);
    let ticks = ticks(raw_max / scale.divisor);
    let top_value = *ticks.last().unwrap() * scale.divisor;
    let y_of = |v: f64| base - plot_h * (v / top_value).clamp(0.0, 1.0);

    let mut s = svg_open(chart, w, h, opts);
    s.push_str(&legend(chart, &series, left, opts));
    // Grid and ticks of the value axis.
    for t in &ticks {
        let y = y_of(t * scale.divisor);
        s.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#eaeef2\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" fill=\"{MUTED_COLOR}\">{}</text>\n",
            left + plot_w,
            left - 5.0,
            y + 3.5,
            escape(&tick_text(*t, opts))
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{base:.1}\" x2=\"{:.1}\" y2=\"{base:.1}\" stroke=\"{AXIS_COLOR}\"/>\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{base:.1}\" stroke=\"{AXIS_COLOR}\"/>\n",
        left + plot_w
    ));
    let value_title = scale.title(&label(opts.locale, &chart.value_axis));
    s.push_str(&format!(
        "<text x=\"14\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{TEXT_COLOR}\" transform=\"rotate(-90 14 {:.1})\">{}</text>\n",
        top + plot_h / 2.0,
        top + plot_h / 2.0,
        escape(&value_title)
    ));
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{TEXT_COLOR}\">{}</text>\n",
        left + plot_w / 2.0,
        h - 6.0,
        escape(&label(opts.locale, &chart.category_axis))
    ));

    let band = plot_w / n;
    let bars_per_band = bar_cols
        .iter()
        .filter(|(_, s)| *s == SeriesStyle::Bar)
        .count()
        .max(1) as f64;
    let bar_w = band * 0.72 / bars_per_band;
    for (r, row) in chart.rows.iter().enumerate() {
        let band_x = left + r as f64 * band;
        let mut slot = -1.0;
        let mut stacked = 0.0;
        let mut color_i = 0;
        for (i, style) in &bar_cols {
            let v = number(&row[*i]).unwrap_or(0.0).max(0.0);
            let (y0, color) = match style {
                SeriesStyle::Stack => (stacked, STACK_COLOR),
                _ => {
                    slot += 1.0;
                    color_i += 1;
                    (0.0, BAR_COLORS[(color_i - 1) % BAR_COLORS.len()])
                }
            };
            let x = band_x + band * 0.14 + slot * bar_w;
            let (y_top, y_bottom) = (y_of(y0 + v), y_of(y0));
            stacked = y0 + v;
            s.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y_top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{color}\"><title>{} · {}: {}</title></rect>\n",
                bar_w.max(1.0),
                (y_bottom - y_top).max(0.0),
                escape(&labels[r]),
                escape(&label(opts.locale, &chart.columns[*i].name)),
                escape(&human_cell(&row[*i], opts))
            ));
        }
        let cx = band_x + band / 2.0;
        let text = escape(&short(&labels[r], 16));
        if rotate {
            s.push_str(&format!(
                "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" fill=\"{TEXT_COLOR}\" transform=\"rotate(-40 {cx:.1} {:.1})\">{text}</text>\n",
                base + 13.0,
                base + 13.0
            ));
        } else {
            s.push_str(&format!(
                "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"{TEXT_COLOR}\">{text}</text>\n",
                base + 14.0
            ));
        }
    }
    // Lines: fractions on the 0–100 % axis, other values on the value axis.
    for i in &line_cols {
        let rate = chart.columns[*i].kind == ColumnKind::Fraction;
        let mut points = Vec::new();
        for (r, row) in chart.rows.iter().enumerate() {
            let Some(v) = number(&row[*i]) else { continue };
            let y = if rate {
                base - plot_h * v.clamp(0.0, 1.0)
            } else {
                y_of(v)
            };
            let x = left + (r as f64 + 0.5) * band;
            points.push(format!("{x:.1},{y:.1}"));
            s.push_str(&format!(
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{LINE_COLOR}\"><title>{} · {}: {}</title></circle>\n",
                escape(&labels[r]),
                escape(&label(opts.locale, &chart.columns[*i].name)),
                escape(&human_cell(&row[*i], opts))
            ));
        }
        if points.len() > 1 {
            s.push_str(&format!(
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{LINE_COLOR}\" stroke-width=\"2\"/>\n",
                points.join(" ")
            ));
        }
    }
    if has_rate {
        for (frac, text) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"{LINE_COLOR}\">{text}</text>\n",
                left + plot_w + 4.0,
                base - plot_h * frac + 3.5
            ));
        }
    }
    for mark in &chart.marks {
        let x = left + mark.before as f64 * band;
        s.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{base:.1}\" stroke=\"{LINE_COLOR}\" stroke-dasharray=\"4 3\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"{LINE_COLOR}\">{}</text>\n",
            x + 3.0,
            top + 10.0,
            escape(&mark.label)
        ));
    }
    s.push_str("</svg>\n");
    Some(s)
}

/// Horizontal bars, one row per category, with the value and the note after each bar.
fn bars(chart: &Chart, opts: &RenderOptions) -> Option<String> {
    let series: Vec<(usize, SeriesStyle)> = series(chart)
        .into_iter()
        .filter(|(_, s)| *s != SeriesStyle::Line)
        .collect();
    let (&(main, _), _) = series.split_first()?;
    let labels = categories(chart, opts);
    let notes: Vec<usize> = chart.notes.iter().filter_map(|n| chart.column(n)).collect();
    let row_h = 26.0;
    let (w, left, top, text_w) = (640.0, 150.0, 30.0, 230.0);
    let plot_w = w - left - text_w;
    let plot_h = row_h * chart.rows.len() as f64;
    let h = top + plot_h + 44.0;
    let base = top + plot_h;

    let raw_max = stack_totals(chart, &series);
    let scale = Scale::for_values(first_value(chart, main), raw_max, opts);
    let ticks = ticks(raw_max / scale.divisor);
    let top_value = *ticks.last().unwrap() * scale.divisor;
    let x_of = |v: f64| left + plot_w * (v / top_value).clamp(0.0, 1.0);

    let mut s = svg_open(chart, w, h, opts);
    s.push_str(&legend(chart, &series, left, opts));
    for t in &ticks {
        let x = x_of(t * scale.divisor);
        s.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{base:.1}\" stroke=\"#eaeef2\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"{MUTED_COLOR}\">{}</text>\n",
            base + 13.0,
            escape(&tick_text(*t, opts))
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{base:.1}\" stroke=\"{AXIS_COLOR}\"/>\
         <line x1=\"{left}\" y1=\"{base:.1}\" x2=\"{:.1}\" y2=\"{base:.1}\" stroke=\"{AXIS_COLOR}\"/>\n",
        left + plot_w
    ));
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{TEXT_COLOR}\">{}</text>\n",
        left + plot_w / 2.0,
        h - 6.0,
        escape(&scale.title(&label(opts.locale, &chart.value_axis)))
    ));
    s.push_str(&format!(
        "<text x=\"6\" y=\"{:.1}\" font-size=\"11\" fill=\"{TEXT_COLOR}\">{}</text>\n",
        top - 4.0,
        escape(&label(opts.locale, &chart.category_axis))
    ));
    for (r, row) in chart.rows.iter().enumerate() {
        let y = top + r as f64 * row_h;
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"{TEXT_COLOR}\">{}</text>\n",
            left - 6.0,
            y + row_h / 2.0 + 4.0,
            escape(&short(&labels[r], 22))
        ));
        let mut end = 0.0;
        let mut parts = Vec::new();
        let mut color_i = 0;
        for (i, style) in &series {
            let v = number(&row[*i]).unwrap_or(0.0).max(0.0);
            let (from, color) = match style {
                SeriesStyle::Stack => (end, STACK_COLOR),
                _ => {
                    color_i += 1;
                    (0.0, BAR_COLORS[(color_i - 1) % BAR_COLORS.len()])
                }
            };
            let (x0, x1) = (x_of(from), x_of(from + v));
            end = from + v;
            s.push_str(&format!(
                "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{color}\"><title>{} · {}: {}</title></rect>\n",
                y + 4.0,
                (x1 - x0).max(0.0),
                row_h - 8.0,
                escape(&labels[r]),
                escape(&label(opts.locale, &chart.columns[*i].name)),
                escape(&human_cell(&row[*i], opts))
            ));
            match style {
                SeriesStyle::Stack if v > 0.0 => parts.push(format!(
                    "+{} {}",
                    human_cell(&row[*i], opts),
                    label(opts.locale, &chart.columns[*i].name).to_lowercase()
                )),
                SeriesStyle::Stack => {}
                _ => parts.push(human_cell(&row[*i], opts)),
            }
        }
        for n in &notes {
            let text = human_cell(&row[*n], opts);
            if !text.is_empty() {
                let key = format!("{} note", chart.columns[*n].name);
                let pattern = label(opts.locale, &key);
                parts.push(if pattern == key {
                    text
                } else {
                    pattern.replace("{}", &text)
                });
            }
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10.5\" fill=\"{TEXT_COLOR}\">{}</text>\n",
            x_of(end) + 5.0,
            y + row_h / 2.0 + 4.0,
            escape(&parts.join(" · "))
        ));
    }
    s.push_str("</svg>\n");
    Some(s)
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;

    use super::super::chart::{Mark, Series};
    use super::super::{Column, Locale};
    use super::*;

    fn opts(locale: Locale) -> RenderOptions {
        RenderOptions::plain(Tz::America__Sao_Paulo, locale)
    }

    /// Three weeks of revenue with a conversion line (the last week immature: no rate).
    fn weekly() -> Chart {
        Chart {
            title: "Net revenue and conversion per week".into(),
            kind: ChartKind::Columns,
            value_axis: "Net revenue".into(),
            category_axis: "period".into(),
            columns: vec![
                Column::new("period", ColumnKind::Text),
                Column::new("net_revenue", ColumnKind::Money),
                Column::new("conversion_rate", ColumnKind::Fraction),
            ],
            rows: vec![
                vec![
                    Cell::text("2026-W46"),
                    Cell::money(10_000, "BRL"),
                    Cell::Fraction(0.25),
                ],
                vec![
                    Cell::text("2026-W47"),
                    Cell::money(25_050, "BRL"),
                    Cell::Fraction(0.5),
                ],
                vec![Cell::text("2026-W48"), Cell::money(0, "BRL"), Cell::Null],
            ],
            series: vec![
                Series::new("net_revenue", SeriesStyle::Bar),
                Series::new("conversion_rate", SeriesStyle::Line),
            ],
            notes: Vec::new(),
            marks: Vec::new(),
        }
    }

    /// Three funnel stages, immature units stacked after the decided ones.
    fn funnel() -> Chart {
        Chart {
            title: "Funnel per stage".into(),
            kind: ChartKind::Bars,
            value_axis: "Units".into(),
            category_axis: "stage".into(),
            columns: vec![
                Column::new("stage", ColumnKind::Text),
                Column::new("units", ColumnKind::Count),
                Column::new("immature", ColumnKind::Count),
                Column::new("from_start", ColumnKind::Fraction),
            ],
            rows: vec![
                vec![
                    Cell::text("lead"),
                    Cell::Count(10),
                    Cell::Count(4),
                    Cell::Fraction(1.0),
                ],
                vec![
                    Cell::text("engaged"),
                    Cell::Count(6),
                    Cell::Count(0),
                    Cell::Fraction(0.6),
                ],
                vec![
                    Cell::text("paid"),
                    Cell::Count(3),
                    Cell::Count(1),
                    Cell::Fraction(0.3),
                ],
            ],
            series: vec![
                Series::new("units", SeriesStyle::Bar),
                Series::new("immature", SeriesStyle::Stack),
            ],
            notes: vec!["from_start".into()],
            marks: Vec::new(),
        }
    }

    #[test]
    fn weekly_columns_svg() {
        let svg = draw(&weekly(), &opts(Locale::PtBr)).unwrap();
        // R$ 250,50 is the tallest bar: the axis runs to 300 in steps of 100.
        assert!(svg.contains(">300</text>"), "{svg}");
        assert!(svg.contains("Receita líquida (R$)"), "{svg}");
        // Two rates drawn (the null one is not): 25 % and 50 % of the plot height.
        assert_eq!(svg.matches("<circle").count(), 2);
        insta::assert_snapshot!("weekly_columns_svg", svg);
    }

    #[test]
    fn funnel_bars_svg() {
        let svg = draw(&funnel(), &opts(Locale::EnUs)).unwrap();
        assert!(
            svg.contains(">10 · +4 immature · 100.0% of start</text>"),
            "{svg}"
        );
        assert!(svg.contains(">6 · 60.0% of start</text>"), "{svg}");
        insta::assert_snapshot!("funnel_bars_svg", svg);
    }

    #[test]
    fn histogram_with_an_sla_mark_svg() {
        let mut chart = weekly();
        chart.kind = ChartKind::Columns;
        chart.title = "First response time distribution".into();
        chart.value_axis = "answered".into();
        chart.category_axis = "First response time".into();
        chart.columns = vec![
            Column::new("bucket", ColumnKind::Text),
            Column::new("answered", ColumnKind::Count),
        ];
        chart.rows = vec![
            vec![Cell::text("<15m"), Cell::Count(3)],
            vec![Cell::text("15m–1h"), Cell::Count(1)],
            vec![Cell::text("1h+"), Cell::Count(2)],
        ];
        chart.series = vec![Series::new("answered", SeriesStyle::Bar)];
        chart.marks = vec![Mark {
            before: 1,
            label: "SLA 15m".into(),
        }];
        let svg = draw(&chart, &opts(Locale::PtBr)).unwrap();
        assert!(svg.contains("stroke-dasharray"), "{svg}");
        assert!(svg.contains(">SLA 15m</text>"), "{svg}");
        insta::assert_snapshot!("histogram_svg", svg);
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(100.0), vec![0.0, 50.0, 100.0]);
        assert_eq!(ticks(1880.88), vec![0.0, 500.0, 1000.0, 1500.0, 2000.0]);
        assert_eq!(ticks(3.0), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(0.0), vec![0.0, 1.0]);
    }

    #[test]
    fn short_keeps_the_end() {
        assert_eq!(short("ad:120210000000000101", 12), "…00000000101");
        assert_eq!(short("Ana", 12), "Ana");
    }
}
