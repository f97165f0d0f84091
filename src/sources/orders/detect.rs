//! Recognising an order export by its CSV header or JSON keys (`--orders` with `auto`).

use serde_json::Value;

use super::{Preset, sniff_delimiter};

/// The preset of an order file, from its header (CSV) or keys (JSON); None when unsure.
///
/// Shopify: `Name` + `Financial Status`. Nuvemshop: `;` header with `Número do Pedido` and
/// `Status do Pagamento`. WooCommerce: `Order Number`, `Order Status`, `Order #` + `Status`,
/// or `… (Billing)` plugin columns; REST JSON with `date_created` or `line_items`. VTEX:
/// `orderId` + `creationDate` (an order, an array, or the list endpoint's `list`). Nuvemshop API:
/// `payment_status` + `shipping_status` or `products` (an order or an array).
pub fn detect(file_name: &str, text: &str) -> Option<Preset> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    let lower_name = file_name.to_ascii_lowercase();
    if trimmed.starts_with(['{', '[']) || lower_name.ends_with(".json") {
        return detect_json(trimmed);
    }
    let delimiter = sniff_delimiter(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = rdr.records().next()?.ok()?;
    let has = |n: &str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(n));
    if has("Name") && has("Financial Status") {
        return Some(Preset::Shopify);
    }
    if delimiter == b';'
        && (has("Número do Pedido") || has("Numero do Pedido"))
        && has("Status do Pagamento")
    {
        return Some(Preset::Nuvemshop);
    }
    if has("Order Number")
        || has("Order Status")
        || (has("Order #") && has("Status"))
        || header.iter().any(|h| h.trim().ends_with("(Billing)"))
    {
        return Some(Preset::WooCommerce);
    }
    None
}

fn detect_json(text: &str) -> Option<Preset> {
    let v: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        // JSON Lines or a truncated file: look at the first record.
        Err(_) => serde_json::from_str(text.lines().next()?).ok()?,
    };
    let first = match &v {
        Value::Array(a) => a.first()?,
        Value::Object(o) => match o.get("list") {
            Some(Value::Array(a)) => a.first()?,
            _ => &v,
        },
        _ => return None,
    };
    let has = |k: &str| first.get(k).is_some();
    if has("orderId") && has("creationDate") {
        Some(Preset::Vtex)
    } else if has("date_created") || has("date_created_gmt") || has("line_items") {
        Some(Preset::WooCommerce)
    } else if has("payment_status") && (has("shipping_status") || has("products")) {
        Some(Preset::Nuvemshop)
    } else {
        None
    }
}
