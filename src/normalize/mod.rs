//! Normalise: identities (phones, keys), time zones, message classes.

pub mod identity;
