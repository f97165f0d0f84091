//! `chatrev sessions`: one row per conversation.

use anyhow::Result;
use clap::Args;

use super::Ctx;
use super::report_args::{AttributionArgs, ReportArgs};
use crate::analytics::periods::TimeRange;
use crate::config::FunnelUnit;
use crate::privacy::PseudonymKey;
use crate::reports;
use crate::reports::sessions::PersonView;

/// `sessions` flags.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  chatrev sessions --period last-week --format csv -o sessions.csv\n  chatrev sessions --reveal --since 2026-11-01 --until 2026-11-07"
)]
pub struct SessionsArgs {
    /// Shared report flags.
    #[command(flatten)]
    pub common: ReportArgs,
    /// Show person keys (phones, names) instead of pseudonyms.
    #[arg(long)]
    pub reveal: bool,
}

/// Prints the sessions table.
pub fn run(args: &SessionsArgs, ctx: &Ctx) -> Result<()> {
    let loaded = args.common.load(ctx, "sessions")?;
    let view = if args.reveal {
        PersonView::Reveal
    } else {
        PersonView::Pseudonym(PseudonymKey::load(&ctx.config, &ctx.store, true)?)
    };
    // attributed_orders, attributed_net and the order stages use the configured model.
    // `stage` is the furthest funnel stage each session reached (unit session, any lead time).
    let (money, f) = loaded.attribute_and_funnel(
        ctx,
        &AttributionArgs::default(),
        Some(FunnelUnit::Session),
        None,
        TimeRange::default(),
    )?;
    let mut stage: Vec<Option<&str>> = vec![None; loaded.conv.sessions.len()];
    for path in &f.paths {
        stage[path.lead_session] = Some(f.stages[path.times.len() - 1].name.as_str());
    }
    let clids = crate::analytics::sessions::ctwa_clids(&loaded.message_files, &loaded.conv)?;
    let notes = loaded.input_notes(ctx);
    let report = reports::sessions::build(
        &loaded.conv,
        &money.credits,
        &stage,
        &clids,
        &loaded.window,
        &view,
        notes,
    );
    args.common.emit(ctx, &report, loaded.window.tz)
}
