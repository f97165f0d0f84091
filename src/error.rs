//! Exit codes and the one place errors become messages (SPEC §2: 0 ok, 1 error, 2 usage, 3 strict).

use std::io;
use std::process::ExitCode;

/// Errors that carry their own exit code.
#[derive(Debug, thiserror::Error)]
pub enum Exit {
    /// `--strict` and some rows were rejected: nothing was written.
    #[error("{0} row(s) rejected and --strict was given; nothing was written")]
    StrictRejects(u64),
    /// Flags that cannot go together or a value clap could not check (exit 2, like clap's own).
    #[error("{0}")]
    Usage(String),
}

/// The process exit code for a failed run; broken pipes count as success.
pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    match err.downcast_ref::<Exit>() {
        Some(Exit::StrictRejects(_)) => ExitCode::from(3),
        Some(Exit::Usage(_)) => ExitCode::from(2),
        None => ExitCode::from(1),
    }
}

/// True when a closed stdout (e.g. `| head`) caused the error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            // serde_json wraps the io::Error it got from the writer.
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

/// Prints `chatrev: {err:#}` on stderr (nothing for a broken pipe) and returns the exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    if !is_broken_pipe(err) {
        eprintln!("chatrev: {err:#}");
    }
    exit_code(err)
}
