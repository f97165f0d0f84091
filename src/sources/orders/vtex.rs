//! VTEX OMS order JSON (INPUTS §3.3): one `GET /api/oms/pvt/orders/{id}` object, an array of
//! them, or the list endpoint's `{"list": [...]}`. Money is integer cents (`value`, or
//! `totalValue` in list items).

use serde_json::Value;

use super::{
    OrderOptions, OrderStatus, OrdersError, Parsed, RawOrder, currency, json_orders, json_path,
    json_text, json_time, money,
};

/// VTEX `status` → status. Payment approved and everything after it (`ready-for-handling`,
/// `handling`, `invoiced`, `window-to-cancel`) is paid; `payment-pending`, `waiting-for-…`,
/// `order-created` pending; `canceled`, `cancellation-requested` cancelled.
pub fn map_status(s: &str) -> Option<OrderStatus> {
    let k = s.trim().to_ascii_lowercase();
    match k.as_str() {
        "payment-approved"
        | "ready-for-handling"
        | "start-handling"
        | "handling"
        | "invoice"
        | "invoiced"
        | "window-to-cancel"
        | "authorize-fulfillment" => Some(OrderStatus::Paid),
        "payment-pending" | "order-created" | "order-completed" | "on-order-completed"
        | "approve-payment" | "order-accepted" => Some(OrderStatus::Pending),
        "canceled"
        | "cancelled"
        | "cancel"
        | "canceling"
        | "cancellation-requested"
        | "request-cancel" => Some(OrderStatus::Cancelled),
        _ if k.starts_with("waiting-") => Some(OrderStatus::Pending),
        _ => None,
    }
}

/// Reads VTEX OMS JSON.
pub(crate) fn parse(file: &str, text: &str, opts: &OrderOptions) -> Result<Parsed, OrdersError> {
    json_orders(file, text, Some("list"), |rec, line| order(rec, line, opts))
}

/// Cents → minor units of a currency with `exp` decimals, exactly.
fn from_cents(cents: i64, exp: u32) -> Option<i64> {
    match exp {
        2 => Some(cents),
        e if e > 2 => cents.checked_mul(10i64.pow(e - 2)),
        e => {
            let div = 10i64.pow(2 - e);
            (cents % div == 0).then_some(cents / div)
        }
    }
}

fn order(rec: &Value, line: u32, opts: &OrderOptions) -> Result<RawOrder, String> {
    let order_id = json_text(rec.get("orderId")).ok_or("no orderId")?;
    let created_at_ms = json_time(rec, "creationDate", opts.tz)?.ok_or("no creationDate")?;
    let st = json_text(rec.get("status")).unwrap_or_default();
    let status = map_status(&st).ok_or_else(|| format!("unknown status {st:?}"))?;
    let cur = json_text(json_path(rec, "storePreferencesData.currencyCode"))
        .or_else(|| json_text(rec.get("currencyCode")))
        .unwrap_or_default();
    let currency = currency(&cur, opts)?;
    let value = rec
        .get("value")
        .or_else(|| rec.get("totalValue"))
        .ok_or("no value")?;
    let cents = value
        .as_i64()
        .ok_or_else(|| format!("value: not integer cents: {value}"))?;
    let total_minor = from_cents(cents, money::currency_exponent(&currency))
        .ok_or_else(|| format!("value: {cents} cents is not a whole amount of {currency}"))?;
    let paid_at_ms = match status {
        OrderStatus::Paid => json_time(rec, "authorizedDate", opts.tz)?,
        _ => None,
    };
    let cancelled_at_ms = match status {
        OrderStatus::Cancelled => json_time(rec, "cancellationData.CancellationDate", opts.tz)?,
        _ => None,
    };
    Ok(RawOrder {
        order_id,
        created_at_ms,
        paid_at_ms,
        cancelled_at_ms,
        status,
        currency,
        total_minor,
        refunded_minor: 0,
        phone: json_text(json_path(rec, "clientProfileData.phone")),
        email: json_text(json_path(rec, "clientProfileData.email")),
        coupon: json_text(json_path(rec, "marketingData.coupon")),
        line,
    })
}
