//! Generates realistic WhatsApp "Export chat" files of a Brazilian shop (chatrev's test and
//! benchmark data).
//!
//! ```text
//! cargo run --release --example generate -- --lines 1000000 --format android-br --out DIR
//! cargo run --release --example generate -- --single --lines 1000000 --format android-us12h --no-date-trap --out DIR
//! cargo run --release --example generate -- --cloud-api webhooks.jsonl --lines 1000000
//! cargo run --example generate -- --shop --out examples/chats --contacts examples/contacts.csv \
//!     --orders examples/orders/shopify_orders.csv --cloud-api examples/cloud/webhooks.jsonl
//! ```
//!
//! `--orders FILE` also writes the chats' purchases as a Shopify admin "Orders export" CSV (one
//! row per line item; paid, pending boletos, a few refunded and voided), plus a few orders of
//! customers who never chatted and one with neither phone nor email. The orders draw from their
//! own RNG, so the chats are the same bytes with or without it.
//!
//! `--cloud-api FILE` writes WhatsApp Cloud API webhooks as JSON Lines (one raw POST body per
//! line: inbound messages with click-to-WhatsApp referrals, the statuses of the shop's sends,
//! Business-app echoes, with retries, out-of-order statuses, batches and wrapped lines). With
//! `--shop` it is the same shop's log over the same three weeks: 14 new customers, most through
//! three ads, whose purchases join the `--orders` CSV (the chats' own rows unchanged). Without
//! `--shop` it is a benchmark log of exactly `--lines` lines and nothing else is written.
//!
//! Deterministic for a seed. Modules: `rng` (SplitMix64), `names` (people, cities, phones,
//! products), `chat` (the conversation model), `export_txt` (text rendering), `shop` (the
//! `--shop` preset), `orders` (the `--orders` CSV), `cloud` (the `--cloud-api` JSON Lines).

mod chat;
mod cloud;
mod export_txt;
mod names;
mod orders;
mod rng;
mod shop;

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use clap::error::ErrorKind;
use clap::{CommandFactory as _, Parser};

use chat::{Chat, Plan, Shop, Size};
use export_txt::{Format, SingleExport};
use names::Customer;
use orders::ChatOrders;
use rng::Rng;

/// Generate WhatsApp "Export chat" files of a Brazilian shop.
#[derive(Debug, Parser)]
#[command(name = "generate", max_term_width = 100)]
struct Args {
    /// Total physical lines to write (split over the chats; exact). With --cloud-api and no
    /// --shop: lines of the Cloud API log.
    #[arg(long, default_value_t = 10_000)]
    lines: usize,
    /// Header format and language of the exports.
    #[arg(long, value_enum, default_value = "android-br")]
    format: Format,
    /// Output folder of the chats (created if missing).
    #[arg(long, required_unless_present = "cloud_api")]
    out: Option<PathBuf>,
    /// PRNG seed: the same seed writes the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Number of chat files (default: one per ~5,000 lines, at least 1).
    #[arg(long)]
    chats: Option<usize>,
    /// Write all lines into one chat with one customer, `export.txt` (the parser benchmark).
    #[arg(long, conflicts_with_all = ["chats", "zip"])]
    single: bool,
    /// CRLF line ends (iOS formats have them by default).
    #[arg(long, conflicts_with = "lf")]
    crlf: bool,
    /// LF line ends even for iOS formats.
    #[arg(long)]
    lf: bool,
    /// Zip each chat as the phone does (`WhatsApp Chat - X.zip` with `_chat.txt` on iOS).
    #[arg(long)]
    zip: bool,
    /// Leave out the date-looking continuation lines (`13/01/2023, 14:00 fica bom pra mim?`).
    #[arg(long)]
    no_date_trap: bool,
    /// First day of the chats.
    #[arg(long, default_value = "2023-01-04")]
    start: NaiveDate,
    /// Last day the sessions are spread to.
    #[arg(long, default_value = "2025-10-27")]
    end: NaiveDate,
    /// The business sender.
    #[arg(long, default_value = "Loja Exemplo")]
    shop_name: String,
    /// Preset for examples/chats: 40 chats of "Loja Exemplo", 2026-11-02 to 2026-11-22, Android
    /// pt-BR and iOS 24h (some zipped). Ignores --lines, --format, --chats, --start, --end.
    #[arg(long, conflicts_with_all = ["single", "chats", "zip", "crlf", "lf"])]
    shop: bool,
    /// Also write a `nome;telefone` contacts CSV for some customers shown by name.
    #[arg(long)]
    contacts: Option<PathBuf>,
    /// Also write the chats' purchases (and a few orders of customers who never chatted) as a
    /// Shopify "Orders export" CSV.
    #[arg(long)]
    orders: Option<PathBuf>,
    /// Also write WhatsApp Cloud API webhooks (JSON Lines). With --shop: the conversations of
    /// the shop's click-to-WhatsApp ads over the same weeks (their purchases join --orders).
    /// Without --shop: only this file, a benchmark log of exactly --lines lines from --start
    /// to --end.
    #[arg(long, value_name = "FILE")]
    cloud_api: Option<PathBuf>,
}

/// Totals for the summary line.
#[derive(Debug, Default)]
struct Totals {
    files: usize,
    lines: usize,
    messages: usize,
    bytes: usize,
    sessions: usize,
    purchases: usize,
}

impl Totals {
    fn add(&mut self, chat: &Chat, bytes: usize) {
        self.files += 1;
        self.lines += chat.lines();
        self.messages += chat.messages.len();
        self.bytes += bytes;
        self.sessions += chat.sessions;
        self.purchases += chat.purchases.len();
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.end < args.start {
        bail!("--end {} is before --start {}", args.end, args.start);
    }
    let (out, cloud_api) = match (&args.out, &args.cloud_api) {
        (None, Some(path)) if !args.shop => return cloud_benchmark(&args, path),
        (Some(_), Some(_)) if !args.shop => Args::command()
            .error(
                ErrorKind::ArgumentConflict,
                "--cloud-api without --shop writes only the Cloud API log; leave out --out",
            )
            .exit(),
        (Some(out), cloud_api) => (out, cloud_api),
        (None, _) => Args::command()
            .error(
                ErrorKind::MissingRequiredArgument,
                "--shop needs --out (the chats' folder)",
            )
            .exit(),
    };
    if args.lines < 2 {
        bail!("--lines must be at least 2 (the encryption notice and one message)");
    }
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let shop = Shop {
        name: args.shop_name.clone(),
    };
    let mut totals = Totals::default();
    let mut contacts = Vec::new();
    let mut sales = Vec::new();
    if args.shop {
        shop_preset(out, &args, &shop, &mut totals, &mut contacts, &mut sales)?;
    } else if args.single {
        let mut spec = SingleExport::new(args.format, args.lines, args.seed);
        spec.crlf = line_ends(&args, args.format);
        spec.date_trap = !args.no_date_trap;
        spec.shop = args.shop_name.clone();
        spec.from = args.start;
        spec.to = args.end;
        let (chat, text) = spec.build();
        write_file(&out.join("export.txt"), text.as_bytes())?;
        totals.add(&chat, text.len());
        let contact = chat.customer.saved_name.is_some().then_some(contacts.len());
        sales.push(ChatOrders::of(&chat, contact));
        if contact.is_some() {
            contacts.push(chat.customer);
        }
    } else {
        many(out, &args, &shop, &mut totals, &mut contacts, &mut sales)?;
    }
    if let Some(path) = &args.contacts {
        write_contacts(path, &contacts)?;
    }
    let cloud_sales = match cloud_api {
        Some(path) => shop_cloud(&args, path, &sales)?,
        None => Vec::new(),
    };
    if let Some(path) = &args.orders {
        let mut ot = orders::OrderTotals::default();
        let text = orders::export(args.seed, &sales, &cloud_sales, &mut ot);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        write_file(path, text.as_bytes())?;
        eprintln!(
            "generate: {} orders ({} unattributable{}), {} line items{} -> {}",
            ot.orders,
            ot.unattributable,
            if ot.cloud > 0 {
                format!(", {} from Cloud API conversations", ot.cloud)
            } else {
                String::new()
            },
            ot.rows,
            if ot.duplicates > 0 {
                format!(
                    ", {} sales left out (order number reused by another chat)",
                    ot.duplicates
                )
            } else {
                String::new()
            },
            path.display()
        );
    }
    eprintln!(
        "generate: {} files, {} lines, {} messages, {} bytes ({:.1} MB), {} sessions, {} purchases -> {}",
        totals.files,
        totals.lines,
        totals.messages,
        totals.bytes,
        totals.bytes as f64 / 1e6,
        totals.sessions,
        totals.purchases,
        out.display()
    );
    Ok(())
}

/// `--shop --cloud-api FILE`: the shop's Cloud API log; returns its purchases for the orders.
fn shop_cloud(args: &Args, path: &Path, sales: &[ChatOrders]) -> Result<Vec<orders::CloudSale>> {
    let phones = sales
        .iter()
        .map(|c| (c.customer.phone.ddd, c.customer.phone.number))
        .collect();
    let log = cloud::shop(args.seed, &phones, orders::numbers(args.seed, sales));
    let t = log.write(path)?;
    for (id, headline, customers, bought) in log.ads() {
        eprintln!("generate: ad {id} \"{headline}\": {customers} customers, {bought} purchases");
    }
    report_cloud(&t, log.customers(), path);
    Ok(log.sales())
}

/// `--cloud-api FILE` without `--shop`: the benchmark log, exactly `--lines` lines.
fn cloud_benchmark(args: &Args, path: &Path) -> Result<()> {
    if args.single || args.chats.is_some() || args.contacts.is_some() || args.orders.is_some() {
        Args::command()
            .error(
                ErrorKind::ArgumentConflict,
                "--cloud-api without --shop writes only the Cloud API log \
                 (no --single, --chats, --contacts or --orders)",
            )
            .exit();
    }
    let log = cloud::bench(args.seed, args.lines, args.start, args.end);
    let t = log.write(path)?;
    report_cloud(&t, log.customers(), path);
    Ok(())
}

/// The Cloud API log's summary line.
fn report_cloud(t: &cloud::CloudTotals, customers: usize, path: &Path) {
    eprintln!(
        "generate: cloud api: {} lines ({} retries), {} messages, {} statuses, {} echoes, {} customers, {} bytes ({:.1} MB) -> {}",
        t.lines,
        t.retries,
        t.messages,
        t.statuses,
        t.echoes,
        customers,
        t.bytes,
        t.bytes as f64 / 1e6,
        path.display()
    );
}

fn line_ends(args: &Args, format: Format) -> bool {
    args.crlf || (format.crlf_by_default() && !args.lf)
}

/// C chat files, one customer each, the lines split unevenly but summing to exactly `--lines`.
fn many(
    out: &Path,
    args: &Args,
    shop: &Shop,
    totals: &mut Totals,
    contacts: &mut Vec<Customer>,
    sales: &mut Vec<ChatOrders>,
) -> Result<()> {
    let wanted = args.chats.unwrap_or(args.lines.div_ceil(5_000)).max(1);
    let chats = wanted.min(args.lines / 2);
    if chats < wanted {
        eprintln!(
            "generate: {wanted} chats need at least {} lines; writing {chats}",
            wanted * 2
        );
    }
    let mut rng = Rng::new(args.seed);
    let weights: Vec<f64> = (0..chats).map(|_| 0.6 + 0.8 * rng.unit()).collect();
    let sizes = split(args.lines, &weights);
    let plan_for = |lines| Plan {
        start: args.start.and_hms_opt(9, 0, 0).unwrap_or_default(),
        end: args.end.and_hms_opt(22, 0, 0).unwrap_or_default(),
        cut_at_end: false,
        size: Size::Lines(lines),
        date_trap: !args.no_date_trap,
        answered: true,
        rare_events: 1.0,
    };
    let crlf = line_ends(args, args.format);
    let mut names = BTreeSet::new();
    for (i, &lines) in sizes.iter().enumerate() {
        let mut crng = rng.fork(i as u64);
        let customer = loop {
            let c = Customer::random(&mut crng, 0.75);
            if names.insert(c.file_name()) {
                break c;
            }
        };
        let chat = chat::generate(&mut crng, shop, customer, &plan_for(lines));
        let bytes = write_chat(out, &chat, shop, args.format, crlf, args.zip, args.end)?;
        totals.add(&chat, bytes);
        let listed = chat.customer.saved_name.is_some() && i % 4 == 0;
        sales.push(ChatOrders::of(&chat, listed.then_some(contacts.len())));
        if listed {
            contacts.push(chat.customer);
        }
    }
    Ok(())
}

fn shop_preset(
    out: &Path,
    args: &Args,
    shop: &Shop,
    totals: &mut Totals,
    contacts: &mut Vec<Customer>,
    sales: &mut Vec<ChatOrders>,
) -> Result<()> {
    let mut rng = Rng::new(args.seed);
    let exported = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    for sc in shop::chats(&mut rng) {
        let mut crng = rng.fork(1_000 + totals.files as u64);
        let chat = chat::generate(&mut crng, shop, sc.customer, &sc.plan);
        let crlf = sc.format.crlf_by_default();
        let bytes = write_chat(out, &chat, shop, sc.format, crlf, sc.zip, exported)?;
        totals.add(&chat, bytes);
        sales.push(ChatOrders::of(
            &chat,
            sc.in_contacts.then_some(contacts.len()),
        ));
        if sc.in_contacts {
            contacts.push(chat.customer);
        }
    }
    Ok(())
}

/// Splits `total` into parts proportional to `weights` (largest remainder), each at least 2.
fn split(total: usize, weights: &[f64]) -> Vec<usize> {
    let n = weights.len();
    let spare = total - 2 * n;
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| spare as f64 * w / sum).collect();
    let mut parts: Vec<usize> = exact.iter().map(|x| 2 + x.floor() as usize).collect();
    let mut left = total - parts.iter().sum::<usize>();
    let mut by_rem: Vec<usize> = (0..n).collect();
    by_rem
        .sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    for &i in by_rem.iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}

/// Writes one chat as the phone names it; returns the text's size in bytes.
fn write_chat(
    dir: &Path,
    chat: &Chat,
    shop: &Shop,
    format: Format,
    crlf: bool,
    zip: bool,
    exported: NaiveDate,
) -> Result<usize> {
    let text = export_txt::render(chat, shop, format, crlf);
    let who = chat.customer.file_name();
    let stem = format.file_stem(&who);
    if zip {
        let path = dir.join(format!("{stem}.zip"));
        let file =
            fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut z = zip::ZipWriter::new(file);
        let mtime = zip::DateTime::from_date_and_time(
            exported.year_u16(),
            exported.month_u8(),
            exported.day_u8(),
            9,
            0,
            0,
        )
        .map_err(|e| anyhow::anyhow!("zip time: {e}"))?;
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(mtime)
            .unix_permissions(0o644);
        z.start_file(format.zip_entry(&who), opts)?;
        z.write_all(text.as_bytes())?;
        z.finish()
            .with_context(|| format!("writing {}", path.display()))?;
    } else {
        write_file(&dir.join(format!("{stem}.txt")), text.as_bytes())?;
    }
    Ok(text.len())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// `nome;telefone` with the phones in the mixed shapes people type.
fn write_contacts(path: &Path, contacts: &[Customer]) -> Result<()> {
    let mut out = String::from("nome;telefone\n");
    for (i, c) in contacts.iter().enumerate() {
        let name = c.saved_name.as_deref().unwrap_or(&c.first);
        out.push_str(&format!("{name};{}\n", c.phone.contact_shape(i as u8)));
    }
    write_file(path, out.as_bytes())
}

/// Narrow date parts for the zip header.
trait DateParts {
    fn year_u16(&self) -> u16;
    fn month_u8(&self) -> u8;
    fn day_u8(&self) -> u8;
}

impl DateParts for NaiveDate {
    fn year_u16(&self) -> u16 {
        u16::try_from(chrono::Datelike::year(self)).unwrap_or(1980)
    }
    fn month_u8(&self) -> u8 {
        chrono::Datelike::month(self) as u8
    }
    fn day_u8(&self) -> u8 {
        chrono::Datelike::day(self) as u8
    }
}
