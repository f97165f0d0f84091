//! `rejects.csv`: every unusable line or row with file, line and reason (SPEC §4, §8).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Longest excerpt kept, in characters.
pub const EXCERPT_CHARS: usize = 80;

/// One rejected line or row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// Input file as given to ingest.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// Why it was not used.
    pub reason: String,
    /// The start of the line, cut to [`EXCERPT_CHARS`].
    pub excerpt: String,
}

impl Reject {
    /// A reject with its excerpt cut to 80 characters.
    pub fn new(file: &str, line: u64, reason: impl Into<String>, raw: &str) -> Reject {
        Reject {
            file: file.to_string(),
            line,
            reason: reason.into(),
            excerpt: raw.chars().take(EXCERPT_CHARS).collect(),
        }
    }
}

/// Writes the existing rejects file (if any) followed by `new` rows; returns the row count.
pub fn write_with(existing: &Path, new: &[Reject], out: &mut impl Write) -> Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    let mut rows = 0u64;
    if existing.exists() {
        let mut r = csv::Reader::from_path(existing)
            .with_context(|| format!("cannot read {}", existing.display()))?;
        w.write_record(r.headers()?)?;
        for rec in r.records() {
            w.write_record(&rec?)?;
            rows += 1;
        }
    } else {
        w.write_record(["file", "line", "reason", "excerpt"])?;
    }
    for rej in new {
        w.write_record([&rej.file, &rej.line.to_string(), &rej.reason, &rej.excerpt])?;
        rows += 1;
    }
    w.flush()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_and_cuts_excerpts() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("rejects.csv");
        let long = "x".repeat(200);
        let mut buf = Vec::new();
        let n = write_with(
            &path,
            &[Reject::new(
                "a.txt",
                1,
                "text before the first message",
                &long,
            )],
            &mut buf,
        )
        .unwrap();
        assert_eq!(n, 1);
        std::fs::write(&path, &buf).unwrap();
        let mut buf2 = Vec::new();
        let n = write_with(
            &path,
            &[Reject::new("b.txt", 7, "why, \"quoted\"", "é")],
            &mut buf2,
        )
        .unwrap();
        assert_eq!(n, 2);
        let text = String::from_utf8(buf2).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "file,line,reason,excerpt");
        assert_eq!(
            lines[1],
            format!("a.txt,1,text before the first message,{}", "x".repeat(80))
        );
        assert_eq!(lines[2], "b.txt,7,\"why, \"\"quoted\"\"\",é");
    }
}
