//! The `chatrev` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    chatrev::cli::main()
}
