//! `manifest.json`: schema version and every ingested file with its counts.

use serde::{Deserialize, Serialize};

/// Current store schema version.
pub const SCHEMA_VERSION: u32 = 1;

/// The store's table of contents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// Layout version of the store.
    pub schema_version: u32,
    /// Every ingested file, in ingest order.
    #[serde(default)]
    pub files: Vec<FileEntry>,
    /// Rows per table at the last commit.
    #[serde(default)]
    pub tables: Tables,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            schema_version: SCHEMA_VERSION,
            files: Vec::new(),
            tables: Tables::default(),
        }
    }
}

/// Row counts of the store's tables.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Tables {
    /// Rows in messages.parquet.
    pub messages: u64,
    /// Rows in identities.parquet.
    pub identities: u64,
    /// Rows in rejects.csv.
    pub rejects: u64,
    /// Rows in orders.parquet.
    #[serde(default)]
    pub orders: u64,
}

/// One ingested file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    /// Path as given to ingest (a zip member as `archive.zip!member.txt`).
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Size of the file in bytes (absent in manifests written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Source kind (`chats`, `contacts`, …).
    pub kind: String,
    /// Options that shaped the parse (time zone, date order, template, chat title…).
    #[serde(default)]
    pub options: serde_json::Map<String, serde_json::Value>,
    /// Rows (messages, contacts…) the parser produced.
    pub rows_read: u64,
    /// Rows new to the store.
    pub rows_kept: u64,
    /// Rows already in the store (overlapping exports).
    #[serde(default)]
    pub rows_duplicate: u64,
    /// Lines or rows written to rejects.csv.
    pub rows_rejected: u64,
    /// When it was ingested (RFC 3339, UTC).
    pub ingested_at: String,
}

impl Manifest {
    /// True when a file with this content hash and kind was already ingested.
    pub fn has_file(&self, sha256: &str, kind: &str) -> bool {
        self.files
            .iter()
            .any(|f| f.sha256 == sha256 && f.kind == kind)
    }

    /// False when no file of this kind and size was ingested, so a file of `bytes` bytes is new
    /// whatever its hash (entries without a recorded size might be any size).
    pub fn may_have(&self, kind: &str, bytes: u64) -> bool {
        self.files
            .iter()
            .any(|f| f.kind == kind && f.bytes.is_none_or(|b| b == bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: &str, bytes: Option<u64>) -> FileEntry {
        FileEntry {
            path: "f".into(),
            sha256: "00".into(),
            bytes,
            kind: kind.into(),
            options: Default::default(),
            rows_read: 0,
            rows_kept: 0,
            rows_duplicate: 0,
            rows_rejected: 0,
            ingested_at: String::new(),
        }
    }

    #[test]
    fn a_file_may_be_known_only_with_a_size_and_kind_seen_or_unrecorded() {
        let mut m = Manifest::default();
        assert!(!m.may_have("cloud-api", 10));
        m.files.push(entry("cloud-api", Some(10)));
        m.files.push(entry("chats", Some(20)));
        assert!(m.may_have("cloud-api", 10));
        assert!(!m.may_have("cloud-api", 20));
        assert!(!m.may_have("chats", 10));
        // An entry from before sizes were recorded could be any size.
        m.files.push(entry("chats", None));
        assert!(m.may_have("chats", 10));
        assert!(!m.may_have("cloud-api", 11));
    }
}
