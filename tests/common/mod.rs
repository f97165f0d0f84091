//! Helpers shared by the integration tests (each test crate uses some of them).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `testdata/<folder>/chatrev.toml`.
pub fn config(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("testdata/{folder}/chatrev.toml"))
}

/// Runs `chatrev --config <config> --store <store> <args>`, asserts success and returns stdout.
pub fn run_ok(config: &Path, store: &Path, args: &[&str]) -> String {
    let out = assert_cmd::cargo::cargo_bin_cmd!("chatrev")
        .env_remove("CHATREV_KEY")
        .arg("--config")
        .arg(config)
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Property-test cases: `default` here, or `$PROPTEST_CASES` (CI's fuzz step runs 10,000).
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Spawns `cmd` (a `chatrev ingest`) with `CHATREV_TEST_PAUSE=point` and returns once it says it
/// has paused there, holding whatever it holds at that point (the lock, a journal).
pub fn spawn_paused(mut cmd: std::process::Command, point: &str) -> std::process::Child {
    use std::io::{BufRead, BufReader};
    let mut child = cmd
        .env("CHATREV_TEST_PAUSE", point)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let paused = BufReader::new(stderr)
        .lines()
        .any(|line| line.unwrap().contains(&format!("paused at {point}")));
    assert!(paused, "ingest never reached {point}");
    child
}
