//! Charts as data: what a report wants drawn, with the small table of numbers it draws.
//!
//! A [`Chart`] owns its table (columns and rows, like a [`Section`](super::Section)), so the
//! HTML renderer can print the numbers beside the picture (accessibility, copying) and a chart
//! can show what the main table does not (a histogram, a whole-period funnel). Titles and axis
//! names are English message ids that [`i18n`](super::i18n) translates for the page's locale.
//! Only the HTML renderer draws charts ([`svg`](super::svg)); the other formats ignore them.

use super::{Cell, Column};

/// How the categories are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars along a horizontal category axis (periods, histogram buckets); line
    /// series are drawn over them against a 0–100 % axis on the right.
    Columns,
    /// Horizontal bars, one row per category (funnel stages, agents, sources), each with its
    /// value and an optional note written after the bar.
    Bars,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesStyle {
    /// A bar of its own beside the other bar series of the category.
    Bar,
    /// A bar segment stacked on the end of the previous bar series (immature units).
    Stack,
    /// A line through the categories; fractions on the 0–100 % axis.
    Line,
}

/// One series: a numeric column of the chart's table and how to draw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// The column's name in the chart's table.
    pub column: String,
    /// Bar, stacked segment or line.
    pub style: SeriesStyle,
}

impl Series {
    /// A series of `column` drawn as `style`.
    pub fn new(column: impl Into<String>, style: SeriesStyle) -> Series {
        Series {
            column: column.into(),
            style,
        }
    }
}

/// A labelled vertical line between two categories (an SLA threshold on a histogram).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Drawn at the left edge of this category (the boundary after category `before - 1`).
    pub before: usize,
    /// The mark's text (`SLA 15m`).
    pub label: String,
}

/// A chart and the table of numbers it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Heading (an English message id, translated by the renderer).
    pub title: String,
    /// Columns or horizontal bars.
    pub kind: ChartKind,
    /// The name of the value axis without its unit (`Net revenue`); the renderer adds the unit
    /// from the first bar series' values (`R$`, minutes, hours, count).
    pub value_axis: String,
    /// The name of the category axis (`Week`, `Stage`, `First response time`).
    pub category_axis: String,
    /// The table: its first column names the categories; the others are series or notes.
    pub columns: Vec<Column>,
    /// One row per category, in drawing order.
    pub rows: Vec<Vec<Cell>>,
    /// Numeric columns to draw.
    pub series: Vec<Series>,
    /// Columns written after each horizontal bar, each through its `<column> note` label
    /// (`{} of start` → `71,4% of start`).
    pub notes: Vec<String>,
    /// Vertical marks between categories.
    pub marks: Vec<Mark>,
}

impl Chart {
    /// The index of the column named `name` in the chart's table.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}
