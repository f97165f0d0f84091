//! `chatrev sessions`: one row per conversation.

use anyhow::Result;
use clap::Args;

use super::Ctx;
use super::report_args::ReportArgs;
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
    let notes = loaded.input_notes(ctx);
    let report = reports::sessions::build(&loaded.conv, &loaded.window, &view, notes);
    args.common.emit(ctx, &report, loaded.window.tz)
}
