//! `sources::whatsapp_txt::parse_export` on any bytes (decoded lossily, as `ingest` does).
//! The first byte picks the `--date-order` fallback. Checks: no panic; messages are in file
//! order with distinct lines; every reject's line lies inside the file.

use chatrev::sources::whatsapp_txt::{DateOrder, ParseOptions, parse_export};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&first, rest)) = data.split_first() else {
            return;
        };
        let date_order = match first % 4 {
            0 => None,
            1 => Some(DateOrder::Dmy),
            2 => Some(DateOrder::Mdy),
            _ => Some(DateOrder::Ymd),
        };
        let text = String::from_utf8_lossy(rest);
        if let Ok(p) = parse_export(&text, &ParseOptions { date_order }) {
            assert!(p.messages.windows(2).all(|w| w[0].line < w[1].line));
            for r in &p.rejects {
                assert!(r.line >= 1 && r.line as usize <= p.lines, "{r:?}");
            }
            for m in &p.messages {
                assert!(m.line >= 1 && m.line as usize <= p.lines, "{m:?}");
            }
        }
    });
}
