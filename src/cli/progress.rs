//! Progress on long ingests (SPEC §2): a bar over the bytes of the chat and Cloud API files
//! being read and parsed, then a spinner while the store is written. Shown only when stderr is
//! a terminal, `-q` is not given and the input is large enough to take a while; otherwise
//! every call is a no-op, so scripts and CI logs never see it. Notices printed meanwhile go
//! through [`eprint_line`], which lifts the bar out of the way, so no line is overdrawn.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs smaller than this ingest in well under a second: no bar.
pub const MIN_BYTES: u64 = 32 * 1024 * 1024;

/// The bar on screen, if any: [`eprint_line`] suspends it.
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Whether an ingest of `bytes` shows progress.
pub fn wanted(stderr_is_terminal: bool, quiet: bool, bytes: u64) -> bool {
    stderr_is_terminal && !quiet && bytes >= MIN_BYTES
}

/// Prints one line on stderr, lifting the progress bar (if one is shown) out of its way.
pub fn eprint_line(line: std::fmt::Arguments<'_>) {
    let active = ACTIVE.lock().map(|a| a.clone()).unwrap_or(None);
    match active {
        Some(bar) => bar.suspend(|| eprintln!("{line}")),
        None => eprintln!("{line}"),
    }
}

/// The ingest's progress display (hidden unless [`wanted`]).
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `bytes` of input, when [`wanted`] for this terminal and `quiet`.
    pub fn for_ingest(quiet: bool, bytes: u64) -> Progress {
        if !wanted(std::io::stderr().is_terminal(), quiet, bytes) {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:>12} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, {eta})",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_message("reading");
        if let Ok(mut active) = ACTIVE.lock() {
            *active = Some(bar.clone());
        }
        Progress { bar: Some(bar) }
    }

    /// A display that shows nothing.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// `n` more bytes read and parsed.
    pub fn advance(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// The reading is over: a spinner named `stage` (`writing`) with the time so far.
    pub fn stage(&self, stage: &'static str) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template("{msg:>12} {spinner} {elapsed}")
                    .expect("valid template"),
            );
            bar.set_message(stage);
            bar.enable_steady_tick(Duration::from_millis(120));
        }
    }

    /// Removes the display.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            if let Ok(mut active) = ACTIVE.lock() {
                *active = None;
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // An error path must not leave a bar behind the error message.
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_ingests_on_a_terminal_without_quiet() {
        assert!(wanted(true, false, MIN_BYTES));
        assert!(!wanted(true, false, MIN_BYTES - 1), "short input");
        assert!(
            !wanted(false, false, 10 * MIN_BYTES),
            "stderr is a pipe or file"
        );
        assert!(!wanted(true, true, 10 * MIN_BYTES), "-q");
        // Hidden progress accepts every call and registers nothing.
        let mut p = Progress::hidden();
        p.advance(10);
        p.stage("writing");
        p.finish();
        assert!(ACTIVE.lock().unwrap().is_none());
        eprint_line(format_args!("a notice with no bar"));
    }
}
