//! Flags shared by `report`, `sessions` and `attribute`, and their resolution into a window.

use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use clap::{Args, ValueEnum};

use super::Ctx;
use crate::analytics;
use crate::analytics::attribution::{self, Attribution, Model};
use crate::analytics::conversion::{self, SessionCredit};
use crate::analytics::funnel;
use crate::analytics::orders::OrderFact;
use crate::analytics::periods::TimeRange;
use crate::analytics::periods::{Period, date_range};
use crate::analytics::response_time::GroupBy;
use crate::analytics::sessions::{self, Conversations, SessionRules};
use crate::config::{AttributionModel, DurationSpec, FunnelUnit, parse_time_zone};
use crate::error::Exit;
use crate::normalize::time::local_to_utc_ms;
use crate::render::{self, Format, Locale, RenderOptions, Report};
use crate::reports::Window;
use crate::reports::conversion::ModelInfo;
use crate::store::{self, tables};

/// `--by` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Local day (`2026-11-24`).
    Day,
    /// ISO week (`2026-W48`).
    Week,
    /// Month (`2026-11`).
    Month,
    /// The agent.
    Agent,
    /// The session's source (`ad:<id>`, `template:<name>`, `organic`).
    Source,
    /// Who started the session.
    Initiator,
    /// The order currency (money reports).
    Currency,
}

/// The flags every report shares.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First local date included (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<NaiveDate>,
    /// Last local date included (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<NaiveDate>,
    /// all, last-week, this-week, last-month, this-month, YYYY-Www or YYYY-MM [default: all].
    #[arg(long, value_name = "PERIOD", conflicts_with_all = ["since", "until"])]
    pub period: Option<Period>,
    /// Group rows (repeatable, order kept).
    #[arg(long, value_enum, value_name = "DIM")]
    pub by: Vec<By>,
    /// Report time zone (default: config timezone, else UTC).
    #[arg(long, value_name = "TZ")]
    pub tz: Option<String>,
    /// Output format [default: table on a terminal, else csv].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Cutoff for pending turns: RFC 3339, `YYYY-MM-DD HH:MM` (report zone) or a date (its end)
    /// [default: the latest message in the store].
    #[arg(long, value_name = "DATETIME")]
    pub as_of: Option<String>,
    /// Do not ingest new or changed [[sources]] files first.
    #[arg(long)]
    pub no_refresh: bool,
}

/// `--model`, `--window`, `--half-life` (attribution; flags override config `[attribution]`).
#[derive(Debug, Args, Default)]
pub struct AttributionArgs {
    /// Attribution model [default: config attribution.model, else last].
    #[arg(long, value_enum)]
    pub model: Option<AttributionModel>,
    /// Look-back window before each order, e.g. 7d [default: config attribution.window, else 7d].
    #[arg(long, value_name = "DURATION")]
    pub window: Option<DurationSpec>,
    /// Half-life of the time-decay model [default: config attribution.half_life, else 7d].
    #[arg(long, value_name = "DURATION")]
    pub half_life: Option<DurationSpec>,
}

impl AttributionArgs {
    /// The model and window in force, and how reports name them.
    pub fn resolve(&self, ctx: &Ctx) -> (Model, i64, ModelInfo) {
        let cfg = &ctx.config.attribution;
        let week = DurationSpec(7 * 86_400);
        let model = self.model.or(cfg.model).unwrap_or(AttributionModel::Last);
        let window = self.window.or(cfg.window).unwrap_or(week);
        let half_life = self.half_life.or(cfg.half_life).unwrap_or(week);
        let (m, name) = match model {
            AttributionModel::Last => (Model::Last, "last"),
            AttributionModel::First => (Model::First, "first"),
            AttributionModel::Linear => (Model::Linear, "linear"),
            AttributionModel::Position => (Model::Position, "position"),
            AttributionModel::TimeDecay => (
                Model::TimeDecay {
                    half_life_ms: half_life.0.saturating_mul(1000),
                },
                "time-decay",
            ),
        };
        let info = ModelInfo {
            model: name,
            window: window.to_string(),
            half_life: (model == AttributionModel::TimeDecay).then(|| half_life.to_string()),
        };
        (m, window.0.saturating_mul(1000), info)
    }
}

/// Orders and what attribution made of them, for the money reports.
pub struct Money {
    /// Orders created up to `as_of`.
    pub orders: Vec<OrderFact>,
    /// Parallel to `orders`.
    pub attributions: Vec<Attribution>,
    /// Parallel to the loaded sessions.
    pub credits: Vec<SessionCredit>,
    /// The window in ms.
    pub window_ms: i64,
    /// Model and window as reports name them.
    pub info: ModelInfo,
}

/// The funnel's stages, the messages that matched them and every unit's path.
pub struct Funnel {
    /// The stages in force.
    pub stages: Vec<funnel::Stage>,
    /// Messages matching the message rules.
    pub hits: funnel::MessageHits,
    /// One path per unit with a lead in the range.
    pub paths: Vec<funnel::UnitPath>,
    /// The parameters used.
    pub params: funnel::Params,
    /// The window as written (`14d`).
    pub window_text: String,
}

/// Everything loaded for a report: conversations, the window and the store's summary.
pub struct Loaded {
    /// Sessions and turns up to `as_of`.
    pub conv: Conversations,
    /// The time frame.
    pub window: Window,
    /// The group dimensions (without `currency`).
    pub by: Vec<GroupBy>,
    /// Where `--by currency` put the currency column among the group columns.
    pub currency_at: Option<usize>,
    /// Session rules in force.
    pub rules: SessionRules,
    /// Messages read per class (`MessageClass::ALL` order).
    pub by_class: [u64; 5],
    /// Business sends whose delivery failed, left out of every report (up to `as_of`).
    pub failed_sends: u64,
    /// Rejected input lines recorded at ingest.
    pub rejected_lines: u64,
    /// Texts of the `outbound_auto` messages (for the per-rule classification note).
    pub auto_texts: Vec<Option<String>>,
    /// `orders.parquet`.
    pub orders_path: PathBuf,
    /// The messages table's files, in month order.
    pub message_files: Vec<PathBuf>,
}

impl Loaded {
    /// Attributes the orders (under `args` and config) and walks the funnel (stages from config)
    /// for the units whose lead is in `range`. The funnel's message scan runs while the orders
    /// are read and attributed: the two only meet when the units walk.
    pub fn attribute_and_funnel(
        &self,
        ctx: &Ctx,
        args: &AttributionArgs,
        unit: Option<FunnelUnit>,
        window: Option<DurationSpec>,
        range: TimeRange,
    ) -> Result<(Money, Funnel)> {
        let cfg = &ctx.config.funnel;
        let window = window.or(cfg.window).unwrap_or(DurationSpec(14 * 86_400));
        let params = funnel::Params {
            by: self.by.clone(),
            tz: self.window.tz,
            range,
            as_of_ms: self.window.as_of_ms,
            window_ms: window.0.saturating_mul(1000),
            unit: unit.or(cfg.unit).unwrap_or(FunnelUnit::Session),
        };
        let stages = funnel::stages(cfg);
        let clock = std::time::Instant::now();
        let (money, hits) = rayon::join(
            || self.attribute(ctx, args),
            || funnel::scan_messages(&self.message_files, &stages, &self.conv, &params),
        );
        let (money, hits) = (money?, hits?);
        let paths = funnel::paths(
            &self.conv,
            &money.orders,
            &money.attributions,
            &stages,
            &hits,
            &params,
        );
        ctx.debug(format_args!(
            "attribution and funnel: {} message match(es), {} unit(s) in {:.3}s",
            hits.hits.len(),
            paths.len(),
            clock.elapsed().as_secs_f64()
        ));
        let funnel = Funnel {
            stages,
            hits,
            paths,
            params,
            window_text: window.to_string(),
        };
        Ok((money, funnel))
    }

    /// Reads the orders created up to `as_of` and attributes them under `args` (and config).
    pub fn attribute(&self, ctx: &Ctx, args: &AttributionArgs) -> Result<Money> {
        let clock = std::time::Instant::now();
        let orders = analytics::orders::load(&self.orders_path, self.window.as_of_ms)?;
        let (model, window_ms, info) = args.resolve(ctx);
        let attributions = attribution::attribute_orders(&self.conv, &orders, model, window_ms);
        let credits = conversion::session_credits(&self.conv, &orders, &attributions);
        ctx.debug(format_args!(
            "attribution: {} order(s) in {:.3}s",
            orders.len(),
            clock.elapsed().as_secs_f64()
        ));
        Ok(Money {
            orders,
            attributions,
            credits,
            window_ms,
            info,
        })
    }

    /// The footer notes every report carries: inputs, classes, auto-reply rules, rejects.
    pub fn input_notes(&self, ctx: &Ctx) -> Vec<crate::render::Note> {
        let mut notes =
            crate::reports::input_notes(&self.by_class, self.failed_sends, self.rejected_lines);
        notes.insert(
            2,
            crate::reports::auto_reply_note(&ctx.config.auto_reply, &self.auto_texts),
        );
        notes
    }
}

impl ReportArgs {
    /// The report zone.
    pub fn tz(&self, ctx: &Ctx) -> Result<Tz> {
        match &self.tz {
            Some(t) => Ok(parse_time_zone(t)
                .map_err(|e| Exit::Usage(format!("--tz: {e}")))?
                .0),
            None => Ok(ctx.config.timezone().unwrap_or(Tz::UTC)),
        }
    }

    /// `--by` as analytics dimensions, and where `--by currency` stands among them (money
    /// reports only). `sessions` and `attribute` list rows and take no `--by`.
    pub fn group_by(&self, report: &str) -> Result<(Vec<GroupBy>, Option<usize>)> {
        if matches!(report, "sessions" | "attribute") && !self.by.is_empty() {
            return Err(Exit::Usage(format!(
                "--by groups report rows; `{report}` lists one row per item and takes no --by"
            ))
            .into());
        }
        let mut dims = Vec::new();
        let mut currency_at = None;
        for b in &self.by {
            dims.push(match b {
                By::Day => GroupBy::Day,
                By::Week => GroupBy::Week,
                By::Month => GroupBy::Month,
                By::Agent => GroupBy::Agent,
                By::Source => GroupBy::Source,
                By::Initiator => GroupBy::Initiator,
                By::Currency if matches!(report, "conversion" | "summary") => {
                    if currency_at.is_none() {
                        currency_at = Some(dims.len());
                    }
                    continue;
                }
                By::Currency => {
                    return Err(Exit::Usage(format!(
                        "--by currency applies to money reports, not to {report}"
                    ))
                    .into());
                }
            });
        }
        Ok((dims, currency_at))
    }

    /// Refreshes, loads the store and resolves the window.
    pub fn load(&self, ctx: &Ctx, report: &str) -> Result<Loaded> {
        let (by, currency_at) = self.group_by(report)?;
        if let (Some(since), Some(until)) = (self.since, self.until)
            && since > until
        {
            return Err(Exit::Usage(format!(
                "--since {since} is after --until {until}: the period would be empty"
            ))
            .into());
        }
        let tz = self.tz(ctx)?;
        if !self.no_refresh {
            super::refresh(ctx)?;
        }
        let store = &ctx.store;
        if !store.exists() {
            bail!(
                "no store at {}: run `chatrev ingest` first",
                store.dir().display()
            );
        }
        store.prepare_read()?;
        let rules = SessionRules {
            gap_ms: ctx.config.sessions.gap.map_or(86_400, |d| d.0) * 1000,
            abandon_ms: ctx.config.sessions.abandon.map_or(7 * 86_400, |d| d.0) * 1000,
        };
        let as_of_flag = self
            .as_of
            .as_deref()
            .map(|s| parse_as_of(s, tz))
            .transpose()
            .map_err(|e| Exit::Usage(format!("{e:#}")))?;
        let messages = store.message_files()?;
        let clock = std::time::Instant::now();
        let sessions::StoreScan {
            conv,
            latest_ms: latest,
            by_class,
            failed_sends,
        } = sessions::load(&messages, &rules, as_of_flag)?;
        ctx.debug(format_args!(
            "sessions: {} from {} turn(s) in {:.3}s",
            conv.sessions.len(),
            conv.turns.len(),
            clock.elapsed().as_secs_f64()
        ));
        // The latest timestamp in the store: of a message or of an order.
        let orders_path = store.path(store::ORDERS);
        let latest = match (latest, analytics::orders::latest_created_ms(&orders_path)?) {
            (Some(m), Some(o)) => Some(m.max(o)),
            (m, o) => m.or(o),
        };
        let as_of_ms = as_of_flag
            .or(latest)
            .unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
        let (range, label) = match (self.since, self.until) {
            (None, None) => {
                let period = self.period.unwrap_or(Period::All);
                (period.resolve(tz, as_of_ms), period.to_string())
            }
            (since, until) => (
                date_range(since, until, tz),
                format!(
                    "{}..{}",
                    since.map(|d| d.to_string()).unwrap_or_default(),
                    until.map(|d| d.to_string()).unwrap_or_default()
                ),
            ),
        };
        let rejected_lines = store.manifest()?.tables.rejects;
        let auto_texts = if ctx.config.auto_reply.is_empty() {
            Vec::new()
        } else {
            tables::texts_of_class(&messages, "outbound_auto")?
        };
        ctx.debug(format_args!(
            "store read: {:.3}s",
            clock.elapsed().as_secs_f64()
        ));
        Ok(Loaded {
            conv,
            window: Window {
                tz,
                range,
                as_of_ms,
                label,
            },
            by,
            currency_at,
            rules,
            by_class,
            failed_sends,
            rejected_lines,
            auto_texts,
            orders_path,
            message_files: messages,
        })
    }

    /// Whether the output draws charts (`--format html`): analytics that only feed charts
    /// (the first-response histogram, the summary's whole-period funnel) run only then.
    pub fn draws_charts(&self) -> bool {
        self.format() == Format::Html
    }

    /// The output format: `--format`, else the default for where stdout goes.
    fn format(&self) -> Format {
        self.format.unwrap_or_else(Format::default_for_stdout)
    }

    /// Writes the report where the flags say, with the footer on stderr for people formats.
    pub fn emit(&self, ctx: &Ctx, report: &Report, tz: Tz) -> Result<()> {
        let format = self.format();
        let locale: Locale = match &ctx.config.locale {
            Some(l) => l
                .parse()
                .map_err(|e: String| anyhow!("config locale: {e}"))?,
            None => Locale::default(),
        };
        let opts = match &self.output {
            Some(_) => RenderOptions::plain(tz, locale),
            None => RenderOptions::for_stdout(tz, locale, ctx.color),
        };
        render::write_report(report, format, &opts, self.output.as_deref())?;
        if format.has_footer() && !ctx.quiet {
            eprint!("{}", render::footer(report));
        }
        Ok(())
    }
}

/// Parses `--as-of`: RFC 3339; `YYYY-MM-DD HH:MM[:SS]` or with `T`, in the report zone; or a
/// date, meaning the end of that local day.
pub fn parse_as_of(s: &str, tz: Tz) -> Result<i64> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp_millis());
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(local_to_utc_ms(t, tz));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let next = (d + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists");
        let start = tz
            .from_local_datetime(&next)
            .earliest()
            .map(|t| t.timestamp_millis())
            .unwrap_or_else(|| local_to_utc_ms(next, tz));
        return Ok(start - 1);
    }
    bail!(
        "--as-of `{s}`: expected RFC 3339 (2026-11-24T18:00:00-03:00), `YYYY-MM-DD HH:MM` or a date"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_forms() {
        let sp = chrono_tz::America::Sao_Paulo;
        let a = parse_as_of("2026-11-24T18:00:00-03:00", sp).unwrap();
        assert_eq!(parse_as_of("2026-11-24 18:00", sp).unwrap(), a);
        assert_eq!(parse_as_of("2026-11-24T21:00:00Z", sp).unwrap(), a);
        // A date is the last millisecond of that local day.
        assert_eq!(
            parse_as_of("2026-11-24", sp).unwrap(),
            parse_as_of("2026-11-25 00:00", sp).unwrap() - 1
        );
        assert!(
            parse_as_of("yesterday", sp)
                .unwrap_err()
                .to_string()
                .contains("RFC 3339")
        );
    }
}
