//! Person keys and phone normalisation (SPEC §3.5).
