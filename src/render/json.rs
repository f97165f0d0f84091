//! JSON (SPEC §6): one object
//!
//! ```json
//! {
//!   "report": "response-time",
//!   "title": "Response time, …",
//!   "params": {"as_of": "…", "by": ["week"], …},
//!   "columns": ["period", "clock", …],
//!   "rows": [
//!     {"period": "2026-W45", "clock": "calendar", …},
//!     …
//!   ],
//!   "notes": {"inputs": 3, "rejected_rows": 12, …}
//! }
//! ```
//!
//! serde_json's `preserve_order` feature is off in this build (its `Map` sorts keys), so the
//! document is written here: row keys follow column order and note keys follow the report's
//! note order; `params` keys are sorted. `columns` repeats the order for readers whose JSON
//! parser forgets key order. One row per line keeps the output friendly to `jq`, `grep` and diffs.
//!
//! Values: counts integers, durations whole seconds (integers, rounded half up), fractions
//! numbers with four decimals (`0.8333`, `1.0000`), money strings in major units (`"1234.56"`,
//! exact), times RFC 3339 strings in the report zone, nulls (and non-finite numbers) `null`.
//! C1 controls, DEL, U+2028/U+2029 and bidi controls are written as `\uXXXX` escapes (lossless,
//! and safe on terminals); serde_json already escapes C0 controls.

use std::io::{self, Write};

use super::{Cell, Column, RenderOptions, Report, format, machine_cell};

/// Writes the report as one JSON document followed by a newline.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut s = String::with_capacity(256 + report.rows.len() * report.columns.len() * 24);
    s.push_str("{\n  \"report\": ");
    s.push_str(&string(report.name));
    s.push_str(",\n  \"title\": ");
    s.push_str(&string(&report.title));
    s.push_str(",\n  \"params\": ");
    s.push_str(&serde_json::to_string(&report.params).map_err(io::Error::other)?);
    s.push_str(",\n  \"columns\": [");
    for (i, c) in report.columns.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&string(&c.name));
    }
    s.push_str("],\n  \"rows\": [");
    for (r, row) in report.rows.iter().enumerate() {
        s.push_str(if r == 0 { "\n    " } else { ",\n    " });
        push_object(&mut s, &report.columns, row, opts);
    }
    s.push_str(if report.rows.is_empty() {
        "],\n"
    } else {
        "\n  ],\n"
    });
    if !report.sections.is_empty() {
        s.push_str("  \"sections\": [");
        for (k, section) in report.sections.iter().enumerate() {
            s.push_str(if k == 0 { "\n    {" } else { ",\n    {" });
            s.push_str("\"title\": ");
            s.push_str(&string(&section.title));
            s.push_str(", \"rows\": [");
            for (r, row) in section.rows.iter().enumerate() {
                if r > 0 {
                    s.push_str(", ");
                }
                push_object(&mut s, &section.columns, row, opts);
            }
            s.push_str("]}");
        }
        s.push_str("\n  ],\n");
    }
    s.push_str("  \"notes\": {");
    for (i, note) in report.notes.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&string(&note.key));
        s.push_str(": ");
        s.push_str(&serde_json::to_string(&note.value).map_err(io::Error::other)?);
    }
    s.push_str("}\n}\n");
    out.write_all(escape_extra(&s).as_bytes())
}

/// One row as an object whose keys follow the column order.
fn push_object(s: &mut String, columns: &[Column], row: &[Cell], opts: &RenderOptions) {
    s.push('{');
    for (i, (col, cell)) in columns.iter().zip(row).enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&string(&col.name));
        s.push_str(": ");
        s.push_str(&value(cell, opts));
    }
    s.push('}');
}

/// A JSON string literal.
fn string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// A cell as a JSON value literal.
fn value(cell: &Cell, opts: &RenderOptions) -> String {
    match (cell, machine_cell(cell, opts)) {
        (_, None) => "null".to_owned(),
        // Plain decimal strings without exponent: valid JSON numbers as they are.
        (Cell::Count(_) | Cell::Seconds(_) | Cell::Fraction(_), Some(n)) => n,
        (Cell::Text(_) | Cell::Money { .. } | Cell::Timestamp(_) | Cell::Null, Some(s)) => {
            string(&s)
        }
    }
}

/// Escapes what serde_json leaves raw but terminals or JavaScript treat specially. These
/// characters only ever occur inside JSON strings, so replacing them anywhere is valid.
fn escape_extra(json: &str) -> std::borrow::Cow<'_, str> {
    // C0 controls are left alone: serde_json escapes them in strings, and `\n` outside strings
    // is layout.
    let special =
        |c: char| format::is_unsafe_char(c) && c > '\x1f' || matches!(c, '\u{2028}' | '\u{2029}');
    if !json.chars().any(special) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if special(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;
    use serde_json::{Value, json};

    use super::super::{Cell, Locale, sample};
    use super::*;

    fn json_of(report: &Report) -> String {
        let sp: Tz = "America/Sao_Paulo".parse().unwrap();
        let mut out = Vec::new();
        render(report, &RenderOptions::plain(sp, Locale::PtBr), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn shape_and_values() {
        let text = json_of(&sample::attribute());
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["report"], "attribute");
        assert_eq!(v["params"]["model"], "last");
        assert_eq!(v["columns"][0], "order_id");
        assert_eq!(v["rows"].as_array().unwrap().len(), 3);
        let row = &v["rows"][1];
        assert_eq!(row["order_id"], "#1002");
        assert_eq!(row["session_id"], Value::Null);
        assert_eq!(row["weight"], Value::Null);
        assert_eq!(row["gross"], "250.00");
        assert_eq!(row["net"], "237.50");
        assert_eq!(row["order_created_at"], "2026-11-24T14:33:05-03:00");
        assert_eq!(v["rows"][2]["gross"], "1500");
        assert_eq!(v["notes"], json!({"orders": 3, "unattributed_orders": 1}));

        let text = json_of(&sample::response_time());
        let v: Value = serde_json::from_str(&text).unwrap();
        let row = &v["rows"][0];
        assert_eq!(row["turns"], 1234);
        assert_eq!(row["p50_s"], 60); // 59.5 rounds half up
        assert_eq!(row["answer_rate"].as_f64().unwrap(), 0.972);
        assert_eq!(row["sla_15m"].as_f64().unwrap(), 0.8333);
        assert_eq!(v["rows"][1]["p95_s"], Value::Null);
        assert!(text.contains("\"answer_rate\": 0.9720,"), "{text}");
    }

    #[test]
    fn row_keys_follow_column_order() {
        let text = json_of(&sample::response_time());
        let line = text.lines().find(|l| l.contains("2026-W45")).unwrap();
        let positions: Vec<usize> = sample::response_time()
            .columns
            .iter()
            .map(|c| line.find(&format!("\"{}\":", c.name)).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{line}");
    }

    #[test]
    fn empty_report_and_escapes() {
        let mut r = sample::attribute();
        r.rows.clear();
        r.notes.clear();
        r.title = "bidi \u{202e} c1 \u{85} ls \u{2028} nl \n quote \"".into();
        let text = json_of(&r);
        assert!(
            text.contains("\"rows\": [],\n  \"notes\": {}\n}\n"),
            "{text}"
        );
        assert!(
            text.contains(r#""title": "bidi \u202e c1 \u0085 ls \u2028 nl \n quote \"""#),
            "{text}"
        );
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["title"], r.title);
    }

    #[test]
    fn non_finite_numbers_are_null() {
        let mut r = sample::response_time();
        r.rows[0][8] = Cell::Seconds(f64::NAN);
        r.rows[0][7] = Cell::Fraction(f64::INFINITY);
        let v: Value = serde_json::from_str(&json_of(&r)).unwrap();
        assert_eq!(v["rows"][0]["mean_s"], Value::Null);
        assert_eq!(v["rows"][0]["answer_rate"], Value::Null);
    }
}
