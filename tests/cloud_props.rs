//! Property tests of the Cloud API and inbox CSV parsers: they never panic, whatever the input,
//! and what a webhook body says is what comes out.

mod common;

use std::collections::BTreeMap;

use chatrev::sources::cloud_api::{Delivery, Event, parse};
use chatrev::sources::messages_csv::parse_messages_csv;
use proptest::prelude::*;

const SAMPLE: &str = include_str!("../testdata/cloud/webhooks.jsonl");

fn text() -> impl Strategy<Value = String> {
    // Any text, including quotes, backslashes, escapes and multi-byte characters.
    prop_oneof![
        "[ -~]{0,20}",
        "\\PC{0,12}",
        Just("aspas \" e barra \\\\".to_string()),
        Just("linha\nnova".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(200)))]

    #[test]
    fn cloud_parser_never_panics_on_noise(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let p = parse(&text);
        prop_assert_eq!(p.lines as usize, text.split('\n').filter(|l| !l.trim().is_empty()).count());
    }

    #[test]
    fn cloud_parser_never_panics_on_mutated_logs(
        cut in 0usize..SAMPLE.len(),
        len in 0usize..40,
        insert in "[\\[\\]{}\",:0-9a-z]{0,6}",
    ) {
        let mut text = SAMPLE.to_string();
        let start = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        let p = parse(&text);
        // Every non-blank line is either read or rejected with its number.
        prop_assert!(p.rejects.iter().all(|r| r.line >= 1));
        prop_assert!(p.rejects.len() as u64 <= p.lines);
    }

    #[test]
    fn a_status_round_trips(
        wamid in "wamid\\.[A-Za-z0-9=]{1,20}",
        ts in 0i64..4_000_000_000,
        as_number in any::<bool>(),
        status in prop::sample::select(vec!["sent", "delivered", "read", "failed"]),
        agent in "[A-Za-z]{1,10}",
        code in 100_000i32..200_000,
    ) {
        let ts_json = if as_number { ts.to_string() } else { format!("\"{ts}\"") };
        let body = serde_json::json!({"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {
            "statuses": [{"id": wamid, "status": status, "recipient_id": "5541988887777",
                "biz_opaque_callback_data": format!("agent={agent};x=1"),
                "errors": [{"code": code}], "timestamp": "TS"}]}}]}]});
        let line = body.to_string().replace("\"TS\"", &ts_json);
        let p = parse(&line);
        prop_assert!(p.rejects.is_empty(), "{:?}", p.rejects);
        match &p.events().collect::<Vec<_>>()[..] {
            [Event::Status(s)] => {
                prop_assert_eq!(&s.wamid, &wamid);
                prop_assert_eq!(s.ts_s, ts);
                prop_assert_eq!(s.delivery.as_str(), status);
                prop_assert_eq!(s.error_code, Some(code));
                let callback = format!("agent={agent};x=1");
                prop_assert_eq!(s.callback.as_deref(), Some(callback.as_str()));
                prop_assert!(s.delivery <= Delivery::Failed);
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn an_inbound_text_round_trips(body in text(), wamid in "wamid\\.[A-Za-z0-9]{1,12}", ts in 0i64..4_000_000_000) {
        let line = serde_json::json!({"entry": [{"changes": [{"value": {"messages": [
            {"from": "5541988887777", "id": wamid, "timestamp": ts.to_string(), "type": "text", "text": {"body": body}}
        ]}}]}]}).to_string();
        let p = parse(&line);
        match &p.events().collect::<Vec<_>>()[..] {
            [Event::Inbound(m)] => {
                prop_assert_eq!(m.text.as_deref(), Some(body.as_str()));
                prop_assert_eq!(m.ts_s, ts);
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn messages_csv_never_panics(rows in prop::collection::vec((text(), text(), text()), 0..8), sep in prop::sample::select(vec![',', ';'])) {
        let mut csv = format!("conv{sep}ts{sep}dir{sep}phone{sep}msg\n");
        for (a, b, c) in &rows {
            csv.push_str(&format!("{a}{sep}{b}{sep}in{sep}(41) 98888-7777{sep}{c}\n"));
        }
        let map: BTreeMap<String, String> = [("conversation_id", "conv"), ("timestamp", "ts"), ("direction", "dir"), ("contact_phone", "phone"), ("text", "msg")]
            .into_iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        if let Ok(p) = parse_messages_csv("m.csv", &csv, None, Some(&map), chrono_tz::UTC) {
            prop_assert!(p.rows.iter().all(|r| r.inbound));
        }
    }
}
