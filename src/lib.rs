//! chatrev: how much a business sells through WhatsApp.

pub mod model;
pub mod normalize;
pub mod sources;
