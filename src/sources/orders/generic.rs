//! Generic orders: CSV (`,`, `;` or tab) or JSON Lines with a column map from the config
//! (SPEC §3.4). Field names: `order_id, created_at, total, currency, status, phone, email,
//! paid_at, cancelled_at, refunded, coupon`; `order_id`, `created_at`, `total` and `status` are
//! required. In JSON Lines a column is a key or a dotted path (`billing.phone`).
//!
//! Status: the config's `statuses` map (value → `pending|paid|cancelled|refunded|
//! partially_refunded`, values compared case-insensitively); a value that is not in the map
//! but is itself one of the five names is taken as is; anything else is a reject naming it.

use std::collections::BTreeMap;

use super::{
    OrderOptions, OrderStatus, OrdersError, Parsed, Preset, RawOrder, Table, cut, decide_column,
    json_path, json_text, money_field, non_empty, opt_time_field, reject, time_field,
};

/// The fields a column map may name.
pub const FIELDS: &[&str] = &[
    "order_id",
    "created_at",
    "total",
    "currency",
    "status",
    "phone",
    "email",
    "paid_at",
    "cancelled_at",
    "refunded",
    "coupon",
];

const REQUIRED: &[&str] = &["order_id", "created_at", "total", "status"];

/// One row: field → value (trimmed, possibly empty), line, excerpt.
struct Row {
    line: u32,
    values: BTreeMap<&'static str, String>,
    excerpt: String,
}

impl Row {
    fn get(&self, f: &str) -> &str {
        self.values.get(f).map_or("", String::as_str)
    }
}

fn config_err(file: &str, why: String) -> OrdersError {
    OrdersError::Config {
        file: file.to_string(),
        why,
    }
}

/// Reads a generic CSV or JSON Lines file.
pub(crate) fn parse(file: &str, text: &str, opts: &OrderOptions) -> Result<Parsed, OrdersError> {
    let columns = opts.columns.as_ref().ok_or_else(|| {
        config_err(
            file,
            "the generic format needs a `columns` map in the config".to_string(),
        )
    })?;
    for k in columns.keys() {
        if !FIELDS.contains(&k.as_str()) {
            return Err(config_err(file, format!("unknown column-map key {k:?}")));
        }
    }
    for r in REQUIRED {
        if !columns.contains_key(*r) {
            return Err(config_err(file, format!("the column map has no {r:?}")));
        }
    }
    let mut statuses: BTreeMap<String, OrderStatus> = BTreeMap::new();
    for (k, v) in opts.statuses.iter().flatten() {
        let s = OrderStatus::from_name(v).ok_or_else(|| {
            config_err(file, format!("status {k:?} maps to unknown status {v:?}"))
        })?;
        statuses.insert(k.trim().to_lowercase(), s);
    }
    let (rows, mut rejects) = if text.trim_start().starts_with('{') {
        json_rows(text, columns)
    } else {
        csv_rows(file, text, columns)?
    };
    let comma_for = |f: &str| {
        let name = columns.get(f).cloned().unwrap_or_default();
        decide_column(file, &name, || rows.iter().map(|r| r.get(f)), opts)
    };
    let total_comma = comma_for("total")?;
    let refund_comma = comma_for("refunded")?;

    let mut orders = Vec::new();
    for row in &rows {
        let one = || -> Result<RawOrder, String> {
            let order_id = non_empty(row.get("order_id")).ok_or("empty order_id")?;
            let created_at_ms = time_field("created_at", row.get("created_at"), opts.tz)?;
            let st = row.get("status");
            let status = statuses
                .get(&st.to_lowercase())
                .copied()
                .or_else(|| OrderStatus::from_name(st))
                .ok_or_else(|| format!("unmapped status {st:?}"))?;
            let currency = super::currency(row.get("currency"), opts)?;
            let total_minor = money_field("total", row.get("total"), total_comma, &currency)?;
            let refunded_minor = match row.get("refunded") {
                "" if status == OrderStatus::Refunded => total_minor,
                "" => 0,
                v => money_field("refunded", v, refund_comma, &currency)?.abs(),
            };
            Ok(RawOrder {
                order_id,
                created_at_ms,
                paid_at_ms: opt_time_field("paid_at", row.get("paid_at"), opts.tz)?,
                cancelled_at_ms: opt_time_field("cancelled_at", row.get("cancelled_at"), opts.tz)?,
                status,
                currency,
                total_minor,
                refunded_minor,
                phone: non_empty(row.get("phone")),
                email: non_empty(row.get("email")),
                coupon: non_empty(row.get("coupon")),
                line: row.line,
            })
        };
        match one() {
            Ok(o) => orders.push(o),
            Err(why) => rejects.push(reject(row.line, why, &row.excerpt)),
        }
    }
    rejects.sort_by_key(|r| r.line);
    Ok((orders, rejects))
}

fn csv_rows(
    file: &str,
    text: &str,
    columns: &BTreeMap<String, String>,
) -> Result<(Vec<Row>, Vec<super::OrderReject>), OrdersError> {
    let t = Table::read(file, text)?;
    let mut idx: Vec<(&'static str, usize)> = Vec::new();
    for f in FIELDS {
        if let Some(col) = columns.get(*f) {
            let i = t
                .col(&[col.as_str()])
                .ok_or_else(|| OrdersError::MissingColumn {
                    file: file.to_string(),
                    preset: Preset::Generic,
                    column: col.clone(),
                })?;
            idx.push((f, i));
        }
    }
    let rows = t
        .rows
        .iter()
        .map(|(line, rec)| Row {
            line: *line,
            values: idx
                .iter()
                .map(|&(f, i)| (f, super::field(rec, Some(i)).to_string()))
                .collect(),
            excerpt: t.excerpt(rec),
        })
        .collect();
    Ok((rows, t.bad.clone()))
}

fn json_rows(
    text: &str,
    columns: &BTreeMap<String, String>,
) -> (Vec<Row>, Vec<super::OrderReject>) {
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if l.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(l) {
            Ok(v) if v.is_object() => {
                let values = FIELDS
                    .iter()
                    .filter_map(|f| {
                        let key = columns.get(*f)?;
                        Some((*f, json_text(json_path(&v, key)).unwrap_or_default()))
                    })
                    .collect();
                rows.push(Row {
                    line,
                    values,
                    excerpt: cut(l),
                });
            }
            Ok(_) => rejects.push(reject(line, "not a JSON object", l)),
            Err(e) => rejects.push(reject(line, format!("not JSON: {e}"), l)),
        }
    }
    (rows, rejects)
}
