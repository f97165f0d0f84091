//! Sample reports for the renderers' tests and snapshots.

use serde_json::json;

use super::{Cell, Column, ColumnKind, Note, Report};

/// `report response-time --by week --clock calendar --sla 15m,1h`: two week rows, one with a
/// null percentile (no reply in that week's FRT yet) and counts above a thousand.
pub(crate) fn response_time() -> Report {
    use ColumnKind::*;
    let columns = [
        ("period", Text),
        ("clock", Text),
        ("metric", Text),
        ("turns", Count),
        ("answered", Count),
        ("pending", Count),
        ("unanswered", Count),
        ("answer_rate", Fraction),
        ("mean_s", Seconds),
        ("p50_s", Seconds),
        ("p90_s", Seconds),
        ("p95_s", Seconds),
        ("max_s", Seconds),
        ("sla_15m", Fraction),
        ("sla_1h", Fraction),
    ]
    .into_iter()
    .map(|(n, k)| Column::new(n, k))
    .collect();
    let row = |period: &str,
               turns,
               answered,
               pending,
               unanswered,
               rate,
               mean,
               p50,
               p90,
               p95: Cell,
               max,
               s15,
               s1h| {
        vec![
            Cell::text(period),
            Cell::text("calendar"),
            Cell::text("frt"),
            Cell::Count(turns),
            Cell::Count(answered),
            Cell::Count(pending),
            Cell::Count(unanswered),
            Cell::Fraction(rate),
            Cell::Seconds(mean),
            Cell::Seconds(p50),
            Cell::Seconds(p90),
            p95,
            Cell::Seconds(max),
            Cell::Fraction(s15),
            Cell::Fraction(s1h),
        ]
    };
    let mut params = serde_json::Map::new();
    params.insert("period".into(), json!("2026-11-02..2026-11-15"));
    params.insert("tz".into(), json!("America/Sao_Paulo"));
    params.insert("as_of".into(), json!("2026-11-16T00:00:00-03:00"));
    params.insert("by".into(), json!(["week"]));
    params.insert("clock".into(), json!("calendar"));
    params.insert("sla".into(), json!(["15m", "1h"]));
    Report {
        name: "response-time",
        title: "Response time, 2026-11-02 to 2026-11-15, America/Sao_Paulo, clock calendar".into(),
        params,
        columns,
        rows: vec![
            row(
                "2026-W45",
                1234,
                1180,
                20,
                34,
                1180.0 / 1214.0,
                252.4,
                59.5,
                7500.0,
                Cell::Seconds(97_200.0),
                200_000.0,
                0.8333,
                0.95,
            ),
            row(
                "2026-W46",
                3,
                1,
                2,
                0,
                1.0,
                2.5,
                2.5,
                2.5,
                Cell::Null,
                2.5,
                1.0,
                1.0,
            ),
        ],
        notes: vec![
            Note::new(
                "inputs",
                3,
                "3 inputs used: chats/loja.zip, chats/ana.txt, orders.csv",
            ),
            Note::new("rejected_rows", 12, "12 rows rejected (see rejects.csv)"),
            Note::new(
                "auto_replies",
                41,
                "41 automatic replies left out of response times",
            ),
        ],
        sections: Vec::new(),
        charts: Vec::new(),
    }
}

/// `attribute --model last`: a credited BRL order, an unattributed, partly refunded BRL order
/// (null session, weight and touch) and a JPY order.
pub(crate) fn attribute() -> Report {
    use ColumnKind::*;
    let columns = [
        ("order_id", Text),
        ("session_id", Text),
        ("person", Text),
        ("model", Text),
        ("weight", Fraction),
        ("currency", Text),
        ("gross", Money),
        ("refunds", Money),
        ("net", Money),
        ("order_created_at", Timestamp),
        ("touch_at", Timestamp),
        ("reason", Text),
    ]
    .into_iter()
    .map(|(n, k)| Column::new(n, k))
    .collect();
    let mut params = serde_json::Map::new();
    params.insert("period".into(), json!("2026-11"));
    params.insert("tz".into(), json!("America/Sao_Paulo"));
    params.insert("model".into(), json!("last"));
    params.insert("window".into(), json!("7d"));
    // 2026-11-24T17:32:05Z and the touch two hours before.
    let created = 1_795_541_525_000;
    let touch = created - 7_200_000;
    Report {
        name: "attribute",
        title: "Attribution, 2026-11, America/Sao_Paulo, model last, window 7d".into(),
        params,
        columns,
        rows: vec![
            vec![
                Cell::text("#1001"),
                Cell::text("s_3f2a9c1b7d0e"),
                Cell::text("p_9a8b7c6d5e4f"),
                Cell::text("last"),
                Cell::Fraction(1.0),
                Cell::text("BRL"),
                Cell::money(123_456, "BRL"),
                Cell::money(0, "BRL"),
                Cell::money(123_456, "BRL"),
                Cell::Timestamp(created),
                Cell::Timestamp(touch),
                Cell::Null,
            ],
            vec![
                Cell::text("#1002"),
                Cell::Null,
                Cell::text("p_0123456789ab"),
                Cell::text("last"),
                Cell::Null,
                Cell::text("BRL"),
                Cell::money(25_000, "BRL"),
                Cell::money(1_250, "BRL"),
                Cell::money(23_750, "BRL"),
                Cell::Timestamp(created + 60_000),
                Cell::Null,
                Cell::text("no_conversation"),
            ],
            vec![
                Cell::text("#1003"),
                Cell::text("s_77aa00bb11cc"),
                Cell::text("p_ffeeddccbbaa"),
                Cell::text("last"),
                Cell::Fraction(1.0),
                Cell::text("JPY"),
                Cell::money(1_500, "JPY"),
                Cell::money(0, "JPY"),
                Cell::money(1_500, "JPY"),
                Cell::Timestamp(created + 120_000),
                Cell::Timestamp(touch),
                Cell::Null,
            ],
        ],
        notes: vec![
            Note::new("orders", 3, "3 orders, 2 credited"),
            Note::new(
                "unattributed_orders",
                1,
                "1 order unattributed (no_conversation: 1)",
            ),
        ],
        sections: Vec::new(),
        charts: Vec::new(),
    }
}
