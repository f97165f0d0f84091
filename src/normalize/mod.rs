//! Normalise: identities (phones, keys), time zones, message classes and ids.

pub mod chats;
pub mod cloud;
pub mod identity;
pub mod inbox;
pub mod orders;
pub mod time;
