//! examples/ci-weekly.sh, the README's weekly CI job, run as a user would run it.

use std::path::Path;
use std::process::Command;

fn script(config: &str, store: &Path, out: &Path) -> std::process::Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new("bash")
        .current_dir(root)
        .arg("examples/ci-weekly.sh")
        .arg(config)
        .arg(out)
        .env("CHATREV", env!("CARGO_BIN_EXE_chatrev"))
        .env("CHATREV_STORE", store)
        .env_remove("CHATREV_KEY")
        .output()
        .unwrap()
}

#[test]
fn writes_the_three_weekly_csvs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("weekly");
    let run = script("examples/chatrev.toml", &tmp.path().join("store"), &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for (file, header) in [
        ("conversion.csv", "currency,sessions,mature_sessions,"),
        ("response-time.csv", "clock,metric,turns,answered,"),
        ("funnel.csv", "step,stage,units,from_start,"),
    ] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(text.starts_with(header), "{file}: {text}");
        assert!(text.lines().count() > 1, "{file} has rows");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(out.join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }
    // last-week is the week before the store's latest timestamp (2026-11-22): 2026-W46, whose 35
    // sessions (28 from the chat exports, 7 from the Cloud API log) the conversion report counts.
    let conversion = std::fs::read_to_string(out.join("conversion.csv")).unwrap();
    assert!(
        conversion.lines().nth(1).unwrap().starts_with("BRL,35,"),
        "{conversion}"
    );
}

#[test]
fn a_rejected_row_fails_the_job_with_exit_3_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("weekly");
    let run = script(
        "testdata/ci-strict/chatrev.toml",
        &tmp.path().join("store"),
        &out,
    );
    assert_eq!(
        run.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("--strict"));
    assert!(!out.exists());
}
