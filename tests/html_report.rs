//! The weekly HTML page (`report summary --format html`) on the shipped examples, through the
//! binary: every chart present with its title, axes and data table; the numbers are the
//! report's own; nothing is fetched; no customer's phone, name or message text; both locales.

mod common;

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Writes the examples' summary page (in `config`'s locale) and returns its text.
fn weekly_page(config: &Path, store: &Path, out: &Path) -> String {
    common::run_ok(
        config,
        store,
        &[
            "report",
            "summary",
            "--format",
            "html",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    std::fs::read_to_string(out).unwrap()
}

/// The `<section class="chart">` blocks of a page.
fn chart_sections(html: &str) -> Vec<&str> {
    html.split("<section class=\"chart\">")
        .skip(1)
        .map(|s| &s[..s.find("</section>").expect("section closed")])
        .collect()
}

/// examples/chatrev.toml with another locale and absolute source paths, in `dir`.
fn config_in_locale(dir: &Path, locale: &str) -> PathBuf {
    let text = std::fs::read_to_string(root().join("examples/chatrev.toml")).unwrap();
    let examples = root().join("examples");
    let text = text
        .replace("locale = \"pt-BR\"", &format!("locale = \"{locale}\""))
        .replace("path = \"", &format!("path = \"{}/", examples.display()));
    let path = dir.join("chatrev.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_weekly_page_of_the_examples_has_every_chart_with_its_table() {
    let tmp = tempfile::tempdir().unwrap();
    let config = root().join("examples/chatrev.toml");
    let store = tmp.path().join("store");
    let html = weekly_page(&config, &store, &tmp.path().join("weekly.html"));

    // (title, a piece of its value axis title): every chart of the issue, in page order.
    let expected = [
        (
            "Receita líquida e conversão por semana",
            "Receita líquida (R$)",
        ),
        (
            "Distribuição do tempo até a primeira resposta",
            "Respondidos",
        ),
        (
            "Tempo até a primeira resposta por semana (mediana e p90)",
            "Tempo até a primeira resposta (",
        ),
        ("Funil (período todo)", "Unidades"),
        (
            "Tempo até a primeira resposta por atendente (mediana e p90)",
            "Tempo até a primeira resposta (",
        ),
        ("Conversão por atendente", "Taxa de conversão (%)"),
        (
            "Receita líquida por origem de anúncio",
            "Receita líquida (R$)",
        ),
    ];
    let sections = chart_sections(&html);
    assert_eq!(sections.len(), expected.len(), "{html}");
    for (section, (title, axis)) in sections.iter().zip(expected) {
        assert!(section.contains(&format!("<h2>{title}</h2>")), "{section}");
        assert!(
            section.contains(&format!("aria-label=\"{title}\"")),
            "{section}"
        );
        assert!(section.contains(axis), "axis {axis:?} in {section}");
        // The numbers it draws, as a table beside it, with at least one row.
        assert!(
            section.contains("<table>") && section.contains("<td"),
            "{section}"
        );
    }
    // The histogram marks the 15-minute SLA.
    assert!(sections[1].contains(">SLA 15m</text>"), "{}", sections[1]);
    // The funnel shows immature units apart and the rates after each bar.
    assert!(sections[3].contains("Imaturos") && sections[3].contains("do início"));

    // Its numbers are the report's: each week's net revenue in the CSV is in the revenue
    // chart's table, as people write it (R$ 1.630,50).
    let csv = common::run_ok(
        &config,
        &store,
        &["report", "summary", "--format", "csv", "--no-refresh"],
    );
    let mut weeks = 0;
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (int, cents) = cells[5].split_once('.').unwrap();
        let int: i64 = int.parse().unwrap();
        let human = if int >= 1000 {
            format!("R$ {}.{:03},{cents}", int / 1000, int % 1000)
        } else {
            format!("R$ {int},{cents}")
        };
        assert!(
            sections[0].contains(&format!("<td class=\"n\">{human}</td>")),
            "{human} in {}",
            sections[0]
        );
        weeks += 1;
    }
    assert_eq!(weeks, 3, "three weeks of November 2026: {csv}");
    // Weeks as dates: 2026-W46 starts on Monday 9 November.
    assert!(html.contains("sem. 09/11/2026"), "{html}");

    // Self-contained: nothing to fetch, nothing to run.
    for absent in [
        "://", "<script", "src=", "url(", "@import", "<link", "<iframe",
    ] {
        assert!(!html.contains(absent), "{absent:?} in the page");
    }
    // Agents appear (the report is about them); customers never do.
    for agent in ["Ana", "Bruno", "Carla"] {
        assert!(html.contains(&format!(">{agent}<")), "agent {agent}");
    }
    assert_no_customer_data(&html);
}

/// No customer phone number, name or message text from the examples is in `html`.
fn assert_no_customer_data(html: &str) {
    // Phones: no run of 8+ digits (with spaces, dashes or parentheses) in the page's text or
    // attributes outside an ad id. Tags' own numbers (coordinates) are not text.
    let text = regex::Regex::new(r"<[^>]*>")
        .unwrap()
        .replace_all(html, "|");
    let attributes: Vec<&str> = regex::Regex::new(r#"(?:aria-label|title)="([^"]*)""#)
        .unwrap()
        .captures_iter(html)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    let text = format!("{text}|{}", attributes.join("|"));
    // ISO dates of the footer's parameters (2026-11-22T20:30:00-03:00) are not phones.
    let text = regex::Regex::new(r"\d{4}-\d{2}-\d{2}(?:T[\d:]+(?:[+-]\d{2}:\d{2})?)?")
        .unwrap()
        .replace_all(&text, "|");
    let re = regex::Regex::new(r"(?:\+?\d[\d ()\-]{7,}\d)").unwrap();
    for m in re.find_iter(&text) {
        let before = &text[..m.start()];
        assert!(
            before.ends_with("ad:") || before.ends_with("ad:…"),
            "a phone-like number {:?} in the page",
            m.as_str()
        );
    }
    assert!(!html.contains("+55") && !html.contains("tel:"));
    // Customer names: the contacts file and the chat files' names.
    let contacts = std::fs::read_to_string(root().join("examples/contacts.csv")).unwrap();
    let mut names: Vec<String> = contacts
        .lines()
        .skip(1)
        .filter_map(|l| l.split(';').next())
        .map(str::to_string)
        .collect();
    for entry in std::fs::read_dir(root().join("examples/chats")).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
        let name = stem
            .trim_start_matches("Conversa do WhatsApp com ")
            .trim_start_matches("WhatsApp Chat - ");
        if !name.starts_with('+') {
            names.push(name.to_string());
        }
    }
    assert!(names.len() > 20, "{names:?}");
    for name in &names {
        assert!(
            !html.contains(name.as_str()),
            "customer {name:?} in the page"
        );
    }
    // Message text: no body of the first chat's messages (10+ characters) is in the page.
    let chat = std::fs::read_to_string(
        root().join("examples/chats/Conversa do WhatsApp com Bruna Moreira.txt"),
    )
    .unwrap();
    let mut bodies = 0;
    for line in chat.lines() {
        if let Some((_, body)) = line.split_once(": ")
            && body.chars().count() >= 10
        {
            assert!(!html.contains(body), "message text {body:?} in the page");
            bodies += 1;
        }
    }
    assert!(bodies > 3, "the chat has messages to look for");
}

#[test]
fn the_page_speaks_english_with_an_english_locale() {
    let tmp = tempfile::tempdir().unwrap();
    let config = config_in_locale(tmp.path(), "en-US");
    let html = weekly_page(
        &config,
        &tmp.path().join("store"),
        &tmp.path().join("weekly.html"),
    );
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert!(html.contains("<h2>Net revenue and conversion per week</h2>"));
    assert!(html.contains("<h2>First response time distribution</h2>"));
    assert!(html.contains("<th>Stage</th>"), "{html}");
    // Money and dates in en-US: BRL keeps its code, US date order.
    assert!(html.contains("BRL 1,630.50"), "{html}");
    assert!(html.contains("wk 11/09/2026"), "{html}");
    assert!(!html.contains("Receita"));
}
