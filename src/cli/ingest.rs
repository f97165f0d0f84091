//! `chatrev ingest`: parse sources into the store, idempotently and incrementally.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use chrono_tz::Tz;
use clap::Args;
use rayon::prelude::*;

use super::Ctx;
use super::progress::Progress;
use crate::config::{SourceKind, parse_time_zone};
use crate::error::Exit;
use crate::model::{IdMap, Message, Order};
use crate::normalize::chats::{
    ChatFile, ChatRules, NormalizedChat, detect_business, fold_name, normalize_chat,
    title_from_file_name,
};
use crate::normalize::cloud::{CloudFile, normalize_cloud};
use crate::normalize::identity::{IdentityLink, IdentityMap};
use crate::normalize::inbox::normalize_inbox;
use crate::normalize::orders::normalize_order;
use crate::privacy::Forgotten;
use crate::sources::cloud_api;
use crate::sources::contacts::parse_contacts;
use crate::sources::input::{self, FileHash, InputText, PendingSha};
use crate::sources::messages_csv::{InboxPreset, parse_messages_csv};
use crate::sources::orders::{OrderOptions, Preset, parse_orders};
use crate::sources::whatsapp_txt::{DateOrder, ParseOptions, ParsedExport, parse_export_releasing};
use crate::store::messages::Month;
use crate::store::rejects::{self, Reject};
use crate::store::{self, FileEntry, Manifest, tables};

/// `ingest` flags. With no source flag, every `[[sources]]` entry of the config is ingested.
/// `Default` is "ingest the config's [[sources]]" (what reports' refresh runs).
#[derive(Debug, Default, Args)]
#[command(
    after_help = "Examples:\n  chatrev ingest --chats exports/ --source-tz America/Sao_Paulo --business \"Loja Exemplo\"\n  chatrev --config examples/chatrev.toml ingest\n  chatrev ingest --chats 'WhatsApp Chat with Ana.txt' --dry-run"
)]
pub struct IngestArgs {
    /// WhatsApp "Export chat" .txt or .zip, or a folder of them (repeatable; - reads stdin).
    #[arg(long, value_name = "PATH")]
    pub chats: Vec<PathBuf>,
    /// Order export: Shopify/WooCommerce/Nuvemshop CSV, WooCommerce/Nuvemshop/VTEX JSON, or
    /// generic CSV/JSON Lines (repeatable; folders are walked).
    #[arg(long, value_name = "PATH")]
    pub orders: Vec<PathBuf>,
    /// Format of --orders files: auto, shopify, woocommerce, nuvemshop, vtex or generic.
    #[arg(long, value_name = "FORMAT", default_value = "auto", value_parser = parse_orders_format)]
    pub orders_format: OrdersFormat,
    /// Name → phone map: CSV (name;phone) or vCard .vcf (repeatable).
    #[arg(long, value_name = "PATH")]
    pub contacts: Vec<PathBuf>,
    /// WhatsApp Cloud API webhooks: JSON Lines of webhook bodies, .jsonl or .jsonl.gz
    /// (repeatable; folders are walked).
    #[arg(long, value_name = "PATH")]
    pub cloud_api: Vec<PathBuf>,
    /// Inbox-tool message CSV (repeatable; folders are walked): Twilio's message log, or any
    /// CSV with a `columns` map in its [[sources]] entry.
    #[arg(long, value_name = "PATH")]
    pub messages_csv: Vec<PathBuf>,
    /// Format of --messages-csv files: auto (Twilio recognised by its header), generic or twilio.
    #[arg(long, value_name = "FORMAT", default_value = "auto", value_parser = parse_messages_format)]
    pub messages_format: MessagesFormat,
    /// Time zone of text exports (IANA name, e.g. America/Sao_Paulo).
    #[arg(long, value_name = "TZ")]
    pub source_tz: Option<String>,
    /// Day/month order for exports whose dates cannot decide it.
    #[arg(long, value_name = "ORDER", value_parser = parse_date_order)]
    pub date_order: Option<DateOrder>,
    /// A sender that is the business in text exports (repeatable).
    #[arg(long, value_name = "NAME")]
    pub business: Vec<String>,
    /// Do not keep message bodies.
    #[arg(long)]
    pub no_text: bool,
    /// Parse and count; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Any rejected line fails the run (exit 3) and nothing is written.
    #[arg(long)]
    pub strict: bool,
    /// Fail at once when another ingest is writing to the store, instead of waiting for it.
    #[arg(long)]
    pub no_wait: bool,
}

/// `--orders-format`: a preset, or `auto` (None).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OrdersFormat(pub Option<Preset>);

fn parse_orders_format(s: &str) -> Result<OrdersFormat, String> {
    if s.eq_ignore_ascii_case("auto") {
        return Ok(OrdersFormat(None));
    }
    s.parse::<Preset>()
        .map(|p| OrdersFormat(Some(p)))
        .map_err(|e| e.to_string())
}

/// `--messages-format`: a preset, or `auto` (None).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MessagesFormat(pub Option<InboxPreset>);

fn parse_messages_format(s: &str) -> Result<MessagesFormat, String> {
    if s.eq_ignore_ascii_case("auto") {
        return Ok(MessagesFormat(None));
    }
    s.parse::<InboxPreset>().map(|p| MessagesFormat(Some(p)))
}

fn parse_date_order(s: &str) -> Result<DateOrder, String> {
    match s {
        "dmy" => Ok(DateOrder::Dmy),
        "mdy" => Ok(DateOrder::Mdy),
        "ymd" => Ok(DateOrder::Ymd),
        _ => Err(format!(
            "`{s}` is not a date order: expected dmy, mdy or ymd"
        )),
    }
}

/// One chat file to read, with the options that apply to it.
#[derive(Debug, Clone)]
struct ChatJob {
    path: PathBuf,
    tz: Option<Tz>,
    date_order: Option<DateOrder>,
}

/// What the run will read.
#[derive(Debug, Default)]
struct Plan {
    chats: Vec<ChatJob>,
    contacts: Vec<PathBuf>,
    orders: Vec<OrderJob>,
    cloud: Vec<PathBuf>,
    inbox: Vec<InboxJob>,
}

/// One inbox-tool messages CSV, with its options.
#[derive(Debug, Clone)]
struct InboxJob {
    path: PathBuf,
    preset: Option<InboxPreset>,
    columns: Option<BTreeMap<String, String>>,
    tz: Tz,
}

/// Extensions of Cloud API logs.
const CLOUD_EXTS: &[&str] = &[".jsonl", ".jsonl.gz", ".json", ".ndjson", ".gz"];

/// One order file to read, with its options.
#[derive(Debug, Clone)]
struct OrderJob {
    path: PathBuf,
    preset: Option<Preset>,
    opts: OrderOptions,
}

/// Order options from the config (and a source's own zone, columns and statuses).
/// A config table of strings (`columns`, `statuses`) as a map.
fn string_map(t: Option<&toml::Table>) -> Option<BTreeMap<String, String>> {
    t.map(|t| {
        t.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                )
            })
            .collect()
    })
}

fn order_options(ctx: &Ctx, src: Option<&crate::config::SourceConfig>) -> OrderOptions {
    let table = string_map;
    let locale = ctx.config.locale.as_deref().map(|l| l.to_ascii_lowercase());
    OrderOptions {
        tz: src
            .and_then(|s| s.timezone)
            .map(|t| t.0)
            .or(ctx.config.timezone())
            .unwrap_or(chrono_tz::UTC),
        default_currency: None,
        locale_decimal_comma: locale.map(|l| !l.starts_with("en")),
        columns: table(src.and_then(|s| s.columns.as_ref())),
        statuses: table(src.and_then(|s| s.statuses.as_ref())),
    }
}

fn plan(args: &IngestArgs, ctx: &Ctx) -> Result<Plan> {
    let cfg = &ctx.config;
    let flag_tz = args
        .source_tz
        .as_deref()
        .map(parse_time_zone)
        .transpose()
        .map_err(|e| Exit::Usage(format!("--source-tz: {e}")))?;
    let mut out = Plan::default();
    let source_tz = |src: Option<&crate::config::SourceConfig>| {
        flag_tz
            .or(src.and_then(|s| s.timezone))
            .map(|t| t.0)
            .or(cfg.timezone())
            .unwrap_or(chrono_tz::UTC)
    };
    if !args.chats.is_empty()
        || !args.contacts.is_empty()
        || !args.orders.is_empty()
        || !args.cloud_api.is_empty()
        || !args.messages_csv.is_empty()
    {
        out.cloud = input::expand(&args.cloud_api, CLOUD_EXTS)?;
        for p in input::expand(&args.messages_csv, &[".csv", ".tsv", ".txt"])? {
            out.inbox.push(InboxJob {
                path: p,
                preset: args.messages_format.0,
                columns: None,
                tz: source_tz(None),
            });
        }
        for p in input::expand(&args.orders, &[".csv", ".json", ".jsonl"])? {
            out.orders.push(OrderJob {
                path: p,
                preset: args.orders_format.0,
                opts: order_options(ctx, None),
            });
        }
        for p in input::expand(&args.chats, &[".txt", ".zip"])? {
            out.chats.push(ChatJob {
                path: p,
                tz: flag_tz.map(|t| t.0),
                date_order: args.date_order,
            });
        }
        out.contacts = input::expand(&args.contacts, &[".csv", ".vcf", ".vcard"])?;
        return Ok(out);
    }
    if cfg.sources.is_empty() {
        bail!(
            "nothing to ingest: pass --chats PATH (or --contacts PATH), or list [[sources]] in chatrev.toml"
        );
    }
    for src in &cfg.sources {
        let path = cfg.resolve(&src.path);
        match src.kind {
            SourceKind::Chats => {
                for p in input::expand(std::slice::from_ref(&path), &[".txt", ".zip"])
                    .with_context(|| {
                        format!("[[sources]] kind = \"chats\" path = {}", src.path.display())
                    })?
                {
                    out.chats.push(ChatJob {
                        path: p,
                        tz: flag_tz.or(src.timezone).map(|t| t.0),
                        date_order: args.date_order.or(src.date_order),
                    });
                }
            }
            SourceKind::Contacts => out
                .contacts
                .extend(input::expand(&[path], &[".csv", ".vcf", ".vcard"])?),
            SourceKind::Orders => {
                let preset = parse_orders_format(src.format.as_deref().unwrap_or("auto"))
                    .map_err(|e| {
                        anyhow!(
                            "[[sources]] kind = \"orders\" path = {}: {e}",
                            src.path.display()
                        )
                    })?
                    .0;
                for p in input::expand(&[path], &[".csv", ".json", ".jsonl"])? {
                    out.orders.push(OrderJob {
                        path: p,
                        preset,
                        opts: order_options(ctx, Some(src)),
                    });
                }
            }
            SourceKind::CloudApi => out.cloud.extend(input::expand(&[path], CLOUD_EXTS)?),
            SourceKind::MessagesCsv => {
                let preset = match src.format.as_deref() {
                    None | Some("auto") => None,
                    Some(f) => Some(f.parse::<InboxPreset>().map_err(|e| {
                        anyhow!(
                            "[[sources]] kind = \"messages-csv\" path = {}: {e}",
                            src.path.display()
                        )
                    })?),
                };
                for p in input::expand(&[path], &[".csv", ".tsv", ".txt"])? {
                    out.inbox.push(InboxJob {
                        path: p,
                        preset,
                        columns: string_map(src.columns.as_ref()),
                        tz: source_tz(Some(src)),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// Counts for the closing summary.
#[derive(Debug, Default)]
struct Totals {
    files: usize,
    orders: u64,
    unchanged: usize,
    read: u64,
    kept: u64,
    duplicate: u64,
    rejected: u64,
    /// Messages and orders of forgotten persons, skipped.
    forgotten: u64,
}

/// Links every contact's name to its phones and e-mails; a contact with neither is a reject.
fn ingest_contacts(
    ctx: &Ctx,
    file: &str,
    bytes: Vec<u8>,
    identities: &mut IdentityMap,
    rejects: &mut Vec<Reject>,
) -> Result<FileEntry> {
    let (text, replaced) = input::decode_lossy(bytes);
    if replaced > 0 {
        ctx.warn(format!(
            "{file}: not valid UTF-8; {replaced} byte(s) replaced with U+FFFD"
        ));
    }
    let (contacts, rejected) = parse_contacts(file, &text).with_context(|| file.to_string())?;
    let mut kept = 0u64;
    for c in &contacts {
        let keys = c.keys(ctx.config.default_country());
        if keys.is_empty() {
            rejects.push(Reject::new(
                file,
                c.line.into(),
                "no usable phone or e-mail",
                &c.name,
            ));
            continue;
        }
        let name = c.name_key();
        keys.iter()
            .for_each(|k| identities.link(&name, k, "contacts"));
        kept += 1;
    }
    rejects.extend(
        rejected
            .iter()
            .map(|r| Reject::new(file, r.line.into(), r.reason.clone(), &r.excerpt)),
    );
    let read = (contacts.len() + rejected.len()) as u64;
    Ok(FileEntry {
        path: file.to_string(),
        sha256: String::new(),
        bytes: None,
        kind: "contacts".into(),
        options: Default::default(),
        rows_read: read,
        rows_kept: kept,
        rows_duplicate: 0,
        rows_rejected: read - kept,
        ingested_at: String::new(),
    })
}

/// The excerpt kept in `rejects.csv` for a rejected line of a message source (chat export,
/// Cloud API log, inbox CSV): none under `--no-text`, which keeps no message text anywhere.
fn excerpt(raw: &str, keep_text: bool) -> &str {
    if keep_text { raw } else { "" }
}

/// New messages of one Cloud API log or inbox CSV, and the index of its manifest entry.
struct MessageBatch {
    entry: usize,
    messages: Vec<Message>,
}

/// What [`read_message_sources`] needs from the run.
struct MessageSourceRun<'a> {
    ctx: &'a Ctx,
    manifest: &'a crate::store::Manifest,
    keep_text: bool,
    now: &'a str,
    progress: &'a Progress,
}

/// Every alias key and the person it resolves to.
fn resolution(identities: &IdentityMap) -> HashMap<String, String> {
    identities
        .links()
        .into_iter()
        .map(|l| (l.alias, l.person))
        .collect()
}

/// The months of a partitioned messages table an ingest must read and rewrite: those of its
/// new messages, those holding stored sends that later statuses update (and the month an
/// earlier send time moves them to), and those holding rows of re-keyed persons.
fn months_to_rewrite(
    files: &[PathBuf],
    new_messages: &[Vec<Message>],
    send_updates: &IdMap<tables::SendUpdate>,
    updated_months: &BTreeSet<Month>,
    rekeyed: &[&str],
) -> Result<BTreeSet<Month>> {
    let mut months: BTreeSet<Month> = (new_messages.iter().flatten())
        .map(|m| store::messages::month_of(m.ts_ms))
        .collect();
    months.extend(updated_months);
    let moved_to = send_updates.values().map(|u| u.ts_ms);
    months.extend(moved_to.map(store::messages::month_of));
    months.extend(store::messages::months_with_persons(files, rekeyed)?);
    Ok(months)
}

/// Counts a chat file's bytes on the progress bar when its reading ends, parsed or not.
struct Advance<'a>(&'a Progress, u64);

impl Drop for Advance<'_> {
    fn drop(&mut self) {
        self.0.advance(self.1);
    }
}

impl MessageSourceRun<'_> {
    /// The manifest entry of a message file (its hash is set by [`Entries::push`]); its row
    /// counts are filled at dedupe.
    fn entry(
        &self,
        path: String,
        bytes: u64,
        kind: &str,
        options: serde_json::Value,
        rejected: u64,
    ) -> FileEntry {
        FileEntry {
            path,
            sha256: String::new(),
            bytes: Some(bytes),
            kind: kind.into(),
            options: options.as_object().cloned().unwrap_or_default(),
            rows_read: 0,
            rows_kept: 0,
            rows_duplicate: 0,
            rows_rejected: rejected,
            ingested_at: self.now.to_string(),
        }
    }
}

/// Files at least this large whose size no ingested file of their kind had are hashed on a
/// thread of their own beside the run (a thread is worth it; they cannot be unchanged).
const HASH_BESIDE_BYTES: u64 = 8 << 20;

/// Whether a file of `kind` and `size` bytes is hashed beside the run (see [`FileHash`]).
fn hash_beside(manifest: &Manifest, kind: &str, size: u64) -> bool {
    size >= HASH_BESIDE_BYTES && !manifest.may_have(kind, size)
}

/// The run's manifest entries, some of whose hashes may still be being computed.
#[derive(Default)]
struct Entries {
    files: Vec<FileEntry>,
    /// (index in `files`, its hash)
    pending: Vec<(usize, PendingSha)>,
}

impl Entries {
    /// Adds an entry with its file's hash; returns its index.
    fn push(&mut self, mut entry: FileEntry, hash: FileHash) -> usize {
        let i = self.files.len();
        match hash {
            FileHash::Known(sha) => entry.sha256 = sha,
            FileHash::Pending(pending) => self.pending.push((i, pending)),
        }
        self.files.push(entry);
        i
    }

    /// Every entry, once every hash has been computed.
    fn finish(self) -> Vec<FileEntry> {
        let mut files = self.files;
        for (i, pending) in self.pending {
            files[i].sha256 = pending.wait();
        }
        files
    }
}

/// Reads the run's new Cloud API logs and inbox CSVs: their messages (persons not yet resolved),
/// identity links into `identities`, manifest entries, rejects and totals. Statuses of one
/// message are folded across every Cloud API file of the run.
fn read_message_sources(
    run: &MessageSourceRun<'_>,
    plan: &Plan,
    identities: &mut IdentityMap,
    entries: &mut Entries,
    new_rejects: &mut Vec<Reject>,
    totals: &mut Totals,
) -> Result<Vec<MessageBatch>> {
    let ctx = run.ctx;
    let default_country = ctx.config.default_country();
    let mut batches = Vec::new();
    let clock = std::time::Instant::now();
    let lap = |stage: &str| {
        if !plan.cloud.is_empty() {
            ctx.debug(format_args!(
                "{stage}: {:.3}s",
                clock.elapsed().as_secs_f64()
            ));
        }
    };
    // Files not ingested before (the parsed events borrow their texts), and their hashes and sizes.
    let mut texts: Vec<(String, input::InputFileText)> = Vec::new();
    let mut hashes: Vec<(FileHash, u64)> = Vec::new();
    for path in &plan.cloud {
        let read =
            input::read_text_maybe_gz(path, |size| hash_beside(run.manifest, "cloud-api", size))?;
        let file = path.display().to_string();
        if read
            .sha256
            .known()
            .is_some_and(|sha| run.manifest.has_file(sha, "cloud-api"))
        {
            totals.unchanged += 1;
            continue;
        }
        if read.replaced_bytes > 0 {
            ctx.warn(format!(
                "{file}: not valid UTF-8; {} byte(s) replaced with U+FFFD",
                read.replaced_bytes
            ));
        }
        texts.push((file, read.text));
        hashes.push((read.sha256, read.bytes));
    }
    lap("cloud read");
    let mut files: Vec<CloudFile<'_>> = Vec::new();
    for (file, text) in &texts {
        let text = text.as_str();
        run.progress.advance(text.len() as u64);
        let parsed = cloud_api::parse(text);
        // Not one line even looks like JSON: the wrong file, not a log with bad lines.
        if parsed.lines > 0
            && parsed.rejects.len() as u64 == parsed.lines
            && parsed
                .rejects
                .iter()
                .all(|r| !r.excerpt.trim_start().starts_with('{'))
        {
            let first = &parsed.rejects[0];
            bail!(
                "{file}: not a Cloud API webhook log: none of its {} line(s) is a webhook body (line {}: {})",
                parsed.lines,
                first.line,
                crate::render::format::sanitize(&first.reason)
            );
        }
        for r in &parsed.rejects {
            new_rejects.push(Reject::new(
                file,
                r.line.into(),
                r.reason.clone(),
                excerpt(&r.excerpt, run.keep_text),
            ));
        }
        files.push(CloudFile {
            file: file.as_str().into(),
            parsed,
        });
    }
    lap("cloud parse");
    // Bodies are kept until the funnel's text rules have flagged them (see `flag_stages`).
    let normalized = normalize_cloud(&files, default_country);
    lap("cloud normalize");
    for (alias, person) in &normalized.links {
        identities.link(alias, person, "cloud-api");
    }
    for (i, ((hash, size), messages)) in hashes.into_iter().zip(normalized.messages).enumerate() {
        let f = &files[i];
        let rejected = f.parsed.rejects.len() as u64;
        totals.rejected += rejected;
        let options = serde_json::json!({
            "lines": f.parsed.lines,
            "events": f.parsed.event_count(),
            "statuses_folded": normalized.statuses[i],
            "without_person": normalized.without_person[i],
            "ignored": f.parsed.ignored,
            "text_kept": run.keep_text,
        });
        let entry = run.entry(f.file.to_string(), size, "cloud-api", options, rejected);
        batches.push(MessageBatch {
            entry: entries.push(entry, hash),
            messages,
        });
    }
    // Events are freed on the pool's threads that read them, in parallel: freed here, one by
    // one on this thread, they took 0.15 s of a 1 M-line log's run.
    files
        .into_par_iter()
        .flat_map(|f| f.parsed.pieces)
        .for_each(drop);
    for job in &plan.inbox {
        let bytes = input::read_bytes(&job.path)?;
        let sha = input::sha256_hex(&bytes);
        let size = bytes.len() as u64;
        let file = job.path.display().to_string();
        if run.manifest.has_file(&sha, "messages-csv") {
            totals.unchanged += 1;
            continue;
        }
        let (text, replaced) = input::decode_lossy(bytes);
        if replaced > 0 {
            ctx.warn(format!(
                "{file}: not valid UTF-8; {replaced} byte(s) replaced with U+FFFD"
            ));
        }
        let parsed = parse_messages_csv(&file, &text, job.preset, job.columns.as_ref(), job.tz)?;
        if job.preset.is_none() {
            ctx.info(format!("{file}: read as {} messages", parsed.preset));
        }
        for r in &parsed.rejects {
            new_rejects.push(Reject::new(
                &file,
                r.line.into(),
                r.reason.clone(),
                excerpt(&r.excerpt, run.keep_text),
            ));
        }
        let n = normalize_inbox(
            &Arc::from(file.as_str()),
            &parsed.rows,
            default_country,
            &ctx.config.auto_reply,
        );
        for (alias, person) in &n.links {
            identities.link(alias, person, "export");
        }
        let rejected = parsed.rejects.len() as u64;
        totals.rejected += rejected;
        let options = serde_json::json!({
            "format": parsed.preset.as_str(),
            "time_zone": job.tz.name(),
            "text_kept": run.keep_text,
        });
        let entry = run.entry(file, size, "messages-csv", options, rejected);
        batches.push(MessageBatch {
            entry: entries.push(entry, FileHash::Known(sha)),
            messages: n.messages,
        });
    }
    Ok(batches)
}

/// Under `--no-text`: records on each new message the funnel stages whose text rule its body
/// matches (so the funnel works on a store without bodies), then drops the bodies. With bodies
/// kept, the funnel reads them at report time and nothing is flagged.
fn flag_stages(batches: &mut [Vec<Message>], ctx: &Ctx, no_text: bool) {
    if !no_text {
        return;
    }
    use crate::analytics::funnel::{StageRule, stages};
    use crate::config::TextDirection;
    use crate::model::MessageClass;
    let stages = stages(&ctx.config.funnel);
    let mut rules: Vec<(&str, &regex::Regex, TextDirection)> = Vec::new();
    for st in &stages {
        if let StageRule::Message(m) = &st.rule
            && let Some(re) = &m.regex
        {
            rules.push((st.name.as_str(), re, m.direction));
        }
    }
    batches.par_iter_mut().for_each(|batch| {
        for m in batch.iter_mut() {
            if let Some(text) = m.text.as_deref() {
                let hits: Vec<&str> = rules
                    .iter()
                    .filter(|(_, _, dir)| match dir {
                        TextDirection::Outbound => m.class == MessageClass::OutboundHuman,
                        TextDirection::Inbound => m.class == MessageClass::Inbound,
                        TextDirection::Any => {
                            matches!(m.class, MessageClass::OutboundHuman | MessageClass::Inbound)
                        }
                    })
                    .filter(|(_, re, _)| re.is_match(text))
                    .map(|(name, _, _)| *name)
                    .collect();
                if !hits.is_empty() {
                    m.extra_mut().stages = Some(hits.join(",").into());
                }
            }
            m.text = None;
        }
    });
}

/// CPU time (user + system) the process has used so far, in seconds (Linux `/proc/self/stat`,
/// 10 ms ticks), for `-v` stage timings: beside the wall time it shows how busy both cores were.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// The process's peak resident memory so far and now (Linux `VmHWM`, `VmRSS`), for `-v` stage
/// timings.
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let mib = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? / 1024)
    };
    Some(format!(
        "{} MiB (now {} MiB)",
        mib("VmHWM:")?,
        mib("VmRSS:")?
    ))
}

/// Runs the ingest. A first ingest that fails leaves no store directory behind.
pub fn run(args: &IngestArgs, ctx: &Ctx) -> Result<()> {
    let created = !ctx.store.dir().exists();
    let result = ingest(args, ctx);
    if result.is_err() && created && !ctx.store.exists() {
        let _ = std::fs::remove_dir_all(ctx.store.dir());
    }
    result
}

fn ingest(args: &IngestArgs, ctx: &Ctx) -> Result<()> {
    let clock = std::time::Instant::now();
    let lap = |stage: &str| {
        ctx.debug(format_args!(
            "{stage}: {:.3}s (cpu {}), peak memory {}",
            clock.elapsed().as_secs_f64(),
            cpu_seconds().map_or_else(|| "unknown".into(), |s| format!("{s:.2}s")),
            peak_rss().unwrap_or_else(|| "unknown".into())
        ))
    };
    let plan = plan(args, ctx)?;
    let store = &ctx.store;
    // Sizes read once: the progress bar's total, and each chat file's step.
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let chat_bytes: Vec<u64> = plan.chats.iter().map(|j| size(&j.path)).collect();
    let input_bytes =
        chat_bytes.iter().sum::<u64>() + plan.cloud.iter().map(|p| size(p)).sum::<u64>();
    let lock = if args.dry_run {
        None
    } else {
        Some(store.lock_for_write_waiting((!args.no_wait).then_some(|| {
            ctx.info(format!(
                "another chatrev ingest is writing to {}; waiting for it to finish (--no-wait fails instead)",
                store.dir().display()
            ))
        }))?)
    };
    store.prepare_read()?;
    let mut manifest = store.manifest()?;
    let forgotten = Forgotten::load(&ctx.config, store)?;
    let mut identities = tables::identity_map(&store.path(store::IDENTITIES))?;
    let links_at_start = resolution(&identities);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut new_rejects: Vec<Reject> = Vec::new();
    let mut entries = Entries::default();
    let mut totals = Totals::default();
    let default_country = ctx.config.default_country().to_string();

    // Contacts first: they decide the identity of chats that show only a name.
    for path in &plan.contacts {
        let bytes = input::read_bytes(path)?;
        let sha = input::sha256_hex(&bytes);
        let file = path.display().to_string();
        if manifest.has_file(&sha, "contacts") {
            totals.unchanged += 1;
            continue;
        }
        let size = bytes.len() as u64;
        let entry = ingest_contacts(ctx, &file, bytes, &mut identities, &mut new_rejects)?;
        totals.files += 1;
        totals.rejected += entry.rows_rejected;
        let entry = FileEntry {
            bytes: Some(size),
            ingested_at: now.clone(),
            ..entry
        };
        entries.push(entry, FileHash::Known(sha));
    }

    // Orders: parsed, keyed to persons, later exports of an order replacing earlier rows.
    let mut new_orders: Vec<Order> = Vec::new();
    for job in &plan.orders {
        let bytes = input::read_bytes(&job.path)?;
        let sha = input::sha256_hex(&bytes);
        let file = job.path.display().to_string();
        if manifest.has_file(&sha, "orders") {
            totals.unchanged += 1;
            continue;
        }
        let size = bytes.len() as u64;
        let (text, replaced) = input::decode_lossy(bytes);
        if replaced > 0 {
            ctx.warn(format!(
                "{file}: not valid UTF-8; {replaced} byte(s) replaced with U+FFFD"
            ));
        }
        let parsed = parse_orders(&file, &text, job.preset, &job.opts)?;
        if job.preset.is_none() {
            ctx.info(format!("{file}: read as {} orders", parsed.preset));
        }
        new_rejects.extend(
            parsed
                .rejects
                .iter()
                .map(|r| Reject::new(&file, r.line.into(), r.reason.clone(), &r.excerpt)),
        );
        let rejected = parsed.rejects.len() as u64;
        let read = parsed.orders.len() as u64 + rejected;
        let before = new_orders.len() + parsed.orders.len();
        new_orders.extend(
            parsed
                .orders
                .into_iter()
                .map(|o| normalize_order(o, &file, &default_country, &identities))
                .filter(|o| !o.person.as_deref().is_some_and(|p| forgotten.contains(p))),
        );
        let dropped = (before - new_orders.len()) as u64;
        totals.forgotten += dropped;
        let kept = read - rejected - dropped;
        totals.files += 1;
        totals.orders += kept;
        totals.rejected += rejected;
        let entry = FileEntry {
            path: file,
            sha256: String::new(),
            bytes: Some(size),
            kind: "orders".into(),
            options: serde_json::json!({ "format": parsed.preset.as_str() })
                .as_object()
                .cloned()
                .unwrap_or_default(),
            rows_read: read,
            rows_kept: kept,
            rows_duplicate: 0,
            rows_rejected: rejected,
            ingested_at: now.clone(),
        };
        entries.push(entry, FileHash::Known(sha));
    }

    // Read and parse every chat file in parallel; any unusable file stops the run.
    let mut progress = Progress::for_ingest(ctx.quiet, input_bytes);
    let parsed: Vec<Option<(ChatJob, InputText, ParsedExport)>> = plan
        .chats
        .par_iter()
        .zip(&chat_bytes)
        .map(|(job, &bytes)| -> Result<_> {
            let _read = Advance(&progress, bytes);
            let input =
                input::read_chat(&job.path, |size| hash_beside(&manifest, "chats", size))?;
            if input.sha256.known().is_some_and(|sha| manifest.has_file(sha, "chats")) {
                return Ok(None);
            }
            let opts = ParseOptions { date_order: job.date_order.or(ctx.config.date_order) };
            // The parse copies what it keeps: a mapped file leaves memory behind its cursor.
            let release = &|r| input.text.release(r);
            let parsed = parse_export_releasing(input.text.as_str(), &opts, release).map_err(|e| match e {
                crate::sources::whatsapp_txt::ExportError::AmbiguousDateOrder => anyhow!(
                    "{}: cannot tell day/month order (no day above 12 and both readings are chronological); pass --date-order dmy or --date-order mdy (or set date_order in chatrev.toml)",
                    input.file
                ),
                other => anyhow!("{}: {other}", input.file),
            })?;
            Ok(Some((job.clone(), input, parsed)))
        })
        .collect::<Result<_>>()?;
    lap("read and parse");
    // The parser's scratch (line positions, stamps) is freed: give it back before normalising.
    crate::memory::release_freed();
    let mut chats = Vec::new();
    for item in parsed {
        let Some((job, input, parsed)) = item else {
            totals.unchanged += 1;
            continue;
        };
        if input.replaced_bytes > 0 {
            ctx.warn(format!(
                "{}: not valid UTF-8; {} byte(s) replaced with U+FFFD",
                input.file, input.replaced_bytes
            ));
        }
        let tz = job.tz.or(ctx.config.timezone()).ok_or_else(|| {
            anyhow!("{}: text exports carry no time zone; pass --source-tz (e.g. America/Sao_Paulo) or set timezone in chatrev.toml", input.file)
        })?;
        for r in &parsed.rejects {
            new_rejects.push(Reject::new(
                &input.file,
                r.line as u64,
                r.reason.clone(),
                excerpt(&r.excerpt, !args.no_text),
            ));
        }
        chats.push(ChatFile {
            title: title_from_file_name(&input.name_for_title),
            file: input.file.clone(),
            parsed,
            tz,
        });
        let entry = FileEntry {
            path: input.file,
            sha256: String::new(),
            bytes: Some(input.bytes),
            kind: "chats".into(),
            options: Default::default(),
            rows_read: 0,
            rows_kept: 0,
            rows_duplicate: 0,
            rows_rejected: 0,
            ingested_at: now.clone(),
        };
        entries.push(entry, input.sha256);
    }
    if totals.unchanged > 0 {
        ctx.info(format!(
            "{} file(s) unchanged since they were ingested; skipped",
            totals.unchanged
        ));
    }

    // Who is the business.
    let mut business: Vec<String> = if !args.business.is_empty() {
        args.business.clone()
    } else {
        ctx.config.business_names.clone()
    };
    if business.is_empty() && !chats.is_empty() {
        let name = detect_business(&chats).map_err(|e| anyhow!("{e}"))?;
        ctx.info(format!("business sender: `{name}` (found in the most chat files; set business_names or pass --business to choose)"));
        business.push(name);
    }
    let contacts_map: HashMap<String, String> = identities
        .links()
        .into_iter()
        .filter(|l| l.alias.starts_with("name:") && l.person.starts_with("tel:"))
        .map(|l| (l.alias, l.person))
        .collect();
    // Bodies are kept until the funnel's text rules have flagged them (see `flag_stages`).
    let rules = ChatRules {
        business: business.iter().map(|b| fold_name(b)).collect(),
        agent_pattern: ctx.config.agent_pattern.as_ref().map(|p| &p.0),
        auto_reply: &ctx.config.auto_reply,
        contacts: &contacts_map,
        default_country: &default_country,
    };
    let normalized: Vec<NormalizedChat> = chats
        .par_iter_mut()
        .map(|c| normalize_chat(c, &rules))
        .collect();
    lap("normalize");
    // The parsed messages were moved into the normalised ones and freed.
    crate::memory::release_freed();
    for n in &normalized {
        n.warnings.iter().for_each(|w| ctx.warn(w));
        for (alias, person) in &n.links {
            identities.link(alias, person, "export");
        }
    }

    // Cloud API logs and inbox CSVs: messages with their own persons, and identity links.
    let chat_entries_end = entries.files.len();
    let batches = read_message_sources(
        &MessageSourceRun {
            ctx,
            manifest: &manifest,
            keep_text: !args.no_text,
            now: &now,
            progress: &progress,
        },
        &plan,
        &mut identities,
        &mut entries,
        &mut new_rejects,
        &mut totals,
    )?;

    progress.stage("writing");
    // Dedupe against the store and within this batch.
    // Only the ids are read here: the whole table is read later, and only when it changes.
    let message_files = store.message_files()?;
    let stored = !message_files.is_empty();
    // A stored copy of a message is stored under its person, or under another key of that
    // person's (links only ever join keys): only those persons' ids are read, and the
    // person-sorted files' row-group statistics skip everyone else's rows. In month
    // partitions, the month of each is read too (for the sends later statuses update).
    let partitioned = store::messages::is_partitioned(&message_files);
    let tables::StoredIds {
        ids: stored_ids,
        months: stored_months,
    } = if stored {
        let persons: HashSet<&str> = (normalized.iter())
            .map(|n| n.person.as_str())
            .chain(
                batches
                    .iter()
                    .flat_map(|b| b.messages.iter().map(|m| &*m.person)),
            )
            .collect();
        let keys = identities.keys_of_persons(persons);
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        tables::stored_ids_of(&message_files, &keys, partitioned)?
    } else {
        tables::StoredIds::default()
    };
    let stored_count = manifest.tables.messages;
    let chat_rows: usize = normalized.iter().map(|n| n.messages.len()).sum();
    let mut seen = crate::model::ShardedIdSet::new(stored_ids, chat_rows);
    let first_chat_entry = chat_entries_end - chats.len();
    let mut new_messages: Vec<Vec<Message>> = Vec::with_capacity(normalized.len());
    let mut forgotten_per_chat: Vec<u64> = Vec::with_capacity(normalized.len());
    for (i, mut n) in normalized.into_iter().enumerate() {
        let person = identities.resolve(&n.person).to_string();
        let entry = &mut entries.files[first_chat_entry + i];
        entry.rows_read = n.messages.len() as u64;
        entry.rows_rejected = chats[i].parsed.rejects.len() as u64;
        let p = &chats[i].parsed;
        entry.options = serde_json::json!({
            "template": p.template,
            "date_order": p.date_order,
            "date_order_basis": p.date_order_basis,
            "time_zone": chats[i].tz.name(),
            "person": person,
            "lines": p.lines,
            "text_kept": !args.no_text,
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        let mut forgotten_here = 0u64;
        if forgotten.contains(&person) || forgotten.contains(&n.person) {
            forgotten_here = n.messages.len() as u64;
            totals.forgotten += forgotten_here;
            n.messages.clear();
        }
        // A chat's messages share one person `Arc`: only a chat linked to another key needs
        // them re-keyed.
        if person != n.person {
            let person: Arc<str> = person.into();
            n.messages
                .iter_mut()
                .for_each(|m| m.person = person.clone());
        }
        new_messages.push(n.messages);
        forgotten_per_chat.push(forgotten_here);
    }
    // Against the stored ids and each other, in order: ids are added in parallel shards.
    let chat_batches: Vec<&[Message]> = new_messages.iter().map(Vec::as_slice).collect();
    let repeats = seen.insert_all(&chat_batches);
    for (b, group) in repeats.chunk_by(|x, y| x.0 == y.0).map(|g| (g[0].0, g)) {
        let mut drop_at = group.iter().map(|&(_, i)| i).peekable();
        let mut index = 0;
        new_messages[b].retain(|_| {
            let keep = drop_at.next_if_eq(&index).is_none();
            index += 1;
            keep
        });
    }
    for (i, messages) in new_messages.iter().enumerate() {
        let entry = &mut entries.files[first_chat_entry + i];
        entry.rows_kept = messages.len() as u64;
        entry.rows_duplicate = entry.rows_read - entry.rows_kept - forgotten_per_chat[i];
        totals.files += 1;
        totals.read += entry.rows_read;
        totals.kept += entry.rows_kept;
        totals.duplicate += entry.rows_duplicate;
        totals.rejected += entry.rows_rejected;
    }

    // Statuses of sends already stored update those rows (their delivery, error, send time).
    let mut send_updates: IdMap<tables::SendUpdate> = IdMap::default();
    for batch in batches {
        let entry = &mut entries.files[batch.entry];
        let mut messages = batch.messages;
        entry.rows_read = messages.len() as u64;
        let mut persons: HashMap<String, Arc<str>> = HashMap::new();
        let before = messages.len();
        messages.retain(|m| {
            !(forgotten.contains(&m.person) || forgotten.contains(identities.resolve(&m.person)))
        });
        let forgotten_here = (before - messages.len()) as u64;
        totals.forgotten += forgotten_here;
        messages.retain_mut(|m| {
            let resolved = identities.resolve(&m.person);
            if resolved != &*m.person {
                m.person = persons
                    .entry(resolved.to_string())
                    .or_insert_with(|| Arc::from(resolved))
                    .clone();
            }
            if seen.insert(m.message_id) {
                return true;
            }
            if let Some(delivery) = m.cloud().and_then(|c| c.delivery.as_ref())
                && m.direction == crate::model::Direction::Out
            {
                send_updates.insert(
                    m.message_id,
                    tables::SendUpdate {
                        ts_ms: m.ts_ms,
                        delivery: delivery.clone(),
                        error_code: m.cloud().and_then(|c| c.error_code),
                        agent: m.agent().map(str::to_string),
                    },
                );
            }
            false
        });
        entry.rows_kept = messages.len() as u64;
        entry.rows_duplicate = entry.rows_read - entry.rows_kept - forgotten_here;
        totals.files += 1;
        totals.read += entry.rows_read;
        totals.kept += entry.rows_kept;
        totals.duplicate += entry.rows_duplicate;
        new_messages.push(messages);
    }
    // Every stored and new id: 8 bytes a message (80 MB at 10 M), not needed to write.
    drop(seen);
    // The months holding the stored sends that this run's statuses update.
    let updated_months: BTreeSet<Month> = (send_updates.keys())
        .filter_map(|id| stored_months.get(id).copied())
        .collect();
    drop(stored_months);
    flag_stages(&mut new_messages, ctx, args.no_text);
    lap("dedupe");
    let orders_note = if totals.orders > 0 {
        format!("; {} order(s)", totals.orders)
    } else {
        String::new()
    };
    let forgotten_note = if totals.forgotten > 0 {
        format!(
            "; {} message(s)/order(s) of forgotten persons skipped",
            totals.forgotten
        )
    } else {
        String::new()
    };
    let summary = format!(
        "{} file(s): {} message(s) read, {} new, {} already in the store{orders_note}; {} line(s) rejected{forgotten_note}",
        totals.files, totals.read, totals.kept, totals.duplicate, totals.rejected
    );
    if args.strict && !new_rejects.is_empty() {
        ctx.info(format!(
            "{summary}; first: {}:{}: {}",
            new_rejects[0].file,
            new_rejects[0].line,
            // Reasons can name a cell's value (SPEC §8): no raw control or bidi characters.
            crate::render::format::sanitize(&new_rejects[0].reason)
        ));
        return Err(Exit::StrictRejects(new_rejects.len() as u64).into());
    }
    if args.dry_run {
        ctx.info(format!("dry run, nothing written: {summary}"));
        return Ok(());
    }
    let Some(lock) = lock else {
        unreachable!("a writing run holds the lock")
    };
    if entries.files.is_empty() {
        ctx.info("nothing new to ingest");
        return Ok(());
    }

    // Merge, sort and commit. Without stored rows, the new messages are written straight to
    // Parquet (sorted, one row group at a time) instead of through one whole frame.
    let resolve_all = resolution(&identities);
    // The stored messages change only with new messages, later statuses of stored sends, or
    // identity links that re-key stored persons; otherwise (an orders or contacts-only
    // ingest that links nobody new) messages.parquet is left as it is.
    let new_rows = new_messages.iter().any(|b| !b.is_empty());
    let relinked = resolve_all != links_at_start;
    let rewrite = !stored || new_rows || !send_updates.is_empty() || relinked;
    // Keys that resolve elsewhere than when the run began: rows stored under them are re-keyed.
    let rekeyed: Vec<&str> = (resolve_all.iter())
        .filter(|(alias, person)| links_at_start.get(*alias) != Some(*person))
        .map(|(alias, _)| alias.as_str())
        .collect();
    // A table in month partitions rewrites only the months that change; a single-file table
    // is always rewritten whole.
    let months: Option<BTreeSet<Month>> = if stored && rewrite && partitioned {
        Some(months_to_rewrite(
            &message_files,
            &new_messages,
            &send_updates,
            &updated_months,
            &rekeyed,
        )?)
    } else {
        None
    };
    let read_files: Vec<PathBuf> = match &months {
        Some(months) => store::messages::files_of_months(&message_files, months),
        None => message_files.clone(),
    };
    if let Some(months) = &months {
        ctx.debug(format_args!(
            "month partitions: {} of {} rewritten",
            months.len(),
            message_files.len()
        ));
    }
    let existing = if stored && rewrite {
        store::messages::read(&read_files)?
    } else {
        None
    };
    let mut merged = match existing {
        Some(mut df) if df.height() > 0 => {
            tables::upgrade_messages(&mut df)?;
            let updated = tables::apply_send_updates(&mut df, &send_updates)?;
            if updated > 0 {
                ctx.info(format!(
                    "{updated} stored business send(s) updated with later delivery statuses"
                ));
            }
            tables::remap_persons(&mut df, &resolve_all)?;
            let new_frame = tables::messages_frame(&new_messages)?;
            new_messages = Vec::new();
            lap("frame");
            Some(tables::merge_messages(Some(df), new_frame)?)
        }
        // Only new months: their rows are all new.
        _ if months.is_some() => {
            let frame = tables::messages_frame(&new_messages)?;
            new_messages = Vec::new();
            Some(frame)
        }
        _ => None,
    };
    lap("merge and sort");
    let stored_rows = match &merged {
        Some(_) if months.is_some() => stored_count + totals.kept,
        Some(df) => df.height() as u64,
        None if rewrite => totals.kept,
        None => stored_count,
    };
    let links: Vec<IdentityLink> = identities
        .links()
        .into_iter()
        .filter(|l| !(forgotten.contains(&l.alias) || forgotten.contains(&l.person)))
        .collect();
    let mut ident_df = tables::identities_frame(&links)?;
    let orders_path = store.path(store::ORDERS);
    // Stored orders change only with new orders, or with links that re-key their persons.
    let orders_rekeyed = tables::orders_of_persons(&orders_path, &rekeyed)? > 0;
    let mut orders_df = if !new_orders.is_empty() || orders_rekeyed {
        let mut by_id: std::collections::BTreeMap<String, Order> =
            std::collections::BTreeMap::new();
        for mut o in tables::read_orders(&orders_path)?
            .into_iter()
            .chain(new_orders)
        {
            // Identity merges made since: re-key stored orders too.
            if let Some(p) = &o.person {
                o.person = Some(identities.resolve(p).to_string());
            }
            by_id.insert(o.order_id.clone(), o);
        }
        let all: Vec<Order> = by_id.into_values().collect();
        manifest.tables.orders = all.len() as u64;
        Some(tables::orders_frame(&all)?)
    } else {
        None
    };
    manifest.tables.messages = stored_rows;
    manifest.tables.identities = ident_df.height() as u64;
    let mut tx = store.transaction(&lock);
    if rewrite {
        let partition_rows = ctx.config.store.partition_rows();
        match (merged.as_mut(), &months) {
            (Some(df), Some(months)) => store::messages::stage_months(&mut tx, df, months)?,
            (Some(df), None) => {
                store::messages::stage_frame(&mut tx, df, partition_rows)?;
            }
            (None, _) => {
                store::messages::stage_batches(&mut tx, &new_messages, partition_rows)?;
            }
        };
    } else {
        ctx.debug(format_args!(
            "messages unchanged: the messages table is kept as it is"
        ));
    }
    // Freeing a million messages takes a while: done beside the rest of the commit.
    let freeing = std::thread::spawn(move || drop(new_messages));
    tx.stage(store::IDENTITIES, |f| tables::write_table(&mut ident_df, f))?;
    if let Some(df) = orders_df.as_mut() {
        tx.stage(store::ORDERS, |f| tables::write_table(df, f))?;
    }
    let mut reject_rows = 0;
    tx.stage(store::REJECTS, |f| {
        reject_rows = rejects::write_with(&store.path(store::REJECTS), &new_rejects, f)?;
        Ok(())
    })?;
    manifest.tables.rejects = reject_rows;
    // Last, so that hashes computed beside the run had the whole run to finish.
    manifest.files.extend(entries.finish());
    tx.stage(store::MANIFEST, |f| {
        serde_json::to_writer_pretty(&mut *f, &manifest)?;
        Ok(())
    })?;
    lap("write");
    tx.commit()?;
    lap("commit");
    // Not waited for: the frees finish on their own, or the process exits first.
    drop(freeing);
    progress.finish();
    let rejects_note = if new_rejects.is_empty() {
        String::new()
    } else {
        format!(" (see {})", store.path(store::REJECTS).display())
    };
    ctx.info(format!(
        "ingested {summary}{rejects_note}; store {} now holds {} message(s)",
        store.dir().display(),
        stored_rows
    ));
    Ok(())
}
