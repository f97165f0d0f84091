pub mod business_hours;
pub mod periods;
pub mod stats;
