//! WooCommerce: plugin / analytics CSV exports and REST `/orders` JSON (INPUTS §3.2).
//!
//! CSV columns are found by name among known variants (English and pt-BR plugin labels);
//! JSON is an array of REST order objects (or one object).

use serde_json::Value;

use super::{
    OrderOptions, OrderStatus, OrdersError, Parsed, Preset, RawOrder, Table, currency, field,
    json_orders, json_path, json_text, json_time, money, money_field, non_empty, opt_time_field,
    reject, time, time_field,
};

/// WooCommerce status (slug `processing`, `wc-processing`, or label `On hold`, pt-BR
/// `Processando`) → status. `processing`/`completed` are paid, `on-hold` and
/// `checkout-draft` pending, `failed` cancelled.
pub fn map_status(s: &str) -> Option<OrderStatus> {
    let k = s.trim().to_lowercase().replace([' ', '_'], "-");
    let k = k.strip_prefix("wc-").unwrap_or(&k);
    match k {
        "processing" | "completed" | "processando" | "concluído" | "concluido" => {
            Some(OrderStatus::Paid)
        }
        "pending" | "pending-payment" | "on-hold" | "checkout-draft" | "pagamento-pendente"
        | "aguardando" | "pendente" => Some(OrderStatus::Pending),
        "cancelled" | "canceled" | "failed" | "cancelado" | "malsucedido" | "falhou" => {
            Some(OrderStatus::Cancelled)
        }
        "refunded" | "reembolsado" => Some(OrderStatus::Refunded),
        "partially-refunded" | "parcialmente-reembolsado" => Some(OrderStatus::PartiallyRefunded),
        _ => None,
    }
}

/// Reads a WooCommerce CSV or REST JSON export.
pub(crate) fn parse(file: &str, text: &str, opts: &OrderOptions) -> Result<Parsed, OrdersError> {
    if text.trim_start().starts_with(['[', '{']) {
        json_orders(file, text, None, |rec, line| json_order(rec, line, opts))
    } else {
        parse_csv(file, text, opts)
    }
}

/// A paid order with refunds becomes (partially) refunded.
fn with_refunds(status: OrderStatus, total: i64, refunded: i64) -> OrderStatus {
    match status {
        OrderStatus::Paid if refunded > 0 && refunded >= total => OrderStatus::Refunded,
        OrderStatus::Paid if refunded > 0 => OrderStatus::PartiallyRefunded,
        s => s,
    }
}

fn parse_csv(file: &str, text: &str, opts: &OrderOptions) -> Result<Parsed, OrdersError> {
    let t = Table::read(file, text)?;
    let p = Preset::WooCommerce;
    let id = t.require(
        file,
        p,
        &["Order Number", "Order #", "Order ID", "Número do pedido"],
    )?;
    let created = t.require(
        file,
        p,
        &[
            "Order Date",
            "Date",
            "Date Created",
            "Data do pedido",
            "Data",
        ],
    )?;
    let total = t.require(
        file,
        p,
        &[
            "Order Total Amount",
            "Order Total",
            "Total",
            "Total do pedido",
            "N. Revenue (formatted)",
            "Net Sales",
        ],
    )?;
    let status = t.require(file, p, &["Order Status", "Status", "Status do pedido"])?;
    let cur = t.col(&["Currency", "Order Currency", "Moeda"]);
    let phone = t.col(&[
        "Phone (Billing)",
        "Billing Phone",
        "Telefone (cobrança)",
        "Telefone",
    ]);
    let cell = t.col(&["Cellphone (Billing)", "Celular (Billing)", "Celular"]);
    let email = t.col(&[
        "Email (Billing)",
        "Billing Email",
        "E-mail (cobrança)",
        "E-mail",
        "Email",
    ]);
    let coupon = t.col(&[
        "Coupon(s)",
        "Coupons",
        "Coupon Code",
        "Coupon",
        "Cupom",
        "Cupons",
    ]);
    let paid = t.col(&[
        "Paid Date",
        "Date Paid",
        "Order Paid Date",
        "Data de pagamento",
    ]);
    let refunded = t.col(&[
        "Order Refund Amount",
        "Refund Amount",
        "Total Refunded",
        "Refunded",
    ]);
    let total_comma = t.money_column(file, Some(total), opts)?;
    let refund_comma = t.money_column(file, refunded, opts)?;
    let total_name = t.headers.get(total).cloned().unwrap_or_default();

    let mut orders = Vec::new();
    let mut rejects = t.bad.clone();
    for (line, rec) in &t.rows {
        let oid = field(rec, Some(id));
        let row = || -> Result<RawOrder, String> {
            if oid.is_empty() {
                return Err("empty order number".to_string());
            }
            let created_at_ms = time_field("Order Date", field(rec, Some(created)), opts.tz)?;
            let st = field(rec, Some(status));
            let status = map_status(st).ok_or_else(|| format!("unknown Order Status {st:?}"))?;
            let currency = currency(field(rec, cur), opts)?;
            let total_minor =
                money_field(&total_name, field(rec, Some(total)), total_comma, &currency)?;
            let refunded_minor = match field(rec, refunded) {
                "" if status == OrderStatus::Refunded => total_minor,
                "" => 0,
                v => money_field("Refund Amount", v, refund_comma, &currency)?.abs(),
            };
            Ok(RawOrder {
                order_id: oid.to_string(),
                created_at_ms,
                paid_at_ms: opt_time_field("Paid Date", field(rec, paid), opts.tz)?,
                cancelled_at_ms: None,
                status: with_refunds(status, total_minor, refunded_minor),
                currency,
                total_minor,
                refunded_minor,
                phone: non_empty(field(rec, phone)).or_else(|| non_empty(field(rec, cell))),
                email: non_empty(field(rec, email)),
                coupon: non_empty(field(rec, coupon)),
                line: *line,
            })
        };
        match row() {
            Ok(o) => orders.push(o),
            Err(why) => rejects.push(reject(*line, why, &t.excerpt(rec))),
        }
    }
    rejects.sort_by_key(|r| r.line);
    Ok((orders, rejects))
}

/// A REST time: the `_gmt` field (zone-less UTC) else the site-local one (`tz`).
fn rest_time(rec: &Value, key: &str, tz: chrono_tz::Tz) -> Result<Option<i64>, String> {
    let gmt = format!("{key}_gmt");
    if let Some(s) = json_text(rec.get(&gmt)) {
        return time::parse_utc(&s)
            .map(Some)
            .ok_or_else(|| format!("{gmt}: not a date/time: {s:?}"));
    }
    json_time(rec, key, tz)
}

fn json_order(rec: &Value, line: u32, opts: &OrderOptions) -> Result<RawOrder, String> {
    let order_id = json_text(rec.get("number"))
        .or_else(|| json_text(rec.get("id")))
        .ok_or("no id or number")?;
    let created_at_ms = rest_time(rec, "date_created", opts.tz)?.ok_or("no date_created")?;
    let paid_at_ms = rest_time(rec, "date_paid", opts.tz)?;
    let st = json_text(rec.get("status")).unwrap_or_default();
    let status = map_status(&st).ok_or_else(|| format!("unknown status {st:?}"))?;
    let currency = currency(&json_text(rec.get("currency")).unwrap_or_default(), opts)?;
    let exp = money::currency_exponent(&currency);
    let total = json_text(rec.get("total")).ok_or("no total")?;
    let total_minor =
        money::parse_money(&total, Some(false), exp).map_err(|e| format!("total: {e}"))?;
    let mut refunded_minor: i64 = 0;
    if let Some(Value::Array(refunds)) = rec.get("refunds") {
        for r in refunds {
            let amount = json_text(r.get("total")).ok_or("refund without total")?;
            let minor = money::parse_money(&amount, Some(false), exp)
                .map_err(|e| format!("refunds.total: {e}"))?;
            refunded_minor = refunded_minor
                .checked_add(minor.abs())
                .ok_or("refunds too large")?;
        }
    }
    if status == OrderStatus::Refunded && refunded_minor == 0 {
        refunded_minor = total_minor;
    }
    let coupons: Vec<String> = match rec.get("coupon_lines") {
        Some(Value::Array(a)) => a.iter().filter_map(|c| json_text(c.get("code"))).collect(),
        _ => Vec::new(),
    };
    Ok(RawOrder {
        order_id,
        created_at_ms,
        paid_at_ms,
        cancelled_at_ms: None,
        status: with_refunds(status, total_minor, refunded_minor),
        currency,
        total_minor,
        refunded_minor,
        phone: json_text(json_path(rec, "billing.phone")),
        email: json_text(json_path(rec, "billing.email")),
        coupon: (!coupons.is_empty()).then(|| coupons.join(",")),
        line,
    })
}
