//! Analytics: sessions, turns, business hours, periods and statistics (polars lives here).

pub mod response_time;
pub mod sessions;
