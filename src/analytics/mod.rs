pub mod business_hours;
