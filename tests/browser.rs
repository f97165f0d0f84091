//! End to end in a real browser: the examples' weekly page opens in headless Chromium (Debian's
//! `chromium`, which .ci/run installs), its screenshot is not blank and shows the charts' bars,
//! and the page logs nothing to the console (a blocked fetch or script would). Two control
//! pages prove the checks can fail. Skipped, with a message, where no Chromium is installed,
//! except under CI (`CI` set), where a missing browser fails the test.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The browser: `$CHATREV_CHROMIUM`, else the first of Debian's names on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHATREV_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

fn browser_or_skip(test: &str) -> Option<PathBuf> {
    match chromium() {
        Some(c) => Some(c),
        None if std::env::var_os("CI").is_some() => {
            panic!("{test}: no chromium on PATH under CI (.ci/run installs Debian's chromium)")
        }
        None => {
            eprintln!("{test}: skipped: no chromium on PATH (apt-get install chromium)");
            None
        }
    }
}

/// What the browser made of a page: the screenshot and the console lines it logged.
struct Shot {
    png: Vec<u8>,
    console: Vec<String>,
}

/// Opens `page` in headless Chromium at 1200×3000 and takes a screenshot.
fn screenshot(browser: &Path, page: &Path, work: &Path) -> Shot {
    let png = work.join("shot.png");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,3000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).ok();
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let log = reader.join().unwrap();
    assert!(status.success(), "chromium failed: {log}");
    Shot {
        png: std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot ({e}): {log}")),
        console: log
            .lines()
            .filter(|l| l.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
    }
}

/// An 8-bit RGB(A) PNG's pixels as RGB triples (non-interlaced, as Chromium writes them).
fn decode_png(data: &[u8]) -> (usize, usize, Vec<[u8; 3]>) {
    assert_eq!(&data[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let (mut pos, mut width, mut height, mut channels) = (8, 0usize, 0usize, 0usize);
    let mut idat = Vec::new();
    while pos + 8 <= data.len() {
        let len = u32::from_be_bytes(data[pos..pos + 4].try_into().unwrap()) as usize;
        let kind = &data[pos + 4..pos + 8];
        let body = &data[pos + 8..pos + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(body[0..4].try_into().unwrap()) as usize;
                height = u32::from_be_bytes(body[4..8].try_into().unwrap()) as usize;
                assert_eq!(body[8], 8, "8-bit samples");
                channels = match body[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("colour type {other}"),
                };
                assert_eq!(body[12], 0, "not interlaced");
            }
            b"IDAT" => idat.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        pos += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .unwrap();
    let stride = width * channels;
    assert_eq!(raw.len(), height * (stride + 1), "image data size");
    let mut prev = vec![0u8; stride];
    let mut pixels = Vec::with_capacity(width * height);
    for y in 0..height {
        let filter = raw[y * (stride + 1)];
        let mut line = raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)].to_vec();
        for i in 0..stride {
            let a = if i >= channels { line[i - channels] } else { 0 } as i16;
            let b = prev[i] as i16;
            let c = if i >= channels { prev[i - channels] } else { 0 } as i16;
            let add = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => panic!("filter {f}"),
            };
            line[i] = line[i].wrapping_add(add as u8);
        }
        for px in line.chunks(channels) {
            pixels.push([px[0], px[1], px[2]]);
        }
        prev = line;
    }
    (width, height, pixels)
}

/// Share of pixels that are not (near) white, and pixels of the charts' first bar colour.
fn ink(pixels: &[[u8; 3]]) -> (f64, usize) {
    let dark = pixels.iter().filter(|p| p.iter().any(|&c| c < 235)).count();
    // #2f6fb5, the first series' bars (render/svg.rs), give or take anti-aliasing.
    let bars = pixels
        .iter()
        .filter(|p| {
            p[0].abs_diff(0x2f) <= 3 && p[1].abs_diff(0x6f) <= 3 && p[2].abs_diff(0xb5) <= 3
        })
        .count();
    (dark as f64 / pixels.len() as f64, bars)
}

#[test]
fn the_weekly_page_renders_in_chromium_with_charts_and_no_console_errors() {
    let Some(browser) = browser_or_skip("weekly page in chromium") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("weekly.html");
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chatrev.toml");
    common::run_ok(
        &config,
        &tmp.path().join("store"),
        &[
            "report",
            "summary",
            "--format",
            "html",
            "--output",
            page.to_str().unwrap(),
        ],
    );
    let shot = screenshot(&browser, &page, tmp.path());
    assert!(shot.console.is_empty(), "console: {:#?}", shot.console);
    let (w, h, pixels) = decode_png(&shot.png);
    assert_eq!((w, h), (1200, 3000));
    let (dark, bars) = ink(&pixels);
    assert!(
        dark > 0.03,
        "the page looks blank: {:.2}% ink",
        dark * 100.0
    );
    assert!(bars > 5_000, "chart bars visible: {bars} pixels");
}

#[test]
fn the_checks_catch_a_blank_page_and_a_console_error() {
    let Some(browser) = browser_or_skip("chromium control pages") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let blank = tmp.path().join("blank.html");
    std::fs::write(&blank, "<!doctype html><html><body></body></html>").unwrap();
    let shot = screenshot(&browser, &blank, tmp.path());
    let (_, _, pixels) = decode_png(&shot.png);
    let (dark, bars) = ink(&pixels);
    assert!(dark < 0.001 && bars == 0, "blank: {dark} {bars}");

    // The weekly page's own policy blocks a fetch, and the browser says so on the console.
    let fetching = tmp.path().join("fetching.html");
    std::fs::write(
        &fetching,
        "<!doctype html><html><head><meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"></head>\
         <body><img src=\"http://127.0.0.1:9/x.png\"></body></html>",
    )
    .unwrap();
    let shot = screenshot(&browser, &fetching, tmp.path());
    assert!(!shot.console.is_empty(), "a blocked load is logged");
}
