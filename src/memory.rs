//! Giving freed memory back to the operating system between pipeline stages.
//!
//! The binary's allocator (mimalloc) keeps freed pages for a while before it returns them. An
//! ingest frees one stage's data in bulk (the parser's output, the Cloud API events) and then
//! allocates the next stage's: without a collection in between, both count in the peak (on a
//! 1 M-line export, 356 MB against 300 MB). The library does not know the allocator, so the
//! binary says how to collect ([`set_release`]); without it [`release_freed`] does nothing.

use std::sync::OnceLock;

static RELEASE: OnceLock<fn()> = OnceLock::new();

/// Sets how to return freed memory to the operating system (the binary's allocator's collect).
pub fn set_release(release: fn()) {
    let _ = RELEASE.set(release);
}

/// Returns freed memory to the operating system now, if the binary said how.
pub fn release_freed() {
    if let Some(release) = RELEASE.get() {
        release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    #[test]
    fn release_calls_what_the_binary_set_once_set() {
        release_freed();
        assert_eq!(CALLS.load(Ordering::SeqCst), 0, "nothing set: nothing done");
        set_release(|| {
            CALLS.fetch_add(1, Ordering::SeqCst);
        });
        release_freed();
        release_freed();
        assert_eq!(CALLS.load(Ordering::SeqCst), 2);
    }
}
