//! `chatrev attribute`: one row per (order, credited session), plus unattributed orders.

use anyhow::Result;
use clap::Args;

use super::Ctx;
use super::report_args::{AttributionArgs, ReportArgs};
use crate::privacy::PseudonymKey;
use crate::reports;
use crate::reports::sessions::PersonView;

/// `attribute` flags.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  chatrev attribute --period last-month --format csv -o credits.csv\n  chatrev attribute --model linear --window 14d\n  chatrev attribute --model time-decay --half-life 3d --reveal"
)]
pub struct AttributeArgs {
    /// Shared report flags (the period selects orders by creation).
    #[command(flatten)]
    pub common: ReportArgs,
    /// Model, window and half-life.
    #[command(flatten)]
    pub attribution: AttributionArgs,
    /// Show person keys (phones, e-mails) instead of pseudonyms.
    #[arg(long)]
    pub reveal: bool,
}

/// Prints the credits.
pub fn run(args: &AttributeArgs, ctx: &Ctx) -> Result<()> {
    let loaded = args.common.load(ctx, "attribute")?;
    let money = loaded.attribute(ctx, &args.attribution)?;
    let view = if args.reveal {
        PersonView::Reveal
    } else {
        PersonView::Pseudonym(PseudonymKey::load(&ctx.config, &ctx.store, true)?)
    };
    let report = reports::attribute::build(
        &loaded.conv,
        &money.orders,
        &money.attributions,
        &money.info,
        &loaded.window,
        &view,
        loaded.input_notes(ctx),
    );
    args.common.emit(ctx, &report, loaded.window.tz)
}
