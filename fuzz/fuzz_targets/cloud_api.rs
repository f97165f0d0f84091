//! `sources::cloud_api::parse` (JSON Lines of webhook bodies) on any bytes. Checks: no panic;
//! every non-blank line is counted.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        let p = chatrev::sources::cloud_api::parse(&text);
        assert!(p.rejects.len() as u64 <= p.lines);
    });
}
