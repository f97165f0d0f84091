//! `chatrev status`: what the store holds — sources, rows by class and kind, date range, rejects.

use std::io::Write;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use clap::{Args, ValueEnum};
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use serde_json::json;

use super::Ctx;
use crate::store::{self, tables};

/// `status` flags.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
    /// Time zone for the date range (default: config timezone, else UTC).
    #[arg(long, value_name = "TZ")]
    pub tz: Option<String>,
    /// List every ingested file (tables show one line per source kind otherwise).
    #[arg(long)]
    pub files: bool,
}

/// Formats `status` can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// Human tables.
    Table,
    /// One JSON object.
    Json,
}

/// Prints the status.
pub fn run(args: &StatusArgs, ctx: &Ctx) -> Result<()> {
    let store = &ctx.store;
    if !store.exists() {
        bail!(
            "no store at {}: run `chatrev ingest` first",
            store.dir().display()
        );
    }
    store.prepare_read()?;
    let tz: Tz = match &args.tz {
        Some(t) => {
            crate::config::parse_time_zone(t)
                .map_err(anyhow::Error::msg)?
                .0
        }
        None => ctx.config.timezone().unwrap_or(Tz::UTC),
    };
    let manifest = store.manifest()?;
    let message_files = store.message_files()?;
    let summary = tables::summarize_messages(&message_files)?;
    // How the messages table is laid out (SPEC §4): one file, or month partitions.
    let months = if crate::store::messages::is_partitioned(&message_files) {
        message_files.len()
    } else {
        0
    };
    let fmt_ts = |ms: Option<i64>| -> Option<String> {
        ms.and_then(DateTime::<Utc>::from_timestamp_millis)
            .map(|t| {
                t.with_timezone(&tz)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            })
    };
    let rejects_path = store.path(store::REJECTS);
    // Message files ingested with and without their bodies.
    let text_flag =
        |f: &crate::store::FileEntry| f.options.get("text_kept").and_then(|v| v.as_bool());
    let text_kept = manifest
        .files
        .iter()
        .filter(|f| text_flag(f) == Some(true))
        .count();
    let text_dropped = manifest
        .files
        .iter()
        .filter(|f| text_flag(f) == Some(false))
        .count();
    let forgotten = std::fs::read_to_string(store.path(crate::privacy::FORGOTTEN_FILE))
        .map(|t| t.lines().filter(|l| !l.trim().is_empty()).count())
        .unwrap_or(0);
    let (matched, order_rows) = tables::order_match(&message_files, &store.path(store::ORDERS))?;
    let match_rate = (order_rows > 0).then(|| matched as f64 / order_rows as f64);
    let mut out = std::io::stdout().lock();
    match args.format {
        StatusFormat::Json => {
            let doc = json!({
                "store": store.dir().display().to_string(),
                "schema_version": manifest.schema_version,
                "time_zone": tz.name(),
                "sources": manifest.files,
                "messages": {
                    "rows": summary.rows,
                    "month_partitions": months,
                    "persons": summary.persons,
                    "first": fmt_ts(summary.first_ts_ms),
                    "last": fmt_ts(summary.last_ts_ms),
                    "by_class_kind": summary.by_class_kind.iter()
                        .map(|(c, k, n)| json!({"class": c, "kind": k, "rows": n}))
                        .collect::<Vec<_>>(),
                    "delivery": summary.by_delivery.iter()
                        .map(|(d, n)| (d.clone(), json!(n)))
                        .collect::<serde_json::Map<_, _>>(),
                    "top_error_codes": summary.top_errors.iter()
                        .map(|(c, n)| json!({"code": c, "rows": n}))
                        .collect::<Vec<_>>(),
                },
                "identities": manifest.tables.identities,
                "text_kept": {"files": text_kept, "files_without_text": text_dropped},
                "forgotten_persons": forgotten,
                "orders": {"rows": manifest.tables.orders, "matched": matched, "match_rate": match_rate},
                "rejects": {"rows": manifest.tables.rejects, "file": rejects_path.display().to_string()},
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        StatusFormat::Table => {
            writeln!(
                out,
                "Store {} (schema {})",
                store.dir().display(),
                manifest.schema_version
            )?;
            let sources = if args.files {
                let mut t = new_table([
                    "kind",
                    "file",
                    "read",
                    "new",
                    "duplicate",
                    "rejected",
                    "ingested at",
                ]);
                for f in &manifest.files {
                    t.add_row([
                        f.kind.clone(),
                        f.path.clone(),
                        f.rows_read.to_string(),
                        f.rows_kept.to_string(),
                        f.rows_duplicate.to_string(),
                        f.rows_rejected.to_string(),
                        f.ingested_at.clone(),
                    ]);
                }
                t
            } else {
                let mut t = new_table([
                    "kind",
                    "files",
                    "read",
                    "new",
                    "duplicate",
                    "rejected",
                    "last ingest",
                ]);
                let mut kinds: Vec<&str> = manifest.files.iter().map(|f| f.kind.as_str()).collect();
                kinds.sort_unstable();
                kinds.dedup();
                for kind in kinds {
                    let of_kind: Vec<_> =
                        manifest.files.iter().filter(|f| f.kind == kind).collect();
                    let sum = |get: fn(&crate::store::FileEntry) -> u64| {
                        of_kind.iter().map(|f| get(f)).sum::<u64>().to_string()
                    };
                    t.add_row([
                        kind.to_string(),
                        of_kind.len().to_string(),
                        sum(|f| f.rows_read),
                        sum(|f| f.rows_kept),
                        sum(|f| f.rows_duplicate),
                        sum(|f| f.rows_rejected),
                        of_kind
                            .iter()
                            .map(|f| f.ingested_at.as_str())
                            .max()
                            .unwrap_or("")
                            .to_string(),
                    ]);
                }
                t
            };
            writeln!(
                out,
                "\nSources ({} file(s){})\n{sources}",
                manifest.files.len(),
                if args.files {
                    ""
                } else {
                    "; --files lists them"
                }
            )?;
            let range = match (fmt_ts(summary.first_ts_ms), fmt_ts(summary.last_ts_ms)) {
                (Some(a), Some(b)) => format!("{a} to {b} ({})", tz.name()),
                _ => "empty".into(),
            };
            let layout = match months {
                0 => String::new(),
                n => format!("; stored in {n} month partition(s)"),
            };
            writeln!(
                out,
                "\nMessages: {} from {} person(s), {range}{layout}",
                summary.rows, summary.persons
            )?;
            let mut by = new_table(["class", "kind", "rows"]);
            for (c, k, n) in &summary.by_class_kind {
                by.add_row([c.clone(), k.clone(), n.to_string()]);
            }
            writeln!(out, "{by}")?;
            if !summary.by_delivery.is_empty() {
                let delivery = summary
                    .by_delivery
                    .iter()
                    .map(|(d, n)| format!("{d} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let errors = if summary.top_errors.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; top error codes: {}",
                        summary
                            .top_errors
                            .iter()
                            .map(|(c, n)| format!("{c} ×{n}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                writeln!(out, "Delivery of business sends: {delivery}{errors}")?;
            }
            let rate = match_rate.map_or("n/a".to_string(), |r| format!("{:.1} %", 100.0 * r));
            writeln!(
                out,
                "\nOrders: {}; match rate {rate} ({matched} with a person who has a conversation)",
                manifest.tables.orders
            )?;
            writeln!(out, "Identity links: {}", manifest.tables.identities)?;
            writeln!(
                out,
                "Message bodies: kept from {text_kept} file(s), not kept (--no-text) from {text_dropped}"
            )?;
            if forgotten > 0 {
                writeln!(
                    out,
                    "Forgotten persons: {forgotten} key(s) (chatrev forget)"
                )?;
            }
            writeln!(
                out,
                "Rejected lines: {} ({})",
                manifest.tables.rejects,
                rejects_path.display()
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

fn new_table<const N: usize>(header: [&str; N]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header(header);
    t
}
