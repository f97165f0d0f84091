//! Sources: one parser per input family. Plain Rust, no polars.

pub mod contacts;
pub mod whatsapp_txt;
