//! Sources: finding and reading input files, and one parser per input family. Plain Rust, no polars.

pub mod cloud_api;
pub mod contacts;
pub mod input;
pub mod messages_csv;
pub mod orders;
pub mod whatsapp_txt;
