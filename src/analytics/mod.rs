//! Analytics: sessions and turns, business hours, periods, statistics and the metrics built on
//! them. polars scans the store here; the time and statistics functions are plain Rust.

pub mod attribution;
pub mod business_hours;
pub mod conversion;
pub mod funnel;
pub mod groups;
pub mod orders;
pub mod periods;
pub mod response_time;
pub mod sessions;
pub mod stats;
