//! Parser throughput (SPEC §9): `parse_export` over two 1,000,000-line generated exports, the
//! shapes the peers were measured on (PEERS.md "Benchmark method"): Android en-US 12-hour with
//! U+202F before AM/PM and LF, and iOS 24-hour with LRM marks, LRE/PDF phone authors and CRLF.
//!
//! Criterion reports lines/s (`Throughput::Elements`). Like the peers' inputs, these are generated
//! without the date-looking continuation line (`--no-date-trap`), so every parser sees the same
//! messages; the generated text is built once, in memory, before timing.
//!
//! ```text
//! RAYON_NUM_THREADS=1 cargo bench --bench parse   # one core (issue 2's target)
//! cargo bench --bench parse                        # a file this size is parsed in two pieces
//! ```

use std::hint::black_box;
use std::time::Duration;

use chatrev::sources::whatsapp_txt::{ParseOptions, parse_export};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

// The allocator the chatrev binary uses (src/main.rs), so the figures are the shipped ones.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// The generator's model and renderer, shared with `cargo run --example generate`.
#[allow(dead_code)]
#[path = "../examples/generate/chat.rs"]
mod chat;
#[allow(dead_code)]
#[path = "../examples/generate/export_txt.rs"]
mod export_txt;
#[allow(dead_code)]
#[path = "../examples/generate/names.rs"]
mod names;
#[allow(dead_code)]
#[path = "../examples/generate/rng.rs"]
mod rng;

use export_txt::{Format, SingleExport};

/// Physical lines per input, as in the peers' benchmark.
const LINES: usize = 1_000_000;

fn parse(c: &mut Criterion) {
    let opts = ParseOptions::default();
    let mut group = c.benchmark_group("parse_export");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(15));
    for (name, format, crlf) in [
        ("android-us12h", Format::AndroidUs12h, false),
        ("ios24h-crlf", Format::Ios24h, true),
    ] {
        let mut spec = SingleExport::new(format, LINES, 42);
        spec.crlf = crlf;
        spec.date_trap = false;
        let (chat, text) = spec.build();
        match parse_export(&text, &opts) {
            Ok(parsed) if parsed.messages.len() == chat.messages.len() => eprintln!(
                "{name}: {} lines, {:.1} MB, {} messages",
                LINES,
                text.len() as f64 / 1e6,
                parsed.messages.len()
            ),
            Ok(parsed) => eprintln!(
                "{name}: WARNING parsed {} messages, the generator wrote {}",
                parsed.messages.len(),
                chat.messages.len()
            ),
            Err(e) => eprintln!("{name}: WARNING parse_export failed: {e}"),
        }
        group.throughput(Throughput::Elements(LINES as u64));
        group.bench_function(name, |b| b.iter(|| parse_export(black_box(&text), &opts)));
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
