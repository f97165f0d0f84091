//! Normalise: identities (phones, keys), time zones, message classes and ids.

pub mod chats;
pub mod identity;
pub mod orders;
pub mod time;
