//! Shopify admin "Orders export" CSV (SPEC §3.4, §5.7; INPUTS §3.1).
//!
//! One row per line item; the order's own columns are filled on the first row of each
//! `Name` only, so later rows of an already-seen `Name` are merged (skipped).

use std::collections::HashMap;

use super::{
    OrderOptions, OrderStatus, OrdersError, Parsed, Preset, RawOrder, Table, currency, field,
    money_field, non_empty, opt_time_field, reject, time_field,
};

/// `Financial Status` → status. `voided` is cancelled (SPEC §5.7).
pub fn map_status(s: &str) -> Option<OrderStatus> {
    match s.trim().to_ascii_lowercase().as_str() {
        "paid" => Some(OrderStatus::Paid),
        "pending" | "authorized" | "unpaid" | "partially_paid" => Some(OrderStatus::Pending),
        "refunded" => Some(OrderStatus::Refunded),
        "partially_refunded" => Some(OrderStatus::PartiallyRefunded),
        "voided" => Some(OrderStatus::Cancelled),
        _ => None,
    }
}

/// Reads a Shopify orders CSV.
pub(crate) fn parse(file: &str, text: &str, opts: &OrderOptions) -> Result<Parsed, OrdersError> {
    let t = Table::read(file, text)?;
    let p = Preset::Shopify;
    let name = t.require(file, p, &["Name"])?;
    let created = t.require(file, p, &["Created at"])?;
    let status = t.require(file, p, &["Financial Status"])?;
    let total = t.require(file, p, &["Total"])?;
    let cur = t.col(&["Currency"]);
    let paid = t.col(&["Paid at"]);
    let cancelled = t.col(&["Cancelled at"]);
    let refunded = t.col(&["Refunded Amount"]);
    let email = t.col(&["Email"]);
    let phones = [
        t.col(&["Phone"]),
        t.col(&["Billing Phone"]),
        t.col(&["Shipping Phone"]),
    ];
    let coupon = t.col(&["Discount Code"]);
    let total_comma = t.money_column(file, Some(total), opts)?;
    let refund_comma = t.money_column(file, refunded, opts)?;

    let mut orders = Vec::new();
    let mut rejects = t.bad.clone();
    // Name → (its Total as written, the line that wrote it).
    let mut seen: HashMap<String, (String, u32)> = HashMap::new();
    for (line, rec) in &t.rows {
        let id = field(rec, Some(name));
        let ex = || t.excerpt(rec);
        if id.is_empty() {
            rejects.push(reject(*line, "empty Name (order number)", &ex()));
            continue;
        }
        let this_total = field(rec, Some(total)).trim();
        if let Some((first_total, first_line)) = seen.get(id) {
            // A later line item of the same order has no Total; one with another Total is a
            // second export of the order that disagrees with the first.
            if !this_total.is_empty() && this_total != first_total {
                rejects.push(reject(
                    *line,
                    format!(
                        "order {id} appears again with Total {this_total} (line {first_line} says {first_total})"
                    ),
                    &ex(),
                ));
            }
            continue;
        }
        seen.insert(id.to_string(), (this_total.to_string(), *line));
        let row = || -> Result<RawOrder, String> {
            let created_at_ms = time_field("Created at", field(rec, Some(created)), opts.tz)?;
            let st = field(rec, Some(status));
            let mut status = map_status(st).ok_or_else(|| {
                if st.is_empty() {
                    "empty Financial Status".to_string()
                } else {
                    format!("unknown Financial Status {st:?}")
                }
            })?;
            let paid_at_ms = opt_time_field("Paid at", field(rec, paid), opts.tz)?;
            let cancelled_at_ms = opt_time_field("Cancelled at", field(rec, cancelled), opts.tz)?;
            if cancelled_at_ms.is_some() && status == OrderStatus::Pending {
                status = OrderStatus::Cancelled;
            }
            let currency = currency(field(rec, cur), opts)?;
            let total_minor =
                money_field("Total", field(rec, Some(total)), total_comma, &currency)?;
            let refunded_minor = match field(rec, refunded) {
                "" if status == OrderStatus::Refunded => total_minor,
                "" => 0,
                v => money_field("Refunded Amount", v, refund_comma, &currency)?.abs(),
            };
            Ok(RawOrder {
                order_id: id.to_string(),
                created_at_ms,
                paid_at_ms,
                cancelled_at_ms,
                status,
                currency,
                total_minor,
                refunded_minor,
                phone: phones.iter().find_map(|&i| non_empty(field(rec, i))),
                email: non_empty(field(rec, email)),
                coupon: non_empty(field(rec, coupon)),
                line: *line,
            })
        };
        match row() {
            Ok(o) => orders.push(o),
            Err(why) => rejects.push(reject(*line, format!("order {id}: {why}"), &ex())),
        }
    }
    rejects.sort_by_key(|r| r.line);
    Ok((orders, rejects))
}
