//! Command line: the clap model, the resolved context, and dispatch to one file per subcommand.

pub mod attribute;
pub mod completions;
pub mod forget;
pub mod ingest;
pub mod init;
pub mod progress;
pub mod report;
pub mod report_args;
pub mod sessions;
pub mod status;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{self, Config};
use crate::store::Store;

/// chatrev: how much a business sells through WhatsApp.
///
/// Ingest WhatsApp chat exports, Cloud API logs, inbox CSVs and order exports into a local
/// store, then report on them.
#[derive(Debug, Parser)]
#[command(name = "chatrev", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// Config file (default: ./chatrev.toml when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Store directory (default: the config's store.dir, else ./chatrev-store).
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what happens (repeatable).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// When to use colour (NO_COLOR is honoured).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when stderr/stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a commented chatrev.toml with every default.
    Init(init::InitArgs),
    /// Parse sources into the store (idempotent, incremental).
    Ingest(ingest::IngestArgs),
    /// What the store holds: sources, rows by class and kind, date range, rejects.
    Status(status::StatusArgs),
    /// One row per conversation (session); persons pseudonymised unless --reveal.
    Sessions(sessions::SessionsArgs),
    /// One row per (order, credited session), plus unattributed orders with the reason.
    Attribute(attribute::AttributeArgs),
    /// Reports: conversion, funnel, response-time, summary.
    Report(report::ReportCmd),
    /// Delete every message, order and identity of one person (LGPD Art. 18).
    Forget(forget::ForgetArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
}

/// Everything a subcommand needs, resolved once from flags, config and environment.
#[derive(Debug)]
pub struct Ctx {
    /// The loaded config (defaults when there is no file).
    pub config: Config,
    /// Where it came from.
    pub config_path: Option<PathBuf>,
    /// The store.
    pub store: Store,
    /// `-q`
    pub quiet: bool,
    /// `-v` count.
    pub verbose: u8,
    /// Whether to colour terminal output.
    pub color: bool,
}

impl Ctx {
    /// Resolves config and store from the global flags.
    pub fn resolve(cli: &Cli) -> Result<Ctx> {
        let config_path = config::locate(cli.config.as_deref())?;
        let config = match &config_path {
            Some(p) => Config::load(p)?,
            None => Config::default(),
        };
        let store_dir = cli
            .store
            .clone()
            .or_else(|| config.store_dir())
            .unwrap_or_else(|| PathBuf::from("chatrev-store"));
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match cli.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        Ok(Ctx {
            config,
            config_path,
            store: Store::at(store_dir),
            quiet: cli.quiet,
            verbose: cli.verbose,
            color,
        })
    }

    /// A notice on stderr unless `-q`.
    pub fn info(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            progress::eprint_line(format_args!("{msg}"));
        }
    }

    /// A diagnostic on stderr with `-v`.
    pub fn debug(&self, msg: impl std::fmt::Display) {
        if self.verbose > 0 {
            progress::eprint_line(format_args!("chatrev: {msg}"));
        }
    }

    /// A warning on stderr unless `-q`.
    pub fn warn(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            progress::eprint_line(format_args!("warning: {msg}"));
        }
    }
}

/// Before a report: ingests the config's `[[sources]]` files that are new or changed (by
/// content hash), with a one-line notice when anything was added.
pub fn refresh(ctx: &Ctx) -> Result<()> {
    if ctx.config.sources.is_empty() {
        return Ok(());
    }
    let before = if ctx.store.exists() {
        ctx.store.manifest()?.files.len()
    } else {
        0
    };
    let quiet = Ctx {
        quiet: true,
        config: ctx.config.clone(),
        config_path: ctx.config_path.clone(),
        store: ctx.store.clone(),
        ..*ctx
    };
    let args = ingest::IngestArgs::default();
    ingest::run(&args, &quiet).map_err(|e| {
        e.context("refreshing from the config's [[sources]] (pass --no-refresh to skip)")
    })?;
    let added = ctx.store.manifest()?.files.len() - before;
    if added > 0 {
        ctx.info(format!(
            "refreshed: ingested {added} new or changed file(s) from the config's [[sources]]"
        ));
    }
    Ok(())
}

/// Parses the command line, runs it and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => crate::error::report(&err),
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Init(args) => init::run(args, &cli),
        Command::Completions(args) => completions::run(args),
        Command::Ingest(args) => ingest::run(args, &Ctx::resolve(&cli)?),
        Command::Status(args) => status::run(args, &Ctx::resolve(&cli)?),
        Command::Sessions(args) => sessions::run(args, &Ctx::resolve(&cli)?),
        Command::Attribute(args) => attribute::run(args, &Ctx::resolve(&cli)?),
        Command::Report(cmd) => report::run(cmd, &Ctx::resolve(&cli)?),
        Command::Forget(args) => forget::run(args, &Ctx::resolve(&cli)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_model_is_consistent() {
        Cli::command().debug_assert();
    }
}
