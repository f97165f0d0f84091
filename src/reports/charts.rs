//! The charts reports hand to the HTML renderer ([`Chart`]), each with its own small table.
//!
//! - [`from_table`]: columns of a report's table, one chart per currency (money never shares an
//!   axis across currencies).
//! - [`frt_histogram`]: first-response times in buckets, SLA thresholds marked.
//! - [`funnel`]: one group's stages as horizontal bars, immature units stacked apart.
//! - [`agents`] and [`sources`]: the summary's per-agent and per-source numbers.

use std::collections::HashSet;

use crate::analytics::conversion::GroupNet;
use crate::analytics::funnel;
use crate::analytics::response_time::{self, Clock, Metric};
use crate::render::format::duration_human;
use crate::render::{Cell, Chart, ChartKind, Column, ColumnKind, Mark, Series, SeriesStyle};

/// What to draw from a report's table.
pub struct TableChart<'a> {
    /// Heading (English; translated by the renderer). `, <currency>` is added when the table
    /// holds more than one currency.
    pub title: &'a str,
    /// Columns or horizontal bars.
    pub kind: ChartKind,
    /// The value axis' name (the renderer adds the unit).
    pub value_axis: &'a str,
    /// The group columns that name each category (the report's `--by` columns).
    pub category: &'a [&'a str],
    /// Numeric columns drawn.
    pub series: &'a [(&'a str, SeriesStyle)],
    /// Columns written after each horizontal bar.
    pub notes: &'a [&'a str],
}

/// What a chart's title calls its categories: `day`, `week` or `month` when the only group
/// dimension is a time grain, `agent` for agents alone, else `group`.
pub fn categories_word(by: &[crate::analytics::groups::GroupBy]) -> &'static str {
    use crate::analytics::periods::Grain;
    match by {
        [b] => match (b.grain(), b.column()) {
            (Some(Grain::Day), _) => "day",
            (Some(Grain::Week), _) => "week",
            (Some(Grain::Month), _) => "month",
            (None, "agent") => "agent",
            _ => "group",
        },
        _ => "group",
    }
}

/// Charts of a report table's columns (`rows`: the rows to draw, in order). Money never shares
/// an axis across currencies: when a charted column holds money and the table holds several
/// currencies, there is one chart per currency (`, <currency>` after the title; rows without
/// a currency are left out). Otherwise one chart, in which rows that repeat a category (the
/// same period in another currency) are drawn once. Categories are the `category` columns'
/// values (`all` without any); a single category column keeps its name, so periods are shown
/// as dates.
pub fn from_table(columns: &[Column], rows: &[Vec<Cell>], spec: &TableChart<'_>) -> Vec<Chart> {
    let find = |name: &str| columns.iter().position(|c| c.name == name);
    let cats: Vec<usize> = spec.category.iter().filter_map(|c| find(c)).collect();
    let wanted: Vec<usize> = spec
        .series
        .iter()
        .map(|(c, _)| *c)
        .chain(spec.notes.iter().copied())
        .filter_map(find)
        .collect();
    let text = |row: &[Cell], i: usize| match &row[i] {
        Cell::Text(s) => Some(s.clone()),
        _ => None,
    };
    let currency = find("currency");
    let currency_of = |row: &[Cell]| currency.and_then(|i| text(row, i));
    let mut currencies: Vec<String> = Vec::new();
    for c in rows.iter().filter_map(|r| currency_of(r)) {
        if !currencies.contains(&c) {
            currencies.push(c);
        }
    }
    let money = wanted.iter().any(|&i| columns[i].kind == ColumnKind::Money);
    let split = money && currencies.len() > 1;
    let category_column = match cats.as_slice() {
        [one] => columns[*one].clone(),
        _ => Column::new(
            if cats.is_empty() { "period" } else { "group" },
            ColumnKind::Text,
        ),
    };
    let category = |row: &[Cell]| {
        if cats.is_empty() {
            return "all".to_string();
        }
        let names: Vec<String> = cats
            .iter()
            .map(|&i| text(row, i).unwrap_or_else(|| "—".to_string()))
            .collect();
        names.join(" · ")
    };
    let chart = |title: String, rows: Vec<&Vec<Cell>>| {
        let mut seen: HashSet<String> = HashSet::new();
        let mut chart_rows = Vec::new();
        for r in rows {
            let name = category(r);
            if !seen.insert(name.clone()) {
                continue;
            }
            let mut cells = vec![Cell::Text(name)];
            cells.extend(wanted.iter().map(|&i| r[i].clone()));
            chart_rows.push(cells);
        }
        let mut chart_columns = vec![category_column.clone()];
        chart_columns.extend(wanted.iter().map(|&i| columns[i].clone()));
        Chart {
            title,
            kind: spec.kind,
            value_axis: spec.value_axis.to_string(),
            category_axis: category_column.name.clone(),
            columns: chart_columns,
            rows: chart_rows,
            series: spec
                .series
                .iter()
                .map(|(c, s)| Series::new(*c, *s))
                .collect(),
            notes: spec.notes.iter().map(|n| n.to_string()).collect(),
            marks: Vec::new(),
        }
    };
    if !split {
        return vec![chart(spec.title.to_string(), rows.iter().collect())];
    }
    currencies
        .iter()
        .map(|cur| {
            let of_cur = rows
                .iter()
                .filter(|r| currency_of(r).as_ref() == Some(cur))
                .collect();
            chart(format!("{}, {cur}", spec.title), of_cur)
        })
        .collect()
}

/// Net revenue (bars) and conversion rate (line) per `categories` of a report's table, one
/// chart per currency; `word` names the categories in the title (`week`), `extra` columns
/// join the chart's table.
pub fn revenue(
    columns: &[Column],
    rows: &[Vec<Cell>],
    categories: &[&str],
    word: &str,
    extra: &[&str],
) -> Vec<Chart> {
    from_table(
        columns,
        rows,
        &TableChart {
            title: &format!("Net revenue and conversion per {word}"),
            kind: ChartKind::Columns,
            value_axis: "Net revenue",
            category: categories,
            series: &[
                ("net_revenue", SeriesStyle::Bar),
                ("conversion_rate", SeriesStyle::Line),
            ],
            notes: extra,
        },
    )
}

/// The bucket edges of the first-response histogram, seconds: 1m, 5m, 15m, 30m, 1h, 2h, 4h,
/// 8h, 24h, plus every SLA threshold, so each threshold is a bucket boundary.
pub fn histogram_edges(sla_s: &[i64]) -> Vec<i64> {
    let mut edges = vec![0, 60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];
    edges.extend(sla_s.iter().copied().filter(|&s| s > 0));
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// The first-response histogram: answered first turns per bucket, with each SLA threshold
/// (`(seconds, label)`) marked at its boundary.
pub fn frt_histogram(edges_s: &[i64], counts: &[u64], sla: &[(i64, String)]) -> Chart {
    let total: u64 = counts.iter().sum();
    let name = |s: i64| duration_human(s as f64).unwrap_or_default();
    let rows = edges_s
        .iter()
        .enumerate()
        .map(|(i, &lo)| {
            let bucket = match edges_s.get(i + 1) {
                Some(&hi) if lo == 0 => format!("<{}", name(hi)),
                Some(&hi) => format!("{}–{}", name(lo), name(hi)),
                None => format!("{}+", name(lo)),
            };
            vec![
                Cell::Text(bucket),
                Cell::Count(counts[i] as i64),
                Cell::or_null(
                    (total > 0).then(|| counts[i] as f64 / total as f64),
                    Cell::Fraction,
                ),
            ]
        })
        .collect();
    Chart {
        title: "First response time distribution".into(),
        kind: ChartKind::Columns,
        value_axis: "answered".into(),
        category_axis: "First response time".into(),
        columns: vec![
            Column::new("bucket", ColumnKind::Text),
            Column::new("answered", ColumnKind::Count),
            Column::new("share", ColumnKind::Fraction),
        ],
        rows,
        series: vec![Series::new("answered", SeriesStyle::Bar)],
        notes: Vec::new(),
        marks: sla
            .iter()
            .filter_map(|(s, label)| {
                edges_s.iter().position(|e| e == s).map(|i| Mark {
                    before: i,
                    label: format!("SLA {label}"),
                })
            })
            .collect(),
    }
}

/// One group's funnel as horizontal bars: decided units per stage with the immature units
/// stacked apart, conversion from the start and from the previous stage after each bar.
pub fn funnel(title: String, rows: &[funnel::Row]) -> Chart {
    Chart {
        title,
        kind: ChartKind::Bars,
        value_axis: "Units".into(),
        category_axis: "stage".into(),
        columns: vec![
            Column::new("stage", ColumnKind::Text),
            Column::new("units", ColumnKind::Count),
            Column::new("immature", ColumnKind::Count),
            Column::new("from_start", ColumnKind::Fraction),
            Column::new("from_previous", ColumnKind::Fraction),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.stage),
                    Cell::Count(r.units as i64),
                    Cell::Count(r.immature as i64),
                    Cell::or_null(r.from_start, Cell::Fraction),
                    Cell::or_null(r.from_previous, Cell::Fraction),
                ]
            })
            .collect(),
        series: vec![
            Series::new("units", SeriesStyle::Bar),
            Series::new("immature", SeriesStyle::Stack),
        ],
        notes: vec!["from_start".into(), "from_previous".into()],
        marks: Vec::new(),
    }
}

/// The columns of [`group_net_cells`], the first named `column`.
pub fn group_net_columns(column: &str) -> Vec<Column> {
    vec![
        Column::new(column, ColumnKind::Text),
        Column::new("currency", ColumnKind::Text),
        Column::new("sessions", ColumnKind::Count),
        Column::new("converted_sessions", ColumnKind::Count),
        Column::new("conversion_rate", ColumnKind::Fraction),
        Column::new("net_revenue", ColumnKind::Money),
    ]
}

/// One group's conversion numbers: name (`(none)` without one), currency, sessions,
/// converted sessions, conversion rate, net revenue.
pub fn group_net_cells(r: &GroupNet) -> Vec<Cell> {
    vec![
        Cell::Text(first_name(&r.group)),
        Cell::or_null(r.currency.as_deref(), Cell::text),
        Cell::Count(r.sessions as i64),
        Cell::Count(r.converted_sessions as i64),
        Cell::or_null(r.conversion_rate(), Cell::Fraction),
        r.currency
            .as_ref()
            .map_or(Cell::Null, |c| Cell::money(r.net_minor, c.as_ref())),
    ]
}

/// A group's first value, or `(none)`.
fn first_name(group: &[Option<String>]) -> String {
    group
        .first()
        .cloned()
        .flatten()
        .unwrap_or_else(|| "(none)".to_string())
}

/// Per agent: first response (median, p90 after the bar) and conversion with net revenue.
pub fn agents(frt_by_agent: &[response_time::Row], by_agent: &[GroupNet]) -> Vec<Chart> {
    let mut out = Vec::new();
    let frt: Vec<&response_time::Row> = frt_by_agent
        .iter()
        .filter(|r| r.clock == Clock::Calendar && r.metric == Metric::Frt && r.answered > 0)
        .collect();
    if !frt.is_empty() {
        out.push(Chart {
            title: "First response time per agent (median and p90)".into(),
            kind: ChartKind::Bars,
            value_axis: "First response time".into(),
            category_axis: "agent".into(),
            columns: vec![
                Column::new("agent", ColumnKind::Text),
                Column::new("answered", ColumnKind::Count),
                Column::new("frt_p50_s", ColumnKind::Seconds),
                Column::new("frt_p90_s", ColumnKind::Seconds),
                Column::new("answer_rate", ColumnKind::Fraction),
            ],
            rows: frt
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(first_name(&r.group)),
                        Cell::Count(r.answered as i64),
                        Cell::or_null(r.p50_s, Cell::Seconds),
                        Cell::or_null(r.p90_s, Cell::Seconds),
                        Cell::or_null(r.answer_rate, Cell::Fraction),
                    ]
                })
                .collect(),
            series: vec![Series::new("frt_p50_s", SeriesStyle::Bar)],
            notes: vec!["frt_p90_s".into()],
            marks: Vec::new(),
        });
    }
    let groups: Vec<&GroupNet> = by_agent.iter().filter(|r| r.sessions > 0).collect();
    if !groups.is_empty() {
        out.extend(net_charts(
            "Conversion per agent",
            "Conversion rate",
            "agent",
            &groups,
            ("conversion_rate", SeriesStyle::Bar),
            &["net_revenue"],
        ));
    }
    out
}

/// Net revenue per source (with conversion after each bar), when some source is an ad.
pub fn sources(by_source: &[GroupNet]) -> Vec<Chart> {
    let groups: Vec<&GroupNet> = by_source.iter().filter(|r| r.sessions > 0).collect();
    let any_ad = groups.iter().any(|r| {
        r.group
            .first()
            .and_then(|g| g.as_deref())
            .is_some_and(|s| s.starts_with("ad:"))
    });
    if !any_ad {
        return Vec::new();
    }
    net_charts(
        "Net revenue per ad source",
        "Net revenue",
        "source",
        &groups,
        ("net_revenue", SeriesStyle::Bar),
        &["conversion_rate", "sessions"],
    )
}

/// Horizontal-bar charts of per-group conversion numbers, one per currency.
fn net_charts(
    title: &str,
    value_axis: &str,
    column: &str,
    groups: &[&GroupNet],
    series: (&str, SeriesStyle),
    notes: &[&str],
) -> Vec<Chart> {
    let columns = group_net_columns(column);
    let rows: Vec<Vec<Cell>> = groups.iter().map(|r| group_net_cells(r)).collect();
    from_table(
        &columns,
        &rows,
        &TableChart {
            title,
            kind: ChartKind::Bars,
            value_axis,
            category: &[column],
            series: &[series],
            notes,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sla_thresholds_become_bucket_edges() {
        assert_eq!(
            histogram_edges(&[900, 3600, 600]),
            vec![
                0, 60, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400
            ]
        );
        let edges = histogram_edges(&[600]);
        let counts = vec![1u64; edges.len()];
        let chart = frt_histogram(&edges, &counts, &[(600, "10m".into())]);
        assert_eq!(chart.rows[0][0], Cell::text("<1m"));
        assert_eq!(chart.rows[3][0], Cell::text("10m–15m"));
        assert_eq!(chart.rows.last().unwrap()[0], Cell::text("1d+"));
        assert_eq!(
            chart.marks,
            vec![Mark {
                before: 3,
                label: "SLA 10m".into()
            }]
        );
    }

    #[test]
    fn one_chart_per_currency() {
        let columns = vec![
            Column::new("period", ColumnKind::Text),
            Column::new("currency", ColumnKind::Text),
            Column::new("net_revenue", ColumnKind::Money),
        ];
        let rows = vec![
            vec![
                Cell::text("2026-W47"),
                Cell::text("BRL"),
                Cell::money(100, "BRL"),
            ],
            vec![
                Cell::text("2026-W47"),
                Cell::text("USD"),
                Cell::money(200, "USD"),
            ],
            vec![
                Cell::text("2026-W48"),
                Cell::text("BRL"),
                Cell::money(300, "BRL"),
            ],
        ];
        let spec = TableChart {
            title: "Net revenue and conversion per week",
            kind: ChartKind::Columns,
            value_axis: "Net revenue",
            category: &["period"],
            series: &[("net_revenue", SeriesStyle::Bar)],
            notes: &[],
        };
        let charts = from_table(&columns, &rows, &spec);
        assert_eq!(charts.len(), 2);
        assert_eq!(charts[0].title, "Net revenue and conversion per week, BRL");
        assert_eq!(charts[0].rows.len(), 2);
        assert_eq!(
            charts[1].rows,
            vec![vec![Cell::text("2026-W47"), Cell::money(200, "USD")]]
        );
        // One currency: no suffix, every row.
        let charts = from_table(&columns, &rows[..1], &spec);
        assert_eq!(charts[0].title, "Net revenue and conversion per week");
    }
}
