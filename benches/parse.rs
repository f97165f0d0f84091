//! Parser throughput (SPEC §9): `parse_export` over two 1,000,000-line generated exports, the
//! shapes the peers were measured on (PEERS.md "Benchmark method"): Android en-US 12-hour with
//! U+202F before AM/PM and LF, and iOS 24-hour with LRM marks, LRE/PDF phone authors and CRLF.
//!
//! Criterion reports lines/s (`Throughput::Elements`). Like the peers' inputs, these are generated
//! without the date-looking continuation line (`--no-date-trap`), so every parser sees the same
//! messages; the generated text is built once, in memory, before timing.
//!
//! A second group, `ingest_floor`, times on the android-us12h export the rest of the work that every
//! `chatrev ingest` of a text export has to do whatever its design, the floor under issue 7's 10×
//! target (README "Issue 7's targets"):
//!
//! - `file_sha256`: the SHA-256 of the whole file that the manifest records (SPEC §4);
//! - `message_ids`: the stable id of every message, the first 8 bytes of a SHA-256 over (person
//!   key, ts, author, text) (SPEC §4, `normalize::chats::message_id`);
//! - `text_pages_lz4`: LZ4-compressing the text column's plain-encoded pages with the compressor
//!   the store's Parquet writer uses (1 MiB pages); the other 15 columns are not counted.
//!
//! With the parse, their sum on one core is a lower bound on the ingest's CPU time; half of it is
//! the fastest two cores could finish with nothing else done (no normalising, sorting, other
//! columns, fsync or process start) and both busy throughout.
//!
//! ```text
//! RAYON_NUM_THREADS=1 cargo bench --bench parse   # one core (issue 2's target; the floor)
//! cargo bench --bench parse -- parse_export        # a file this size is parsed in two pieces
//! ```

use std::hint::black_box;
use std::time::Duration;

use chatrev::normalize::chats::message_id;
use chatrev::sources::whatsapp_txt::{ParseOptions, parse_export};
use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use polars_parquet::parquet::compression::{CompressionOptions, compress};
use sha2::{Digest, Sha256};

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

/// Data page size of polars' Parquet writer (its default `data_page_size`).
const PAGE_BYTES: usize = 1024 * 1024;

/// A person key in the store's form (one chat: the whole export is one person's conversation).
const PERSON_KEY: &str = "+5511987654321";

/// The text column as Parquet's PLAIN encoding lays it out (4-byte little-endian length, then
/// the bytes), cut into pages of about `PAGE_BYTES`.
fn plain_pages<'a>(bodies: impl Iterator<Item = &'a str>) -> Vec<Vec<u8>> {
    let mut pages = vec![Vec::with_capacity(PAGE_BYTES + 4096)];
    for body in bodies {
        let page = pages.last_mut().expect("one page at least");
        page.extend_from_slice(&(body.len() as u32).to_le_bytes());
        page.extend_from_slice(body.as_bytes());
        if page.len() >= PAGE_BYTES {
            pages.push(Vec::with_capacity(PAGE_BYTES + 4096));
        }
    }
    pages
}

/// The `ingest_floor` group: the file hash, the message ids and the text column's compression over
/// the android-us12h export (the parse itself is `parse_export/android-us12h`).
fn floor(c: &mut Criterion) {
    let opts = ParseOptions::default();
    let mut spec = SingleExport::new(Format::AndroidUs12h, LINES, 42);
    spec.date_trap = false;
    let (_, text) = spec.build();
    let parsed = parse_export(&text, &opts).expect("the generated export parses");
    let messages = parsed.messages;
    eprintln!(
        "android-us12h: {LINES} lines, {:.1} MB, {} messages, {:.1} MB of bodies",
        text.len() as f64 / 1e6,
        messages.len(),
        messages.iter().map(|m| m.text.len()).sum::<usize>() as f64 / 1e6
    );
    let stamped: Vec<(i64, &str, &str)> = messages
        .iter()
        .map(|m| {
            let ts_ms = m.local.and_utc().timestamp_millis();
            let author = m.author.as_deref().unwrap_or("");
            (ts_ms, author, m.text.as_str())
        })
        .collect();
    let pages = plain_pages(messages.iter().map(|m| m.text.as_str()));

    let mut group = c.benchmark_group("ingest_floor");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(LINES as u64));

    group.bench_function("file_sha256", |b| {
        b.iter(|| Sha256::digest(black_box(text.as_bytes())))
    });
    group.bench_function("message_ids", |b| {
        b.iter(|| {
            stamped
                .iter()
                .map(|&(ts, author, body)| message_id(PERSON_KEY, ts, author, body, 0))
                .fold(0u64, |acc, id| acc ^ id)
        })
    });
    group.bench_function("text_pages_lz4", |b| {
        b.iter_batched_ref(
            || Vec::with_capacity(PAGE_BYTES * 2),
            |out: &mut Vec<u8>| {
                for page in &pages {
                    out.clear();
                    compress(CompressionOptions::Lz4Raw, black_box(page), out)
                        .expect("LZ4 compresses");
                }
                out.len()
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, parse, floor);
criterion_main!(benches);
