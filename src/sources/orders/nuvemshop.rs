//! Nuvemshop / Tiendanube orders (INPUTS §3.4): the admin "Vendas > Exportar lista" CSV, and the
//! API's order JSON (`GET /orders/{id}`, or the `GET /orders` array).
//!
//! CSV: `;`-separated, pt-BR headers, `DD/MM/YYYY HH:MM:SS` local times (config zone), one row per
//! product with the order's fields on its first row only (later rows are merged).
//!
//! Status: `Status do Pagamento` (API: `payment_status`) decides (see [`map_payment`]); a
//! `Status do Pedido` (API: `status`) of `Cancelado` / `cancelled` turns a pending or paid order
//! into a cancelled one, but keeps a refund.

use std::collections::HashSet;

use serde_json::Value;

use super::{
    OrderOptions, OrderStatus, OrdersError, Parsed, Preset, RawOrder, Table, currency, field,
    json_orders, json_path, json_text, json_time, money, money_field, non_empty, opt_time_field,
    reject, time,
};

fn fold(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' => 'a',
            'é' | 'ê' => 'e',
            'í' => 'i',
            'ó' | 'ô' | 'õ' => 'o',
            'ú' | 'ü' => 'u',
            'ç' => 'c',
            '_' | '-' => ' ',
            c => c,
        })
        .collect()
}

/// `Status do Pagamento` (pt-BR, es, or the API's English values) → status.
pub fn map_payment(s: &str) -> Option<OrderStatus> {
    match fold(s).as_str() {
        "confirmado" | "pago" | "aprovado" | "recebido" | "pagado" | "paid" => {
            Some(OrderStatus::Paid)
        }
        "pendente"
        | "aguardando pagamento"
        | "autorizado"
        | "em analise"
        | "pendiente"
        | "autorizada"
        | "pending"
        | "authorized" => Some(OrderStatus::Pending),
        "recusado" | "cancelado" | "abandonado" | "anulado" | "expirado" | "rechazado"
        | "abandoned" | "voided" => Some(OrderStatus::Cancelled),
        "estornado" | "reembolsado" | "devolvido" | "refunded" => Some(OrderStatus::Refunded),
        "parcialmente estornado"
        | "estornado parcialmente"
        | "parcialmente reembolsado"
        | "reembolsado parcialmente"
        | "partially refunded" => Some(OrderStatus::PartiallyRefunded),
        _ => None,
    }
}

/// `Status do Pedido` → Some(true) when cancelled, Some(false) when open/closed, None unknown.
pub fn order_cancelled(s: &str) -> Option<bool> {
    match fold(s).as_str() {
        "cancelado" | "cancelada" | "cancelled" => Some(true),
        "" | "aberto" | "aberta" | "fechado" | "fechada" | "arquivado" | "abierta" | "cerrada"
        | "open" | "closed" => Some(false),
        _ => None,
    }
}

/// Reads a Nuvemshop admin CSV or API order JSON.
pub(crate) fn parse(file: &str, text: &str, opts: &OrderOptions) -> Result<Parsed, OrdersError> {
    if text.trim_start().starts_with(['[', '{']) {
        // The API's order JSON: one order object or an array of them.
        json_orders(file, text, None, |rec, line| json_order(rec, line, opts))
    } else {
        parse_csv(file, text, opts)
    }
}

/// Status from the payment status and the order status (`Cancelado` / `cancelled` cancels a
/// pending or paid order); Err names the value that is not known.
fn status_of(payment: &str, order: &str, names: (&str, &str)) -> Result<OrderStatus, String> {
    let mut status = map_payment(payment).ok_or_else(|| {
        if payment.is_empty() {
            format!("empty {}", names.0)
        } else {
            format!("unknown {} {payment:?}", names.0)
        }
    })?;
    let is_cancelled =
        order_cancelled(order).ok_or_else(|| format!("unknown {} {order:?}", names.1))?;
    if is_cancelled && matches!(status, OrderStatus::Pending | OrderStatus::Paid) {
        status = OrderStatus::Cancelled;
    }
    Ok(status)
}

/// One API order. The order id is `number` (the admin's `Número do Pedido`, so a CSV export
/// and the API name an order alike), else `id`; the total is `total`, else `price` (older
/// API versions); money is a `.`-decimal string.
fn json_order(rec: &Value, line: u32, opts: &OrderOptions) -> Result<RawOrder, String> {
    let order_id = json_text(rec.get("number"))
        .or_else(|| json_text(rec.get("id")))
        .ok_or("no number or id")?;
    let created_at_ms = json_time(rec, "created_at", opts.tz)?.ok_or("no created_at")?;
    let status = status_of(
        &json_text(rec.get("payment_status")).unwrap_or_default(),
        &json_text(rec.get("status")).unwrap_or_default(),
        ("payment_status", "status"),
    )?;
    let currency = currency(&json_text(rec.get("currency")).unwrap_or_default(), opts)?;
    let (key, total) = ["total", "price"]
        .into_iter()
        .find_map(|k| json_text(rec.get(k)).map(|v| (k, v)))
        .ok_or("no total or price")?;
    let total_minor = money::parse_money(&total, Some(false), money::currency_exponent(&currency))
        .map_err(|e| format!("{key}: {e}"))?;
    let refunded_minor = if status == OrderStatus::Refunded {
        total_minor
    } else {
        0
    };
    let coupons: Vec<String> = match rec.get("coupon") {
        Some(Value::Array(a)) => a.iter().filter_map(|c| json_text(c.get("code"))).collect(),
        _ => Vec::new(),
    };
    let first = |paths: &[&str]| paths.iter().find_map(|p| json_text(json_path(rec, p)));
    Ok(RawOrder {
        order_id,
        created_at_ms,
        paid_at_ms: json_time(rec, "paid_at", opts.tz)?,
        cancelled_at_ms: json_time(rec, "cancelled_at", opts.tz)?,
        status,
        currency,
        total_minor,
        refunded_minor,
        phone: first(&[
            "contact_phone",
            "billing_phone",
            "customer.phone",
            "shipping_address.phone",
        ]),
        email: first(&["contact_email", "customer.email"]),
        coupon: (!coupons.is_empty()).then(|| coupons.join(",")),
        line,
    })
}

/// Reads a Nuvemshop admin CSV.
fn parse_csv(file: &str, text: &str, opts: &OrderOptions) -> Result<Parsed, OrdersError> {
    let t = Table::read(file, text)?;
    let p = Preset::Nuvemshop;
    let num = t.require(file, p, &["Número do Pedido", "Numero do Pedido"])?;
    let created = t.require(file, p, &["Data"])?;
    let pay = t.require(file, p, &["Status do Pagamento"])?;
    let total = t.require(file, p, &["Total"])?;
    let order_st = t.col(&["Status do Pedido"]);
    let cur = t.col(&["Moeda"]);
    let email = t.col(&["E-mail", "Email"]);
    let phones = [t.col(&["Telefone"]), t.col(&["Telefone para a entrega"])];
    let coupon = t.col(&["Cupom de Desconto"]);
    let paid = t.col(&["Data de pagamento"]);
    let cancelled = t.col(&["Data e hora do cancelamento"]);
    let comma = t.money_column(file, Some(total), opts)?;

    let mut orders = Vec::new();
    let mut rejects = t.bad.clone();
    let mut seen: HashSet<String> = HashSet::new();
    for (line, rec) in &t.rows {
        let id = field(rec, Some(num));
        let ex = || t.excerpt(rec);
        if id.is_empty() {
            rejects.push(reject(*line, "empty Número do Pedido", &ex()));
            continue;
        }
        if !seen.insert(id.to_string()) {
            continue;
        }
        let row = || -> Result<RawOrder, String> {
            let data = field(rec, Some(created));
            let created_at_ms = time::parse_instant(data, opts.tz)
                .map(|(ms, _)| ms)
                .ok_or_else(|| format!("Data: not a date/time: {data:?}"))?;
            let status = status_of(
                field(rec, Some(pay)),
                field(rec, order_st),
                ("Status do Pagamento", "Status do Pedido"),
            )?;
            // `Data de pagamento` is often a bare date: not before the order itself.
            let paid_at_ms = match field(rec, paid) {
                "" => None,
                v => {
                    let (ms, date_only) = time::parse_instant(v, opts.tz)
                        .ok_or_else(|| format!("Data de pagamento: not a date: {v:?}"))?;
                    Some(if date_only { ms.max(created_at_ms) } else { ms })
                }
            };
            let cancelled_at_ms = opt_time_field(
                "Data e hora do cancelamento",
                field(rec, cancelled),
                opts.tz,
            )?;
            let currency = currency(field(rec, cur), opts)?;
            let total_minor = money_field("Total", field(rec, Some(total)), comma, &currency)?;
            let refunded_minor = if status == OrderStatus::Refunded {
                total_minor
            } else {
                0
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
