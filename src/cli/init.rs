//! `chatrev init`: write a commented chatrev.toml with every default.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::config::DEFAULT_CONFIG;

/// `init` flags.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write (default: --config, else ./chatrev.toml).
    #[arg(value_name = "FILE")]
    pub path: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// Writes the default config; refuses to overwrite without `--force`.
pub fn run(args: &InitArgs, cli: &super::Cli) -> Result<()> {
    let path = args
        .path
        .clone()
        .or_else(|| cli.config.clone())
        .unwrap_or_else(|| PathBuf::from("chatrev.toml"));
    if path.exists() && !args.force {
        bail!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        );
    }
    let mut f = std::fs::File::create(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(DEFAULT_CONFIG.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    if !cli.quiet {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
