//! `--orders`: shop order exports → [`RawOrder`]s (SPEC §3.4).
//!
//! Pure: file name and text in, [`ParsedOrders`] out. One module per preset (Shopify,
//! WooCommerce, Nuvemshop, VTEX, generic column map); [`detect`] recognises a preset by its
//! header or JSON keys. A bad row goes to [`ParsedOrders::rejects`] with its line and a reason
//! naming the value; only a file that cannot be read as orders at all (unrecognised, a
//! required column missing, a money column whose decimal mark cannot be decided) is an
//! [`OrdersError`]. Money is integer minor units ([`money`]); times are UTC milliseconds.

pub mod detect;
pub mod generic;
pub mod money;
pub mod nuvemshop;
pub mod shopify;
pub mod time;
pub mod vtex;
pub mod woocommerce;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

pub use detect::detect;

/// Normalised order status (SPEC §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrderStatus {
    /// Not paid (yet).
    Pending,
    /// Paid.
    Paid,
    /// Cancelled, voided or failed before payment.
    Cancelled,
    /// Paid, then fully refunded.
    Refunded,
    /// Paid, then partly refunded.
    PartiallyRefunded,
}

impl OrderStatus {
    /// The store / report spelling: `pending|paid|cancelled|refunded|partially_refunded`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
            Self::PartiallyRefunded => "partially_refunded",
        }
    }

    /// Paid statuses (SPEC §5.7): `paid`, `partially_refunded`, `refunded` — the customer paid,
    /// whatever happened after.
    pub fn is_paid(self) -> bool {
        matches!(self, Self::Paid | Self::Refunded | Self::PartiallyRefunded)
    }

    /// Parses the [`as_str`](Self::as_str) spelling (case-insensitive, `-` or `_`).
    pub fn from_name(s: &str) -> Option<Self> {
        // The store's own spelling needs no allocation.
        match s {
            "pending" => return Some(Self::Pending),
            "paid" => return Some(Self::Paid),
            "cancelled" => return Some(Self::Cancelled),
            "refunded" => return Some(Self::Refunded),
            "partially_refunded" => return Some(Self::PartiallyRefunded),
            _ => {}
        }
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "pending" => Some(Self::Pending),
            "paid" => Some(Self::Paid),
            "cancelled" | "canceled" => Some(Self::Cancelled),
            "refunded" => Some(Self::Refunded),
            "partially_refunded" => Some(Self::PartiallyRefunded),
            _ => None,
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An order export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// Shopify admin "Orders export" CSV.
    Shopify,
    /// WooCommerce plugin / analytics CSV or REST `/orders` JSON.
    WooCommerce,
    /// Nuvemshop / Tiendanube admin "Vendas > Exportar lista" CSV or API order JSON.
    Nuvemshop,
    /// VTEX OMS order JSON (one order or the list endpoint).
    Vtex,
    /// CSV or JSON Lines with a configured column map.
    Generic,
}

impl Preset {
    /// The config / CLI spelling: `shopify|woocommerce|nuvemshop|vtex|generic`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shopify => "shopify",
            Self::WooCommerce => "woocommerce",
            Self::Nuvemshop => "nuvemshop",
            Self::Vtex => "vtex",
            Self::Generic => "generic",
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Preset {
    type Err = OrdersError;

    /// Case-insensitive; also `woo` and `tiendanube`. `auto` is not a preset (see [`detect`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "shopify" => Ok(Self::Shopify),
            "woocommerce" | "woo" => Ok(Self::WooCommerce),
            "nuvemshop" | "tiendanube" => Ok(Self::Nuvemshop),
            "vtex" => Ok(Self::Vtex),
            "generic" => Ok(Self::Generic),
            other => Err(OrdersError::UnknownPreset(other.to_string())),
        }
    }
}

/// One order as read from a file (person keys are built later from `phone` / `email`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawOrder {
    /// The customer-facing order number (`#1001`, `1052`, `v502556llux-01`).
    pub order_id: String,
    /// Creation instant, UTC milliseconds.
    pub created_at_ms: i64,
    /// Payment instant, UTC milliseconds, when the source has one.
    pub paid_at_ms: Option<i64>,
    /// Cancellation instant, UTC milliseconds, when the source has one.
    pub cancelled_at_ms: Option<i64>,
    /// Normalised status.
    pub status: OrderStatus,
    /// ISO 4217 code, upper case.
    pub currency: String,
    /// Order total in minor units of `currency`.
    pub total_minor: i64,
    /// Refunded amount in minor units (≥ 0).
    pub refunded_minor: i64,
    /// Phone as written in the file.
    pub phone: Option<String>,
    /// E-mail as written in the file.
    pub email: Option<String>,
    /// Discount / coupon code(s), comma-joined when several.
    pub coupon: Option<String>,
    /// 1-based line (CSV, JSON Lines) or record number (JSON array).
    pub line: u32,
}

/// A row that could not be read as an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderReject {
    /// 1-based line (CSV, JSON Lines) or record number (JSON).
    pub line: u32,
    /// Why, naming the value.
    pub reason: String,
    /// The start of the row (at most 80 characters).
    pub excerpt: String,
}

/// The result of reading one order file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedOrders {
    /// The preset used (given or detected).
    pub preset: Preset,
    /// Orders in file order, one per order (Shopify / Nuvemshop line items merged).
    pub orders: Vec<RawOrder>,
    /// Rows that were not orders, in file order.
    pub rejects: Vec<OrderReject>,
}

/// Options from the config that order parsing needs.
#[derive(Debug, Clone)]
pub struct OrderOptions {
    /// Zone of zone-less timestamps.
    pub tz: chrono_tz::Tz,
    /// Currency of files without a currency column or field.
    pub default_currency: Option<String>,
    /// The config locale's decimal mark (`Some(true)` for pt-BR): decides money columns whose
    /// values are all ambiguous (`1.234`).
    pub locale_decimal_comma: Option<bool>,
    /// Generic preset: field (`order_id, created_at, total, currency, status, phone, email,
    /// paid_at, cancelled_at, refunded, coupon`) → column name or JSON key (dotted path).
    pub columns: Option<BTreeMap<String, String>>,
    /// Generic preset: status value in the file → one of the five status names.
    pub statuses: Option<BTreeMap<String, String>>,
}

impl Default for OrderOptions {
    /// UTC, no default currency, no locale, no column or status map.
    fn default() -> Self {
        Self {
            tz: chrono_tz::UTC,
            default_currency: None,
            locale_decimal_comma: None,
            columns: None,
            statuses: None,
        }
    }
}

/// Whole-file failures (SPEC §8): the file is not read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrdersError {
    /// No preset recognises the file.
    #[error("{file}: not a recognised order export ({why}); set the orders `format`")]
    Unrecognised {
        /// The file.
        file: String,
        /// What was looked for.
        why: String,
    },
    /// A required column or key is missing.
    #[error("{file}: not a {preset} order export: missing required column {column:?}")]
    MissingColumn {
        /// The file.
        file: String,
        /// The preset being read.
        preset: Preset,
        /// The column (or alternatives) looked for.
        column: String,
    },
    /// Every value of a money column is ambiguous (`1.234`) and no locale was configured.
    #[error(
        "{file}: money column {column:?} is ambiguous (e.g. {example:?}: decimal mark or thousands group?); set `locale` in the config"
    )]
    AmbiguousMoney {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// One ambiguous value.
        example: String,
    },
    /// A money column mixes decimal marks.
    #[error("{file}: money column {column:?} mixes decimal marks ({first:?} and {second:?})")]
    MixedMoney {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// A value with one mark.
        first: String,
        /// A value with the other.
        second: String,
    },
    /// Not valid JSON / CSV at the top level.
    #[error("{file}: cannot read: {why}")]
    Malformed {
        /// The file.
        file: String,
        /// Why.
        why: String,
    },
    /// The generic preset's config is missing or wrong.
    #[error("{file}: generic orders: {why}")]
    Config {
        /// The file.
        file: String,
        /// What is wrong, naming the key.
        why: String,
    },
    /// A preset name that does not exist.
    #[error("unknown orders format {0:?} (shopify, woocommerce, nuvemshop, vtex, generic, auto)")]
    UnknownPreset(String),
}

/// Reads one order file with `preset`, or the detected one when `preset` is None.
pub fn parse_orders(
    file_name: &str,
    text: &str,
    preset: Option<Preset>,
    opts: &OrderOptions,
) -> Result<ParsedOrders, OrdersError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let preset = match preset {
        Some(p) => p,
        None => detect(file_name, text).ok_or_else(|| OrdersError::Unrecognised {
            file: file_name.to_string(),
            why: "no Shopify, WooCommerce, Nuvemshop or VTEX header or keys".to_string(),
        })?,
    };
    let (orders, mut rejects) = match preset {
        Preset::Shopify => shopify::parse(file_name, text, opts)?,
        Preset::WooCommerce => woocommerce::parse(file_name, text, opts)?,
        Preset::Nuvemshop => nuvemshop::parse(file_name, text, opts)?,
        Preset::Vtex => vtex::parse(file_name, text, opts)?,
        Preset::Generic => generic::parse(file_name, text, opts)?,
    };
    let orders = validate(orders, &mut rejects);
    rejects.sort_by_key(|r| r.line);
    Ok(ParsedOrders {
        preset,
        orders,
        rejects,
    })
}

/// Orders created before this instant are out of range (2000-01-01T00:00Z).
const EARLIEST_MS: i64 = 946_684_800_000;
/// … and from this one on (2100-01-01T00:00Z).
const LATEST_MS: i64 = 4_102_444_800_000;

/// Checks every preset's orders alike (SPEC §8): a negative total or refund, a refund larger than
/// the total, a currency that is not an ISO 4217 code, a creation date outside 2000–2099, and an
/// order id seen before in the file with another total are rejects naming the value.
fn validate(orders: Vec<RawOrder>, rejects: &mut Vec<OrderReject>) -> Vec<RawOrder> {
    let mut first: std::collections::HashMap<String, (i64, u32)> = Default::default();
    let mut kept = Vec::with_capacity(orders.len());
    for o in orders {
        let money = |minor: i64| {
            let e = money::currency_exponent(&o.currency);
            money::format_minor(minor, e, false, false)
        };
        let why = if o.total_minor < 0 {
            Some(format!("total {} is negative", money(o.total_minor)))
        } else if o.refunded_minor < 0 {
            Some(format!(
                "refunded amount {} is negative",
                money(o.refunded_minor)
            ))
        } else if o.refunded_minor > o.total_minor {
            Some(format!(
                "refunded amount {} is more than the total {}",
                money(o.refunded_minor),
                money(o.total_minor)
            ))
        } else if !money::is_iso_currency(&o.currency) {
            Some(format!("currency `{}` is not an ISO 4217 code", o.currency))
        } else if !(EARLIEST_MS..LATEST_MS).contains(&o.created_at_ms) {
            let when = chrono::DateTime::from_timestamp_millis(o.created_at_ms)
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            Some(format!(
                "creation date {when} is out of range (2000-01-01 to 2099-12-31)"
            ))
        } else {
            match first.get(&o.order_id) {
                Some(&(total, line)) if total != o.total_minor => Some(format!(
                    "order {} appears again with total {} (line {line} says {})",
                    o.order_id,
                    money(o.total_minor),
                    money(total)
                )),
                _ => None,
            }
        };
        match why {
            Some(reason) => rejects.push(reject(o.line, reason, &o.order_id)),
            None => {
                first
                    .entry(o.order_id.clone())
                    .or_insert((o.total_minor, o.line));
                kept.push(o);
            }
        }
    }
    kept
}

/// Orders and rejects of one file.
pub(crate) type Parsed = (Vec<RawOrder>, Vec<OrderReject>);

/// Cuts an excerpt to 80 characters.
pub(crate) fn cut(s: &str) -> String {
    s.chars().take(80).collect()
}

/// A reject with an excerpt cut to 80 characters.
pub(crate) fn reject(line: u32, reason: impl Into<String>, excerpt: &str) -> OrderReject {
    OrderReject {
        line,
        reason: reason.into(),
        excerpt: cut(excerpt),
    }
}

/// A CSV file read whole: header names and records with their 1-based start line.
pub(crate) struct Table {
    /// Header names, trimmed.
    pub headers: Vec<String>,
    /// Records (line, record).
    pub rows: Vec<(u32, csv::StringRecord)>,
    /// Records the CSV reader could not read.
    pub bad: Vec<OrderReject>,
    /// The field delimiter.
    pub delimiter: u8,
}

/// The delimiter of a CSV text: the most frequent of `,`, `;`, tab in the first line.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let (comma, semi, tab) = (count(','), count(';'), count('\t'));
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

impl Table {
    /// Reads a CSV text (delimiter sniffed from the header line).
    pub fn read(file: &str, text: &str) -> Result<Self, OrdersError> {
        let delimiter = sniff_delimiter(text);
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| OrdersError::Malformed {
                file: file.to_string(),
                why: format!("CSV header: {e}"),
            })?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        let mut rows = Vec::new();
        let mut bad = Vec::new();
        let mut record = csv::StringRecord::new();
        // The reader's own line count lags behind after long lines; count newlines from bytes.
        let bytes = text.as_bytes();
        let (mut at_byte, mut at_line) = (0usize, 1u64);
        let mut line_of = |byte: u64| {
            let mut byte = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
            // After a CRLF the reader may point at the LF that ended the previous record.
            while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
                byte += 1;
            }
            if byte >= at_byte {
                at_line += bytes[at_byte..byte].iter().filter(|&&b| b == b'\n').count() as u64;
            } else {
                at_line = 1 + bytes[..byte].iter().filter(|&&b| b == b'\n').count() as u64;
            }
            at_byte = byte;
            at_line
        };
        loop {
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| line_of(p.byte()));
                    if record.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    let line = u32::try_from(line).unwrap_or(u32::MAX);
                    // More values than columns: an unquoted delimiter inside a value moved every
                    // value after it one column right (even when the extra value is empty, as
                    // when the last column was). Not read.
                    if record.len() > headers.len() {
                        let sep = char::from(delimiter);
                        bad.push(reject(
                            line,
                            format!(
                                "{} values where the header has {} columns (an unquoted `{sep}` inside a value?)",
                                record.len(),
                                headers.len()
                            ),
                            &cut(&record.iter().collect::<Vec<_>>().join(&sep.to_string())),
                        ));
                        continue;
                    }
                    rows.push((line, record.clone()));
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| line_of(p.byte()));
                    bad.push(reject(
                        u32::try_from(line).unwrap_or(u32::MAX),
                        format!("unreadable CSV record: {e}"),
                        "",
                    ));
                    if bad.len() > 10_000 {
                        break;
                    }
                }
            }
        }
        Ok(Self {
            headers,
            rows,
            bad,
            delimiter,
        })
    }

    /// Index of the first header equal (case-insensitive) to one of `names`.
    pub fn col(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| {
            self.headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(n) || h.to_lowercase() == n.to_lowercase())
        })
    }

    /// Like [`col`](Self::col), but a missing column is an error naming `names[0]`.
    pub fn require(
        &self,
        file: &str,
        preset: Preset,
        names: &[&str],
    ) -> Result<usize, OrdersError> {
        self.col(names).ok_or_else(|| OrdersError::MissingColumn {
            file: file.to_string(),
            preset,
            column: names.first().copied().unwrap_or("").to_string(),
        })
    }

    /// The row joined back with the delimiter, for excerpts.
    pub fn excerpt(&self, rec: &csv::StringRecord) -> String {
        let sep = char::from(self.delimiter).to_string();
        cut(&rec.iter().collect::<Vec<_>>().join(&sep))
    }

    /// The decimal-mark decision for a money column (SPEC §3.4): the values decide, else the
    /// locale, else an error naming the column. `Some(false)` when nothing needs deciding.
    pub fn money_column(
        &self,
        file: &str,
        idx: Option<usize>,
        opts: &OrderOptions,
    ) -> Result<bool, OrdersError> {
        let Some(idx) = idx else {
            return Ok(false);
        };
        let column = self.headers.get(idx).cloned().unwrap_or_default();
        let values = || self.rows.iter().map(move |(_, r)| field(r, Some(idx)));
        decide_column(file, &column, values, opts)
    }
}

/// The per-column decimal-mark decision over `values` (see [`Table::money_column`]).
pub(crate) fn decide_column<'a, F, I>(
    file: &str,
    column: &str,
    values: F,
    opts: &OrderOptions,
) -> Result<bool, OrdersError>
where
    F: Fn() -> I,
    I: Iterator<Item = &'a str>,
{
    match money::decide_separator(values()) {
        Ok(Some(c)) => Ok(c),
        Ok(None) => {
            if money::column_is_ambiguous(values()) {
                opts.locale_decimal_comma
                    .ok_or_else(|| OrdersError::AmbiguousMoney {
                        file: file.to_string(),
                        column: column.to_string(),
                        example: values()
                            .find(|v| money::column_is_ambiguous([*v]))
                            .unwrap_or("")
                            .to_string(),
                    })
            } else {
                Ok(false)
            }
        }
        Err(money::MoneyError::Mixed(a, b)) => Err(OrdersError::MixedMoney {
            file: file.to_string(),
            column: column.to_string(),
            first: a,
            second: b,
        }),
        Err(e) => Err(OrdersError::Malformed {
            file: file.to_string(),
            why: e.to_string(),
        }),
    }
}

/// A field of a record, trimmed; "" when the index is None or out of range.
pub(crate) fn field(rec: &csv::StringRecord, idx: Option<usize>) -> &str {
    idx.and_then(|i| rec.get(i)).map_or("", str::trim)
}

/// Some(trimmed) when non-empty.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A currency code from the file or the default, upper case; Err names the bad value.
pub(crate) fn currency(value: &str, opts: &OrderOptions) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return match &opts.default_currency {
            Some(d) if money::is_currency_code(d.trim()) => Ok(d.trim().to_ascii_uppercase()),
            Some(d) => Err(format!("unknown default currency {d:?}")),
            None => Err("no currency in the row and no default currency configured".to_string()),
        };
    }
    if money::is_currency_code(v) {
        Ok(v.to_ascii_uppercase())
    } else {
        Err(format!("unknown currency {v:?}"))
    }
}

/// Parses a money field into minor units of `currency`; Err names the column and the value.
pub(crate) fn money_field(
    column: &str,
    value: &str,
    comma: bool,
    currency: &str,
) -> Result<i64, String> {
    if value.trim().is_empty() {
        return Err(format!("empty {column}"));
    }
    money::parse_money(value, Some(comma), money::currency_exponent(currency))
        .map_err(|e| format!("{column}: {e}"))
}

/// Parses a time field; Err names the column and the value.
pub(crate) fn time_field(column: &str, value: &str, tz: chrono_tz::Tz) -> Result<i64, String> {
    time::parse_instant(value, tz)
        .map(|(ms, _)| ms)
        .ok_or_else(|| format!("{column}: not a date/time: {value:?}"))
}

/// An optional time field: empty is None, unparsable is an Err naming the value.
pub(crate) fn opt_time_field(
    column: &str,
    value: &str,
    tz: chrono_tz::Tz,
) -> Result<Option<i64>, String> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        time_field(column, value, tz).map(Some)
    }
}

/// A JSON scalar as text: strings trimmed, numbers as written, others None.
pub(crate) fn json_text(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => non_empty(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The value at a dotted path (`billing.phone`) of a JSON object.
pub(crate) fn json_path<'a>(v: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    if let Some(direct) = v.get(path) {
        return Some(direct);
    }
    path.split('.').try_fold(v, |cur, key| cur.get(key))
}

/// Parses a whole JSON text; a syntax error is a whole-file error.
pub(crate) fn read_json(file: &str, text: &str) -> Result<serde_json::Value, OrdersError> {
    serde_json::from_str(text).map_err(|e| OrdersError::Malformed {
        file: file.to_string(),
        why: format!("JSON: {e}"),
    })
}

/// The time at a dotted `path` of a JSON record: None when absent; RFC 3339, or a zone-less time
/// local in `tz`; Err names the path and the value.
pub(crate) fn json_time(
    rec: &serde_json::Value,
    path: &str,
    tz: chrono_tz::Tz,
) -> Result<Option<i64>, String> {
    match json_text(json_path(rec, path)) {
        None => Ok(None),
        Some(s) => time::parse_instant(&s, tz)
            .map(|(ms, _)| Some(ms))
            .ok_or_else(|| format!("{path}: not a date/time: {s:?}")),
    }
}

/// Reads a JSON order file: one order object or an array of them, or (with `list_key`) an object
/// whose `list_key` holds the array (VTEX's list endpoint). Each record that is an object goes
/// through `order`; a record that is not, or `order`'s Err, is that record's reject, whose line
/// is the record's position (1-based).
pub(crate) fn json_orders(
    file: &str,
    text: &str,
    list_key: Option<&str>,
    order: impl Fn(&serde_json::Value, u32) -> Result<RawOrder, String>,
) -> Result<Parsed, OrdersError> {
    use serde_json::Value;
    let v = read_json(file, text)?;
    let records: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match list_key.and_then(|k| o.get(k)) {
            Some(Value::Array(a)) => a.iter().collect(),
            _ => vec![&v],
        },
        _ => {
            return Err(OrdersError::Malformed {
                file: file.to_string(),
                why: "expected an order object or an array of them".to_string(),
            });
        }
    };
    let mut orders = Vec::new();
    let mut rejects = Vec::new();
    for (i, rec) in records.into_iter().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let parsed = match rec {
            Value::Object(_) => order(rec, line),
            _ => Err("not a JSON object".to_string()),
        };
        match parsed {
            Ok(o) => orders.push(o),
            Err(why) => rejects.push(reject(line, why, &json_excerpt(rec))),
        }
    }
    Ok((orders, rejects))
}

/// A JSON record's excerpt.
pub(crate) fn json_excerpt(v: &serde_json::Value) -> String {
    let s = v.to_string();
    cut(&s)
}

#[cfg(test)]
mod tests;
