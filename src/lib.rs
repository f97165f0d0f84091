//! chatrev: how much a business sells through WhatsApp.
//!
//! The pipeline (SPEC §1), one module per stage:
//!
//! ```text
//! sources ──parse──▶ normalize ──▶ store (Parquet) ──▶ analytics ──▶ render
//! ```
//!
//! - [`sources`]: one parser per input family (WhatsApp text exports, Cloud API webhooks, inbox
//!   CSVs, order exports, contacts), plain Rust.
//! - [`normalize`]: identities and phones, time zones, message classes and ids.
//! - [`store`]: Parquet tables, manifest, rejects, lock and atomic commits (polars lives here).
//! - [`analytics`]: sessions, turns, business hours, periods, statistics (polars scans here).
//! - [`reports`]: analytics results as report data; [`render`]: one renderer per format.
//! - [`privacy`]: pseudonyms for per-person rows.
//! - [`cli`]: one file per subcommand; [`error`] maps failures to exit codes.
//!
//! Feature `store` (default, and what every target at the repository root builds with) brings in
//! polars and with it [`store`], [`analytics`], [`reports`], [`privacy`] and [`cli`]. Without it
//! (`default-features = false`) the crate is the parsers alone — [`sources`], [`normalize`],
//! [`model`], [`config`], [`render`], [`error`] — which is what the fuzz targets in `fuzz/`
//! build, instrumented, without polars.
//!
//! `ingest` = `sources::input::read_chat` → `sources::whatsapp_txt::parse_export` →
//! `normalize::chats::normalize_chat` → `store::tables::merge_messages` → `store::Transaction::commit`.

// Without `store` the docs above name modules that are not compiled.
#![cfg_attr(not(feature = "store"), allow(rustdoc::broken_intra_doc_links))]

#[cfg(feature = "store")]
pub mod analytics;
#[cfg(feature = "store")]
pub mod cli;
pub mod config;
pub mod error;
pub mod memory;
pub mod model;
pub mod normalize;
#[cfg(feature = "store")]
pub mod privacy;
pub mod render;
#[cfg(feature = "store")]
pub mod reports;
pub mod sources;
#[cfg(feature = "store")]
pub mod store;
