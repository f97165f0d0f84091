//! Unit tests for the order parsers: hand-checked expectations on `testdata/orders/` and on
//! the shared SYNTHETIC samples when they exist.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;

const SP: chrono_tz::Tz = chrono_tz::America::Sao_Paulo;

fn data(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/orders")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn sp() -> OrderOptions {
    OrderOptions {
        tz: SP,
        ..OrderOptions::default()
    }
}

fn parse(name: &str, opts: &OrderOptions) -> ParsedOrders {
    parse_orders(name, &data(name), None, opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ids(p: &ParsedOrders) -> Vec<&str> {
    p.orders.iter().map(|o| o.order_id.as_str()).collect()
}

fn reject_lines(p: &ParsedOrders) -> Vec<u32> {
    p.rejects.iter().map(|r| r.line).collect()
}

#[test]
fn shopify_small() {
    let p = parse("shopify_small.csv", &sp());
    assert_eq!(p.preset, Preset::Shopify);
    assert_eq!(ids(&p), ["#2001", "#2002", "#2003", "#2004", "#2007"]);
    assert_eq!(reject_lines(&p), [8, 9, 11]);
    assert!(
        p.rejects[0].reason.contains("\"chargeback\""),
        "{:?}",
        p.rejects[0]
    );
    assert!(p.rejects[1].reason.contains("\"06/13/2025 10:00\""));
    assert!(p.rejects[2].reason.contains("\"10.005\""));
    assert!(p.rejects[0].excerpt.starts_with("#2005,dani@example.com"));

    let o = &p.orders[0];
    assert_eq!(o.line, 2);
    assert_eq!(o.created_at_ms, 1_743_512_400_000);
    assert_eq!(o.paid_at_ms, Some(1_743_512_700_000));
    assert_eq!(o.status, OrderStatus::Paid);
    assert_eq!(
        (o.currency.as_str(), o.total_minor, o.refunded_minor),
        ("BRL", 123_450, 0)
    );
    assert_eq!(o.phone.as_deref(), Some("(11) 91234-5678"));
    assert_eq!(o.email.as_deref(), Some("ana@example.com"));
    assert_eq!(o.coupon.as_deref(), Some("BEMVINDO"));

    let voided = &p.orders[1];
    assert_eq!((voided.line, voided.status), (5, OrderStatus::Cancelled));
    assert_eq!(voided.created_at_ms, 1_743_584_400_000);
    assert_eq!(voided.phone.as_deref(), Some("+55 21 99999-0000"));

    let cancelled = &p.orders[2];
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    assert_eq!(cancelled.cancelled_at_ms, Some(1_743_764_400_000));
    assert_eq!(cancelled.phone.as_deref(), Some("+5511988887777"));
    assert_eq!(cancelled.email, None);

    let partial = &p.orders[3];
    assert_eq!(partial.status, OrderStatus::PartiallyRefunded);
    assert_eq!(
        (partial.total_minor, partial.refunded_minor),
        (20_000, 1_000)
    );

    let yen = &p.orders[4];
    assert_eq!((yen.currency.as_str(), yen.total_minor), ("JPY", 1500));
    assert_eq!(yen.created_at_ms, 1_743_984_000_000);
}

#[test]
fn nuvemshop_small() {
    let p = parse("nuvemshop_small.csv", &sp());
    assert_eq!(p.preset, Preset::Nuvemshop);
    assert_eq!(ids(&p), ["301", "302", "303", "304"]);
    assert_eq!(reject_lines(&p), [7, 8]);
    assert!(p.rejects[0].reason.contains("\"Talvez\""));
    assert!(p.rejects[1].reason.contains("\"32/06/2025 09:00:00\""));

    let o = &p.orders[0];
    assert_eq!(
        (o.line, o.status, o.total_minor),
        (2, OrderStatus::Paid, 123_456)
    );
    assert_eq!(o.created_at_ms, 1_748_799_000_000);
    // A bare payment date is not before the order.
    assert_eq!(o.paid_at_ms, Some(1_748_799_000_000));
    assert_eq!(o.phone.as_deref(), Some("+5511912345678"));
    assert_eq!(o.coupon.as_deref(), Some("PIX5"));

    let pending = &p.orders[1];
    assert_eq!(
        (pending.status, pending.total_minor),
        (OrderStatus::Pending, 9_990)
    );
    assert_eq!(pending.phone.as_deref(), Some("(21) 98888-1111"));

    let refused = &p.orders[2];
    assert_eq!(refused.status, OrderStatus::Cancelled);
    assert_eq!(refused.cancelled_at_ms, Some(1_748_955_600_000));

    let refunded = &p.orders[3];
    assert_eq!(refunded.status, OrderStatus::Refunded);
    assert_eq!(
        (refunded.total_minor, refunded.refunded_minor),
        (2_000, 2_000)
    );
    assert_eq!(refunded.paid_at_ms, Some(1_749_038_400_000));
}

#[test]
fn nuvemshop_api_json() {
    let p = parse("nuvemshop_api.json", &sp());
    assert_eq!(p.preset, Preset::Nuvemshop);
    // `number` is the order id (the admin CSV's `Número do Pedido`); `id` when there is none.
    assert_eq!(ids(&p), ["2051", "2052", "2053", "450789469"]);
    assert_eq!(reject_lines(&p), [4]);
    assert!(
        p.rejects[0]
            .reason
            .contains("unknown payment_status \"em_processamento\""),
        "{:?}",
        p.rejects
    );

    let paid = &p.orders[0];
    assert_eq!(
        (
            paid.line,
            paid.status,
            paid.total_minor,
            paid.refunded_minor
        ),
        (1, OrderStatus::Paid, 123_456, 0)
    );
    // 2026-11-10T14:32:05-03:00 = 17:32:05Z; paid 14:40-03:00 = 17:40Z.
    assert_eq!(paid.created_at_ms, 1_794_331_925_000);
    assert_eq!(paid.paid_at_ms, Some(1_794_332_400_000));
    assert_eq!(paid.currency, "BRL");
    assert_eq!(paid.phone.as_deref(), Some("+55 11 98765-4321"));
    assert_eq!(paid.email.as_deref(), Some("ana@example.com"));
    assert_eq!(paid.coupon.as_deref(), Some("BEMVINDO10"));

    // A pending payment on a cancelled order is a cancelled order; contact from `customer`.
    let cancelled = &p.orders[1];
    assert_eq!(
        (cancelled.status, cancelled.total_minor),
        (OrderStatus::Cancelled, 8_990)
    );
    // 2026-11-12T10:00-03:00 = 13:00Z.
    assert_eq!(cancelled.cancelled_at_ms, Some(1_794_488_400_000));
    assert_eq!(cancelled.phone.as_deref(), Some("(21) 99876-5432"));
    assert_eq!(cancelled.email.as_deref(), Some("bia@example.com"));
    assert_eq!(cancelled.coupon, None);

    let refunded = &p.orders[2];
    assert_eq!(
        (
            refunded.status,
            refunded.total_minor,
            refunded.refunded_minor
        ),
        (OrderStatus::Refunded, 25_000, 25_000)
    );

    // The older API shape: `price` is the total; a zone-less time is local (São Paulo, -03:00).
    let older = &p.orders[3];
    assert_eq!(
        (older.status, older.currency.as_str(), older.total_minor),
        (OrderStatus::Pending, "USD", 5_800)
    );
    assert_eq!(older.created_at_ms, 1_794_574_800_000);
}

#[test]
fn woocommerce_plugin_csv() {
    let opts = OrderOptions {
        default_currency: Some("brl".into()),
        ..sp()
    };
    let p = parse("woocommerce_plugin.csv", &opts);
    assert_eq!(p.preset, Preset::WooCommerce);
    assert_eq!(ids(&p), ["5001", "5002", "5003", "5005"]);
    assert_eq!(reject_lines(&p), [5]);
    assert!(p.rejects[0].reason.contains("\"trash\""));
    let o = &p.orders[0];
    assert_eq!((o.status, o.total_minor), (OrderStatus::Paid, 123_450));
    assert_eq!(o.created_at_ms, 1_746_104_400_000);
    assert_eq!(o.phone.as_deref(), Some("(41) 98888-7777"));
    assert_eq!(o.coupon.as_deref(), Some("ZAP10"));
    assert_eq!(p.orders[1].phone, None);
    assert_eq!(p.orders[2].status, OrderStatus::Pending);
    assert_eq!(p.orders[2].currency, "BRL");
    let r = &p.orders[3];
    assert_eq!(
        (r.currency.as_str(), r.status, r.refunded_minor),
        ("USD", OrderStatus::Refunded, 1_500)
    );

    // Without a default currency the currency-less row is a reject.
    let p = parse("woocommerce_plugin.csv", &sp());
    assert_eq!(reject_lines(&p), [4, 5]);
    assert!(p.rejects[0].reason.contains("currency"));
}

#[test]
fn woocommerce_rest_json() {
    let p = parse("woocommerce_rest.json", &sp());
    assert_eq!(p.preset, Preset::WooCommerce);
    assert_eq!(ids(&p), ["727", "728", "729"]);
    assert_eq!(reject_lines(&p), [4, 5]);
    assert!(p.rejects[0].reason.contains("\"draft-ish\""));
    let o = &p.orders[0];
    assert_eq!(o.created_at_ms, 1_746_878_400_000);
    assert_eq!(o.paid_at_ms, Some(1_746_878_700_000));
    assert_eq!((o.total_minor, o.refunded_minor), (25_980, 2_000));
    assert_eq!(o.status, OrderStatus::PartiallyRefunded);
    assert_eq!(o.coupon.as_deref(), Some("zap10,frete"));
    assert_eq!(o.phone.as_deref(), Some("(41) 98888-7777"));
    let failed = &p.orders[1];
    assert_eq!(failed.status, OrderStatus::Cancelled);
    assert_eq!(failed.created_at_ms, 1_746_964_800_000); // site-local 09:00 in São Paulo
    assert_eq!(failed.phone, None);
    let kwd = &p.orders[2];
    assert_eq!((kwd.currency.as_str(), kwd.total_minor), ("KWD", 12_345));
}

#[test]
fn json_records_that_are_not_objects_are_rejected_by_position() {
    let order = data("vtex_order.json");
    let text = format!("[{order}, 5, \"x\"]");
    for preset in [Preset::Vtex, Preset::WooCommerce, Preset::Nuvemshop] {
        let p = parse_orders("a.json", &text, Some(preset), &sp()).unwrap();
        let not_objects: Vec<u32> = (p.rejects.iter())
            .filter(|r| r.reason == "not a JSON object")
            .map(|r| r.line)
            .collect();
        assert_eq!(not_objects, [2, 3], "{preset:?}: {:?}", p.rejects);
    }
}

#[test]
fn vtex_order_and_list() {
    let p = parse("vtex_order.json", &sp());
    assert_eq!(p.preset, Preset::Vtex);
    assert_eq!(p.orders.len(), 1);
    let o = &p.orders[0];
    assert_eq!(o.order_id, "v900001abc-01");
    assert_eq!(o.created_at_ms, 1_748_782_800_123);
    assert_eq!(o.paid_at_ms, Some(1_748_783_400_000));
    assert_eq!((o.status, o.total_minor), (OrderStatus::Paid, 25_990));
    assert_eq!(o.phone.as_deref(), Some("+5511912345678"));
    assert_eq!(o.coupon.as_deref(), Some("ZAP10"));

    let p = parse("vtex_list.json", &sp());
    assert_eq!(p.preset, Preset::Vtex);
    assert_eq!(ids(&p), ["1-01", "2-01", "3-01"]);
    let st: Vec<_> = p.orders.iter().map(|o| o.status).collect();
    assert_eq!(
        st,
        [
            OrderStatus::Pending,
            OrderStatus::Pending,
            OrderStatus::Cancelled
        ]
    );
    assert_eq!(p.orders[1].created_at_ms, 1_748_872_800_000);
    assert_eq!(reject_lines(&p), [4, 5, 6]);
    assert!(p.rejects[0].reason.contains("\"replaced\""));
    assert!(p.rejects[1].reason.contains("JPY"));
    assert!(p.rejects[2].reason.contains("12.5"));
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn generic_csv_ambiguous_column() {
    let opts = OrderOptions {
        default_currency: Some("BRL".into()),
        columns: Some(map(&[
            ("order_id", "pedido"),
            ("created_at", "quando"),
            ("total", "valor"),
            ("status", "situacao"),
            ("phone", "fone"),
        ])),
        statuses: Some(map(&[("Pago", "paid"), ("aberto", "pending")])),
        ..sp()
    };
    let text = data("generic_ambiguous.csv");
    let err = parse_orders("g.csv", &text, Some(Preset::Generic), &opts).unwrap_err();
    assert!(matches!(&err, OrdersError::AmbiguousMoney { column, .. } if column == "valor"));
    assert!(err.to_string().contains("locale"));

    let comma = OrderOptions {
        locale_decimal_comma: Some(true),
        ..opts.clone()
    };
    let p = parse_orders("g.csv", &text, Some(Preset::Generic), &comma).unwrap();
    let totals: Vec<_> = p.orders.iter().map(|o| o.total_minor).collect();
    assert_eq!(totals, [123_400, 250_000]);
    assert_eq!(p.orders[0].created_at_ms, 1_751_374_800_000);
    assert_eq!(p.orders[0].status, OrderStatus::Paid);
    assert_eq!(p.orders[1].status, OrderStatus::Pending);
    assert_eq!(reject_lines(&p), [4]);
    assert!(p.rejects[0].reason.contains("\"estranho\""));

    let point = OrderOptions {
        locale_decimal_comma: Some(false),
        ..opts.clone()
    };
    let p = parse_orders("g.csv", &text, Some(Preset::Generic), &point).unwrap();
    assert_eq!(ids(&p), ["A2"]);
    assert_eq!(p.orders[0].total_minor, 250);
    assert_eq!(reject_lines(&p), [2, 4]);

    let mut missing = opts.clone();
    if let Some(c) = missing.columns.as_mut() {
        c.insert("email".into(), "correio".into());
    }
    let err = parse_orders("g.csv", &text, Some(Preset::Generic), &missing).unwrap_err();
    assert!(matches!(err, OrdersError::MissingColumn { column, .. } if column == "correio"));
    let none = parse_orders("g.csv", &text, Some(Preset::Generic), &sp()).unwrap_err();
    assert!(matches!(none, OrdersError::Config { .. }));
}

#[test]
fn generic_json_lines() {
    let opts = OrderOptions {
        columns: Some(map(&[
            ("order_id", "ref"),
            ("created_at", "ts"),
            ("total", "amount"),
            ("currency", "cur"),
            ("status", "st"),
            ("phone", "customer.phone"),
            ("refunded", "ret"),
        ])),
        statuses: Some(map(&[("Aprovado", "paid"), ("Devolvido", "refunded")])),
        ..sp()
    };
    let p = parse_orders(
        "g.jsonl",
        &data("generic.jsonl"),
        Some(Preset::Generic),
        &opts,
    )
    .unwrap();
    assert_eq!(ids(&p), ["J1", "J2", "J3"]);
    let lines: Vec<_> = p.orders.iter().map(|o| o.line).collect();
    assert_eq!(lines, [1, 3, 5]);
    assert_eq!(reject_lines(&p), [4]);
    let o = &p.orders[0];
    assert_eq!((o.total_minor, o.status), (1_990, OrderStatus::Paid));
    assert_eq!(o.created_at_ms, 1_751_364_000_000);
    assert_eq!(o.phone.as_deref(), Some("+5511900000001"));
    assert_eq!(p.orders[1].total_minor, 123_450);
    assert_eq!(p.orders[2].status, OrderStatus::Refunded);
    assert_eq!(p.orders[2].refunded_minor, 500);
}

#[test]
fn detect_and_errors() {
    assert_eq!(
        detect("x.csv", &data("shopify_small.csv")),
        Some(Preset::Shopify)
    );
    assert_eq!(
        detect("x.csv", &data("nuvemshop_small.csv")),
        Some(Preset::Nuvemshop)
    );
    assert_eq!(
        detect("x.json", &data("vtex_list.json")),
        Some(Preset::Vtex)
    );
    assert_eq!(detect("x.csv", "a,b\n1,2\n"), None);
    assert_eq!(detect("x.json", "{\"a\": 1}"), None);
    assert_eq!(detect("x.json", "[]"), None);
    let err = parse_orders("x.csv", "a,b\n1,2\n", None, &sp()).unwrap_err();
    assert!(err.to_string().contains("x.csv"));
    // A Shopify-looking file without `Total`.
    let err = parse_orders(
        "s.csv",
        "Name,Financial Status,Created at\n#1,paid,2025-01-01 00:00:00 +0000\n",
        None,
        &sp(),
    )
    .unwrap_err();
    assert!(matches!(&err, OrdersError::MissingColumn { column, .. } if column == "Total"));
    assert!(err.to_string().contains("s.csv"));
    let err = parse_orders("v.json", "{\"orderId\": ", Some(Preset::Vtex), &sp()).unwrap_err();
    assert!(matches!(err, OrdersError::Malformed { .. }));
    assert_eq!("Woo".parse::<Preset>(), Ok(Preset::WooCommerce));
    assert!("auto".parse::<Preset>().is_err());
    assert_eq!(
        OrderStatus::PartiallyRefunded.as_str(),
        "partially_refunded"
    );
}

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/inputs/orders");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipped: ../shared/fixtures not found");
        None
    }
}

#[test]
fn shared_synthetic_samples() {
    let Some(dir) = shared() else { return };
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();

    let p = parse_orders(
        "s.csv",
        &read("SYNTHETIC_shopify_orders_export.csv"),
        None,
        &sp(),
    )
    .unwrap();
    assert_eq!(p.preset, Preset::Shopify);
    assert_eq!(ids(&p), ["#1052", "#1053"]);
    assert!(p.rejects.is_empty(), "{:?}", p.rejects);
    let a = &p.orders[0];
    assert_eq!(
        (a.line, a.status, a.total_minor),
        (2, OrderStatus::Paid, 25_980)
    );
    assert_eq!(a.created_at_ms, 1_741_619_113_000);
    assert_eq!(a.paid_at_ms, Some(1_741_619_140_000));
    assert_eq!(a.phone.as_deref(), Some("+5541988887777"));
    assert_eq!(a.coupon.as_deref(), Some("ZAP10"));
    let b = &p.orders[1];
    assert_eq!((b.line, b.status), (5, OrderStatus::Refunded));
    assert_eq!((b.total_minor, b.refunded_minor), (123_456, 123_456));
    assert_eq!(b.cancelled_at_ms, Some(1_741_802_400_000));
    assert_eq!(b.phone.as_deref(), Some("(11) 98765-4321"));

    let p = parse_orders(
        "n.csv",
        &read("SYNTHETIC_nuvemshop_vendas_export.csv"),
        None,
        &sp(),
    )
    .unwrap();
    assert_eq!(p.preset, Preset::Nuvemshop);
    assert_eq!(ids(&p), ["1052", "1053"]);
    assert!(p.rejects.is_empty(), "{:?}", p.rejects);
    assert_eq!(p.orders[0].created_at_ms, 1_741_619_113_000);
    assert_eq!(
        (p.orders[0].status, p.orders[0].total_minor),
        (OrderStatus::Paid, 25_980)
    );
    assert_eq!(p.orders[1].status, OrderStatus::Refunded);
    assert_eq!(p.orders[1].cancelled_at_ms, Some(1_741_802_400_000));

    let brl = OrderOptions {
        default_currency: Some("BRL".into()),
        ..sp()
    };
    let text = read("SYNTHETIC_woocommerce_analytics_orders_export.csv");
    let p = parse_orders("w.csv", &text, None, &brl).unwrap();
    assert_eq!(p.preset, Preset::WooCommerce);
    assert_eq!(ids(&p), ["1052", "1053"]);
    assert_eq!(p.orders[0].total_minor, 25_980);
    assert_eq!(p.orders[0].created_at_ms, 1_741_619_113_000);
    assert_eq!(p.orders[0].coupon.as_deref(), Some("zap10"));
    assert_eq!(p.orders[1].status, OrderStatus::Refunded);
    assert_eq!(p.orders[1].total_minor, 123_456);

    let text = read("SYNTHETIC_woocommerce_custom_export_profile_br.csv");
    let err = parse_orders("wb.csv", &text, None, &brl).unwrap_err();
    assert!(matches!(&err, OrdersError::MissingColumn { column, .. } if column == "Order Number"));

    let p = parse_orders(
        "v.json",
        &read("vtex_oms_get_order.trimmed.json"),
        None,
        &sp(),
    )
    .unwrap();
    assert_eq!(p.preset, Preset::Vtex);
    assert_eq!(ids(&p), ["1172452900788-01"]);
    let v = &p.orders[0];
    assert_eq!((v.status, v.total_minor), (OrderStatus::Paid, 1_160));
    assert_eq!(v.created_at_ms, 1_707_077_383_899);
    assert_eq!(v.phone.as_deref(), Some("+5561992227222"));

    let p = parse_orders(
        "vl.json",
        &read("vtex_oms_list_orders.trimmed.json"),
        None,
        &sp(),
    )
    .unwrap();
    assert_eq!(ids(&p), ["1306331686122-01", "v502556llux-01"]);
    assert_eq!(p.orders[0].total_minor, 7_453);

    let p = parse_orders(
        "h.csv",
        &read("shopify_orders_export.header.csv"),
        None,
        &sp(),
    )
    .unwrap();
    assert_eq!((p.preset, p.orders.len()), (Preset::Shopify, 0));

    // Nuvemshop's API documentation example (an older API version: `price` is the total).
    let text = read("nuvemshop_tiendanube_api_get_order.example.json");
    let p = parse_orders("api.json", &text, None, &sp()).unwrap();
    assert_eq!((p.preset, ids(&p)), (Preset::Nuvemshop, vec!["101"]));
    let o = &p.orders[0];
    assert_eq!(
        (o.status, o.currency.as_str(), o.total_minor),
        (OrderStatus::Pending, "USD", 5_800)
    );
    // 2008-01-10T11:00:00-05:00 = 16:00Z.
    assert_eq!(o.created_at_ms, 1_199_980_800_000);
    assert_eq!(o.phone.as_deref(), Some("555-123-0413"));
    assert_eq!(o.email.as_deref(), Some("john.doe@example.com"));
    assert_eq!(o.coupon.as_deref(), Some("SUPERDISCOUNT"));
}
