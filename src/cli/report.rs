//! `chatrev report <KIND>`.

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};

use super::Ctx;
use super::report_args::{AttributionArgs, ReportArgs};
use crate::analytics::business_hours::BusinessCalendar;
use crate::analytics::groups::GroupBy;
use crate::analytics::response_time::{self, Clock, Metric, Params};
use crate::analytics::{conversion, funnel};
use crate::config::{DurationSpec, FunnelUnit, Threshold, default_sla};
use crate::render::Note;
use crate::reports;

/// `report` kinds.
#[derive(Debug, Subcommand)]
pub enum ReportKind {
    /// Which conversations made money: conversion, revenue per currency, unattributed orders.
    #[command(
        after_help = "Examples:\n  chatrev report conversion --by week\n  chatrev report conversion --period last-month --by agent --model linear --window 14d\n  chatrev report conversion --by source --format csv -o conversion.csv"
    )]
    Conversion(ConversionArgs),
    /// Where leads drop out: lead → engaged → quote → order → paid, in order, within a window.
    #[command(
        after_help = "Examples:\n  chatrev report funnel\n  chatrev report funnel --period last-week --by agent\n  chatrev report funnel --unit contact --window 30d --format csv -o funnel.csv"
    )]
    Funnel(FunnelArgs),
    /// The weekly page: sessions, conversion, revenue, first response, answer rate, lead to paid.
    #[command(
        after_help = "Examples:\n  chatrev report summary\n  chatrev report summary --period last-week --format markdown\n  chatrev report summary --by month --format csv -o summary.csv"
    )]
    Summary(SummaryArgs),
    /// How fast the team answers: FRT, NRT and all turns, calendar and business clocks.
    #[command(
        after_help = "Examples:\n  chatrev report response-time --by week\n  chatrev report response-time --period last-week --by agent --sla 15m,1h --format csv -o rt.csv\n  chatrev report response-time --as-of 2026-11-22 --clock business"
    )]
    ResponseTime(ResponseTimeArgs),
}

/// `report` flags.
#[derive(Debug, Args)]
pub struct ReportCmd {
    /// Which report.
    #[command(subcommand)]
    pub kind: ReportKind,
}

/// `--clock`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClockArg {
    /// Wall-clock time.
    Calendar,
    /// Time inside [business_hours].
    Business,
    /// Both.
    Both,
}

/// `report response-time` flags.
#[derive(Debug, Args)]
pub struct ResponseTimeArgs {
    /// Shared report flags.
    #[command(flatten)]
    pub common: ReportArgs,
    /// Clock [default: both with [business_hours] configured, else calendar].
    #[arg(long, value_enum)]
    pub clock: Option<ClockArg>,
    /// SLA thresholds, e.g. 5m,15m,1h [default: config response_time.sla, else 5m,15m,1h,4h,24h].
    #[arg(long, value_delimiter = ',', value_name = "DURATIONS")]
    pub sla: Vec<Threshold>,
}

/// `report conversion` flags.
#[derive(Debug, Args)]
pub struct ConversionArgs {
    /// Shared report flags.
    #[command(flatten)]
    pub common: ReportArgs,
    /// Model, window and half-life.
    #[command(flatten)]
    pub attribution: AttributionArgs,
}

/// `report funnel` flags.
#[derive(Debug, Args)]
pub struct FunnelArgs {
    /// Shared report flags (the period selects units by their lead).
    #[command(flatten)]
    pub common: ReportArgs,
    /// Later stages count within this long after the lead [default: config funnel.window, else 14d].
    #[arg(long, value_name = "DURATION")]
    pub window: Option<DurationSpec>,
    /// What a unit is [default: config funnel.unit, else session].
    #[arg(long, value_enum)]
    pub unit: Option<FunnelUnit>,
}

/// `report summary` flags.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Shared report flags (rows are by week unless --by names day or month).
    #[command(flatten)]
    pub common: ReportArgs,
}

/// Runs a report.
pub fn run(cmd: &ReportCmd, ctx: &Ctx) -> Result<()> {
    match &cmd.kind {
        ReportKind::Conversion(args) => conversion_report(args, ctx),
        ReportKind::Funnel(args) => funnel_report(args, ctx),
        ReportKind::Summary(args) => summary_report(args, ctx),
        ReportKind::ResponseTime(args) => response_time_report(args, ctx),
    }
}

fn conversion_report(args: &ConversionArgs, ctx: &Ctx) -> Result<()> {
    let loaded = args.common.load(ctx, "conversion")?;
    let money = loaded.attribute(ctx, &args.attribution)?;
    let params = conversion::Params {
        by: loaded.by.clone(),
        tz: loaded.window.tz,
        range: loaded.window.range,
        as_of_ms: loaded.window.as_of_ms,
        window_ms: money.window_ms,
    };
    let clock = std::time::Instant::now();
    let rows = conversion::compute(
        &loaded.conv,
        &money.orders,
        &money.attributions,
        &money.credits,
        &params,
    );
    ctx.debug(format_args!(
        "conversion rows: {:.3}s",
        clock.elapsed().as_secs_f64()
    ));
    let in_range = loaded
        .conv
        .sessions
        .iter()
        .filter(|s| loaded.window.range.contains(s.start_ms))
        .count();
    let mut notes = vec![Note::new(
        "sessions",
        in_range,
        format!(
            "used: {in_range} session(s) started in the period; a session is mature {} after it starts",
            money.info.window
        ),
    )];
    notes.extend(reports::attribute::order_notes(
        &loaded.conv,
        &money.orders,
        &money.attributions,
        &loaded.window,
    ));
    notes.extend(loaded.input_notes(ctx));
    let report = reports::conversion::build(
        &rows,
        &params,
        loaded.currency_at,
        &money.info,
        &loaded.window,
        notes,
    );
    args.common.emit(ctx, &report, loaded.window.tz)
}

fn funnel_report(args: &FunnelArgs, ctx: &Ctx) -> Result<()> {
    let loaded = args.common.load(ctx, "funnel")?;
    // The order and paid stages use the configured attribution model and window.
    let (money, f) = loaded.attribute_and_funnel(
        ctx,
        &AttributionArgs::default(),
        args.unit,
        args.window,
        loaded.window.range,
    )?;
    let rows = funnel::compute(&loaded.conv, &f.paths, &f.stages, &f.params);
    let immature = f.paths.iter().filter(|p| !p.decided).count();
    let unit = reports::funnel::unit_name(f.params.unit);
    let mut notes = vec![
        Note::new(
            "units",
            serde_json::json!({"units": f.paths.len(), "immature": immature}),
            format!(
                "used: {} {unit}(s) with a lead in the period; {immature} immature (lead + {} after as-of), reported apart",
                f.paths.len(),
                f.window_text
            ),
        ),
        Note::new(
            "stage_messages",
            serde_json::json!({"matched": f.hits.hits.len(), "without_text": f.hits.without_text}),
            format!(
                "message stages: {} message(s) matched where a stage could use them; {} such message(s) had no text (ingested with --no-text)",
                f.hits.hits.len(),
                f.hits.without_text
            ),
        ),
        Note::new(
            "attribution",
            money.info.title(),
            format!("order stages: orders credited under {}", money.info.title()),
        ),
    ];
    notes.extend(loaded.input_notes(ctx));
    let report = reports::funnel::build(
        &rows,
        &f.stages,
        &f.params,
        &f.window_text,
        &loaded.window,
        notes,
    );
    args.common.emit(ctx, &report, loaded.window.tz)
}

fn summary_report(args: &SummaryArgs, ctx: &Ctx) -> Result<()> {
    let mut loaded = args.common.load(ctx, "summary")?;
    // Always one row per period: by week unless --by names a grain.
    if !loaded.by.iter().any(|b| b.grain().is_some()) {
        loaded.by.insert(0, GroupBy::Week);
    }
    let (money, f) = loaded.attribute_and_funnel(
        ctx,
        &AttributionArgs::default(),
        None,
        None,
        loaded.window.range,
    )?;
    let window = &loaded.window;
    let conversion_for = |by: Vec<GroupBy>| {
        conversion::compute(
            &loaded.conv,
            &money.orders,
            &money.attributions,
            &money.credits,
            &conversion::Params {
                by,
                tz: window.tz,
                range: window.range,
                as_of_ms: window.as_of_ms,
                window_ms: money.window_ms,
            },
        )
    };
    let rt_params = |by: Vec<GroupBy>| Params {
        by,
        clocks: vec![Clock::Calendar],
        sla_s: vec![900],
        tz: window.tz,
        range: window.range,
        as_of_ms: window.as_of_ms,
        rules: loaded.rules,
        calendar: None,
        metrics: vec![Metric::Frt],
    };
    let rt_for = |by: Vec<GroupBy>| response_time::compute(&loaded.conv, &rt_params(by));
    let clock = std::time::Instant::now();
    let funnel_rows = funnel::compute(&loaded.conv, &f.paths, &f.stages, &f.params);
    let charts = args.common.draws_charts();
    let funnel_all = if charts {
        funnel::compute(
            &loaded.conv,
            &f.paths,
            &f.stages,
            &funnel::Params {
                by: Vec::new(),
                ..f.params.clone()
            },
        )
    } else {
        Vec::new()
    };
    ctx.debug(format_args!(
        "summary: funnel rows in {:.3}s",
        clock.elapsed().as_secs_f64()
    ));
    let by_period = conversion_for(loaded.by.clone());
    let net_for = |by: Vec<GroupBy>| {
        conversion::net_by_group(
            &loaded.conv,
            &money.credits,
            &conversion::Params {
                by,
                tz: window.tz,
                range: window.range,
                as_of_ms: window.as_of_ms,
                window_ms: money.window_ms,
            },
        )
    };
    let by_agent = net_for(vec![GroupBy::Agent]);
    let by_source = net_for(vec![GroupBy::Source]);
    ctx.debug(format_args!(
        "summary: conversion rows in {:.3}s",
        clock.elapsed().as_secs_f64()
    ));
    let rt_by_period = rt_for(loaded.by.clone());
    let frt_by_agent = rt_for(vec![GroupBy::Agent]);
    let edges = reports::charts::histogram_edges(&[900]);
    let counts = charts.then(|| {
        response_time::histogram(&loaded.conv, &rt_params(Vec::new()), Metric::Frt, &edges)
    });
    ctx.debug(format_args!(
        "summary: response times in {:.3}s",
        clock.elapsed().as_secs_f64()
    ));
    let inputs = reports::summary::Inputs {
        conversion: &by_period,
        response_time: &rt_by_period,
        funnel: &funnel_rows,
        by_agent: &by_agent,
        frt_by_agent: &frt_by_agent,
        by_source: &by_source,
        funnel_all: &funnel_all,
        frt_histogram: counts.as_deref().map(|c| (edges.as_slice(), c)),
    };
    let sessions = loaded
        .conv
        .sessions
        .iter()
        .filter(|s| window.range.contains(s.start_ms))
        .count();
    let mut notes = vec![Note::new(
        "sessions",
        sessions,
        format!(
            "used: {sessions} session(s) started in the period; first response and answer rate over first turns (calendar clock); lead to paid over {} unit(s) with a lead in the period, funnel window {}",
            f.paths.len(),
            f.window_text
        ),
    )];
    notes.extend(reports::attribute::order_notes(
        &loaded.conv,
        &money.orders,
        &money.attributions,
        window,
    ));
    notes.extend(loaded.input_notes(ctx));
    let report = reports::summary::build(&inputs, &loaded.by, &money.info, window, notes);
    args.common.emit(ctx, &report, window.tz)
}

fn response_time_report(args: &ResponseTimeArgs, ctx: &Ctx) -> Result<()> {
    let loaded = args.common.load(ctx, "response-time")?;
    let calendar = ctx
        .config
        .business_hours
        .as_ref()
        .map(|bh| BusinessCalendar::new(bh, ctx.config.timezone().unwrap_or(loaded.window.tz)));
    let clocks = match args.clock {
        Some(ClockArg::Calendar) => vec![Clock::Calendar],
        Some(ClockArg::Business) => vec![Clock::Business],
        Some(ClockArg::Both) => vec![Clock::Calendar, Clock::Business],
        None if calendar.is_some() => vec![Clock::Calendar, Clock::Business],
        None => vec![Clock::Calendar],
    };
    let sla = if !args.sla.is_empty() {
        args.sla.clone()
    } else {
        ctx.config
            .response_time
            .sla
            .clone()
            .unwrap_or_else(default_sla)
    };
    let params = Params {
        by: loaded.by.clone(),
        clocks,
        sla_s: sla.iter().map(|t| t.seconds).collect(),
        tz: loaded.window.tz,
        range: loaded.window.range,
        as_of_ms: loaded.window.as_of_ms,
        rules: loaded.rules,
        calendar: calendar.as_ref(),
        metrics: Metric::ALL.to_vec(),
    };
    let clock = std::time::Instant::now();
    let rows = response_time::compute(&loaded.conv, &params);
    ctx.debug(format_args!(
        "response times: {:.3}s",
        clock.elapsed().as_secs_f64()
    ));
    let mut notes = loaded.input_notes(ctx);
    let turns = loaded
        .conv
        .turns
        .iter()
        .filter(|t| loaded.window.range.contains(t.start_ms))
        .count();
    notes.insert(
        0,
        Note::new(
            "turns",
            turns,
            format!(
                "used: {turns} customer turn(s) in {} session(s)",
                loaded.conv.sessions.len()
            ),
        ),
    );
    let mut report = reports::response_time::build(&rows, &params, &sla, &loaded.window, notes);
    if args.common.draws_charts() {
        // The first-response distribution (calendar clock), each SLA threshold marked.
        let edges = reports::charts::histogram_edges(&params.sla_s);
        let counts = response_time::histogram(&loaded.conv, &params, Metric::Frt, &edges);
        let marks: Vec<(i64, String)> = sla.iter().map(|t| (t.seconds, t.label.clone())).collect();
        report
            .charts
            .insert(0, reports::charts::frt_histogram(&edges, &counts, &marks));
    }
    args.common.emit(ctx, &report, loaded.window.tz)
}
