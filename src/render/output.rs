//! Where a report goes: a locked, buffered stdout, or an `--output` file replaced atomically.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, Result};

use super::{Format, RenderOptions, Report, render};

/// Writes the report's data (not the footer: see [`super::footer`]).
///
/// - `output = None`: to stdout, locked and buffered, flushed at the end. A closed pipe is an
///   `io::Error` of kind `BrokenPipe` in the error chain (`error::is_broken_pipe` maps it to 0).
/// - `output = Some(path)`: to a temporary file in the same folder, flushed, fsynced, mode 0600,
///   then renamed over `path`; on any failure the temporary file is removed and `path` is
///   untouched. Colour, wrapping and escaping are turned off for files whatever `opts` says.
pub fn write_report(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    output: Option<&Path>,
) -> Result<()> {
    match output {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            render(report, format, opts, &mut out)?;
            out.flush()?;
            Ok(())
        }
        Some(path) => {
            let file_opts = RenderOptions {
                color: false,
                width: None,
                sanitize: false,
                ..*opts
            };
            write_atomic(path, |out| render(report, format, &file_opts, out))
                .with_context(|| format!("writing {}", path.display()))
        }
    }
}

/// The terminal's width when stdout is a terminal (for [`RenderOptions::width`]); `COLUMNS` when
/// the terminal does not know its size.
pub fn terminal_width() -> Option<u16> {
    if io::stdout().is_terminal() {
        // comfy-table asks the terminal (crossterm) when its table is on a tty.
        usable_width(
            comfy_table::Table::new().width(),
            std::env::var("COLUMNS").ok().as_deref(),
        )
    } else {
        None
    }
}

/// A width to wrap tables to: the terminal's, unless it says 0 columns (a pseudo-terminal nobody
/// sized, e.g. under `script` or `docker run -t`), then a positive `COLUMNS`, else none (no
/// wrapping). Wrapping to 0 columns printed one letter per line.
fn usable_width(reported: Option<u16>, columns: Option<&str>) -> Option<u16> {
    reported
        .filter(|&w| w > 0)
        .or_else(|| columns?.trim().parse().ok().filter(|&w: &u16| w > 0))
}

/// Writes `path` through a temporary sibling: `write` fills it, then flush, fsync, chmod 0600 and
/// rename. The temporary file is removed on failure.
pub(crate) fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = temp_path(path)?;
    let result = (|| {
        let file = create_private(&tmp)?;
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    match result {
        Ok(()) => {
            sync_dir(path);
            Ok(())
        }
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// `.{name}.{pid}.{n}.tmp` beside `path`.
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "output path has no file name")
    })?;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp_name = format!(".{}.{}.{n}.tmp", name.to_string_lossy(), std::process::id());
    Ok(path.with_file_name(tmp_name))
}

/// Creates a new file readable only by its owner.
fn create_private(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Best effort: makes the rename durable by syncing the folder (not possible everywhere).
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;

    use super::super::{Locale, sample};
    use super::*;

    #[test]
    fn a_terminal_of_zero_columns_does_not_wrap_tables() {
        assert_eq!(usable_width(Some(120), Some("80")), Some(120));
        assert_eq!(usable_width(Some(0), None), None);
        assert_eq!(usable_width(Some(0), Some("100")), Some(100));
        assert_eq!(usable_width(None, Some(" 90 ")), Some(90));
        assert_eq!(usable_width(Some(0), Some("0")), None);
        assert_eq!(usable_width(None, Some("wide")), None);
    }

    /// A writer whose reader has gone away, like stdout into `| head` after it exits.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
    }

    #[test]
    fn a_closed_pipe_is_a_broken_pipe_error_in_every_format() {
        let opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        for format in [
            Format::Table,
            Format::Csv,
            Format::Json,
            Format::Markdown,
            Format::Html,
        ] {
            let err = render(&sample::response_time(), format, &opts, &mut ClosedPipe)
                .expect_err(format.as_str());
            assert_eq!(err.kind(), io::ErrorKind::BrokenPipe, "{format:?}");
            // Through a BufWriter, as on stdout: the error shows at flush.
            let mut buf = BufWriter::new(ClosedPipe);
            let r =
                render(&sample::attribute(), format, &opts, &mut buf).and_then(|()| buf.flush());
            assert_eq!(r.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
            // And anyhow keeps it findable for the exit-code mapping.
            let any = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe))
                .context("writing to stdout");
            assert!(crate::error::is_broken_pipe(&any));
        }
    }

    #[test]
    fn a_real_closed_pipe_is_broken_pipe_not_a_panic() {
        // Rust programs ignore SIGPIPE, so writing to a pipe without a reader returns EPIPE.
        let (reader, writer) = io::pipe().unwrap();
        drop(reader);
        let mut out = BufWriter::new(writer);
        let opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        let r = render(&sample::response_time(), Format::Csv, &opts, &mut out)
            .and_then(|()| out.flush());
        assert_eq!(r.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
    }

    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn output_file_is_complete_private_and_replaced_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        fs::write(&path, "old contents").unwrap();
        let mut opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        opts.color = true; // ignored for files
        opts.sanitize = true;
        let report = sample::response_time();
        write_report(&report, Format::Csv, &opts, Some(&path)).unwrap();
        let mut expected = Vec::new();
        render(
            &report,
            Format::Csv,
            &RenderOptions::plain(Tz::UTC, Locale::EnUs),
            &mut expected,
        )
        .unwrap();
        assert_eq!(fs::read(&path).unwrap(), expected);
        assert_eq!(mode(&path), 0o600);
        // Only the report is left in the folder: no temporary files.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);

        write_report(&report, Format::Table, &opts, Some(&path)).unwrap();
        let table = fs::read_to_string(&path).unwrap();
        assert!(!table.contains('\x1b'), "{table}");
    }

    #[test]
    fn a_failing_renderer_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        let err = write_atomic(&path, |out| {
            out.write_all(b"{\"partial\": ")?;
            Err(io::Error::other("renderer failed"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "renderer failed");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);

        // A report that cannot be rendered: nothing written, the old file kept.
        fs::write(&path, "previous").unwrap();
        let mut bad = sample::attribute();
        bad.rows[0].pop();
        let opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        let err = write_report(&bad, Format::Json, &opts, Some(&path)).unwrap_err();
        assert!(format!("{err:#}").contains("writing"), "{err:#}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "previous");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn output_into_a_missing_folder_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope").join("out.csv");
        let opts = RenderOptions::plain(Tz::UTC, Locale::EnUs);
        let err = write_report(&sample::attribute(), Format::Csv, &opts, Some(&path)).unwrap_err();
        assert!(format!("{err:#}").contains("out.csv"), "{err:#}");
    }
}
