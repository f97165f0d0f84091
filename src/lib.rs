//! chatrev: how much a business sells through WhatsApp.
//!
//! The pipeline (SPEC §1), one module per stage:
//!
//! ```text
//! sources ──parse──▶ normalize ──▶ store (Parquet) ──▶ analytics ──▶ render
//! ```
//!
//! - [`sources`]: one parser per input family (WhatsApp text exports, contacts), plain Rust.
//! - [`normalize`]: identities and phones, time zones, message classes and ids.
//! - [`store`]: Parquet tables, manifest, rejects, lock and atomic commits (polars lives here).
//! - [`cli`]: one file per subcommand; [`error`] maps failures to exit codes.
//!
//! `ingest` = `sources::input::read_chat` → `sources::whatsapp_txt::parse_export` →
//! `normalize::chats::normalize_chat` → `store::tables::merge_messages` → `store::Transaction::commit`.

pub mod analytics;
pub mod cli;
pub mod config;
pub mod error;
pub mod model;
pub mod normalize;
pub mod sources;
pub mod store;
