//! The `chatrev` binary: everything lives in the library.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // SAFETY: mi_collect only returns free pages; it may be called at any time, from any thread.
    chatrev::memory::set_release(|| unsafe { libmimalloc_sys::mi_collect(true) });
    chatrev::cli::main()
}
