//! `sources::orders::parse_orders` for each preset (and auto-detection) on any bytes. The
//! first byte picks the preset, the file name's extension and the options. Checks: no panic;
//! excerpts are cut to 80 characters.

use std::collections::BTreeMap;

use chatrev::sources::orders::{OrderOptions, Preset, parse_orders};

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&first, rest)) = data.split_first() else {
            return;
        };
        let preset = match first % 6 {
            0 => None,
            1 => Some(Preset::Shopify),
            2 => Some(Preset::WooCommerce),
            3 => Some(Preset::Nuvemshop),
            4 => Some(Preset::Vtex),
            _ => Some(Preset::Generic),
        };
        let name = match (first / 6) % 3 {
            0 => "orders.csv",
            1 => "orders.json",
            _ => "orders.jsonl",
        };
        let opts = OrderOptions {
            tz: chrono_tz::America::Sao_Paulo,
            default_currency: (first & 0x20 != 0).then(|| "BRL".to_string()),
            locale_decimal_comma: match (first >> 6) % 3 {
                0 => None,
                1 => Some(true),
                _ => Some(false),
            },
            columns: Some(map(&[
                ("order_id", "pedido"),
                ("created_at", "quando"),
                ("total", "valor"),
                ("status", "situacao"),
                ("phone", "fone"),
                ("currency", "moeda"),
            ])),
            statuses: Some(map(&[("pago", "paid"), ("cancelado", "cancelled")])),
        };
        let text = String::from_utf8_lossy(rest);
        if let Ok(p) = parse_orders(name, &text, preset, &opts) {
            for r in &p.rejects {
                assert!(r.excerpt.chars().count() <= 80, "{r:?}");
            }
        }
    });
}
