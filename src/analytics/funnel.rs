//! The funnel (SPEC §5.6, §5.7): for each unit (a session, or a contact from their first lead in
//! the period), the time each stage was reached — in order, within the window from `lead` — and
//! per stage the units, conversion, drop-offs, immature units and the time from the stage before.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono_tz::Tz;
use polars::prelude::*;
use rayon::prelude::*;
use regex::Regex;

use super::attribution::{Attribution, sessions_by_person};
use super::groups::{Attrs, GroupBy, Keyer};
use super::orders::OrderFact;
use super::periods::TimeRange;
use super::sessions::Conversations;
use super::stats::percentile;
use crate::config::{FunnelConfig, FunnelUnit, StageRuleKind, TextDirection};
use crate::sources::orders::OrderStatus;
use crate::store::messages;

/// The default quote rule (SPEC §5.6): a money amount (`R$ 1.234,56`, `R$99,90`, `$12.50`,
/// `US$ 20`), a payment link, or the words orçamento, cotización, quote, pix, boleto.
pub const DEFAULT_QUOTE_REGEX: &str = r"(?i)(?:R\$|US\$|\$)\s?\d[\d.,]*|https?://\S*(?:pay|checkout|pagamento|pagar|mpago|mercadopago|picpay|pagseguro|stripe|invoice|boleto|pix)\S*|\b(?:or[çc]amento|cotizaci[oó]n|quote|pix|boleto)\b";

/// A message rule: a regex over texts in one direction, or a message kind.
#[derive(Debug, Clone)]
pub struct MessageRule {
    /// Searched in the texts of `direction`.
    pub regex: Option<Regex>,
    /// Whose texts `regex` reads.
    pub direction: TextDirection,
    /// A message kind (any direction) that matches by itself (`order`).
    pub kind: Option<String>,
}

/// How a stage is reached.
#[derive(Debug, Clone)]
pub enum StageRule {
    /// The unit's first inbound message.
    FirstInbound,
    /// The customer writes again after the human reply to the first turn.
    TwoWay,
    /// A matching message.
    Message(MessageRule),
    /// An order credited to the unit that is not cancelled.
    OrderPlaced,
    /// A payment of a credited order with a paid status.
    OrderPaid,
}

/// One funnel stage.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Its name in reports.
    pub name: String,
    /// How it is reached.
    pub rule: StageRule,
}

/// The stages from `[[funnel.stages]]`, else the default five.
pub fn stages(config: &FunnelConfig) -> Vec<Stage> {
    let quote = |regex: Option<Regex>| {
        StageRule::Message(MessageRule {
            regex: Some(regex.unwrap_or_else(|| {
                Regex::new(DEFAULT_QUOTE_REGEX).expect("the default quote regex compiles")
            })),
            direction: TextDirection::Outbound,
            kind: Some("order".to_string()),
        })
    };
    if config.stages.is_empty() {
        return [
            ("lead", StageRule::FirstInbound),
            ("engaged", StageRule::TwoWay),
            ("quote", quote(None)),
            ("order", StageRule::OrderPlaced),
            ("paid", StageRule::OrderPaid),
        ]
        .into_iter()
        .map(|(name, rule)| Stage {
            name: name.to_string(),
            rule,
        })
        .collect();
    }
    config
        .stages
        .iter()
        .map(|st| {
            let rule = match (st.rule, st.name.as_str()) {
                (None, "quote") if st.kind.is_none() && st.direction.is_none() => {
                    quote(st.regex.as_ref().map(|p| p.0.clone()))
                }
                (Some(StageRuleKind::FirstInbound), _) | (None, "lead") => StageRule::FirstInbound,
                (Some(StageRuleKind::TwoWay), _) | (None, "engaged") => StageRule::TwoWay,
                (Some(StageRuleKind::OrderPlaced), _) | (None, "order") => StageRule::OrderPlaced,
                (Some(StageRuleKind::OrderPaid), _) | (None, "paid") => StageRule::OrderPaid,
                _ => StageRule::Message(MessageRule {
                    regex: st.regex.as_ref().map(|p| p.0.clone()),
                    direction: st.direction.unwrap_or(TextDirection::Outbound),
                    kind: st.kind.clone(),
                }),
            };
            Stage {
                name: st.name.clone(),
                rule,
            }
        })
        .collect()
}

/// Messages that match a message rule: (session, stage index, time), sorted.
#[derive(Debug, Clone, Default)]
pub struct MessageHits {
    /// Sorted by (session, stage, time).
    pub hits: Vec<(u32, u16, i64)>,
    /// Messages a regex rule would have read that have no text (ingested with `--no-text`).
    pub without_text: u64,
}

impl MessageHits {
    fn of(&self, session: usize, stage: usize) -> &[(u32, u16, i64)] {
        let key = (session as u32, stage as u16);
        let from = self.hits.partition_point(|h| (h.0, h.1) < key);
        let to = self.hits.partition_point(|h| (h.0, h.1) <= key);
        &self.hits[from..to]
    }
}

/// Scans `messages.parquet` once for the messages the stages' message rules could match (up to
/// `as_of`, failed sends left out), places each in its session, and keeps the matches.
///
/// Only messages that can count are tested: for session units, those in a session with a lead,
/// not before it (nor before `engaged` when the stage follows a two-way stage) and within the
/// window. Texts are read only for the directions a regex needs; regexes run in parallel.
pub fn scan_messages(
    files: &[PathBuf],
    stages: &[Stage],
    conv: &Conversations,
    p: &Params,
) -> Result<MessageHits> {
    let rules: Vec<(usize, &MessageRule)> = stages
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match &s.rule {
            StageRule::Message(m) => Some((i, m)),
            _ => None,
        })
        .collect();
    if rules.is_empty() || files.is_empty() {
        return Ok(MessageHits::default());
    }
    let dir_expr = |d: TextDirection| match d {
        TextDirection::Outbound => col("class").eq(lit("outbound_human")),
        TextDirection::Inbound => col("class").eq(lit("inbound")),
        TextDirection::Any => col("class")
            .eq(lit("outbound_human"))
            .or(col("class").eq(lit("inbound"))),
    };
    // One boolean column per rule: could this row match it (direction, or kind)?
    let mut wanted = lit(false);
    let mut flags = Vec::new();
    let mut needs_text = false;
    for (n, (_, rule)) in rules.iter().enumerate() {
        let mut e = lit(false);
        if rule.regex.is_some() {
            e = e.or(dir_expr(rule.direction));
            needs_text = true;
        }
        if let Some(k) = &rule.kind {
            e = e.or(col("kind").eq(lit(k.as_str())));
        }
        wanted = wanted.or(e.clone());
        flags.push(e.alias(format!("rule{n}")));
    }
    let ts = col("ts").dt().timestamp(TimeUnit::Milliseconds);
    let mut scan = messages::scan(files)?;
    // Stores written before stage flags existed have no `stages` column.
    let has_flags = scan
        .collect_schema()
        .map_err(anyhow::Error::from)?
        .contains("stages");
    let mut cols = vec![col("person"), ts.clone().alias("ts_ms")];
    if needs_text {
        cols.push(col("text"));
        if has_flags {
            cols.push(col("stages"));
        }
    }
    for (n, (_, rule)) in rules.iter().enumerate() {
        if let Some(k) = &rule.kind {
            cols.push(col("kind").eq(lit(k.as_str())).alias(format!("kind{n}")));
        }
    }
    cols.extend(flags);
    let mut df = scan
        .filter(
            wanted.and(ts.lt_eq(lit(p.as_of_ms))).and(
                col("delivery")
                    .eq(lit("failed"))
                    .fill_null(lit(false))
                    .not(),
            ),
        )
        .select(cols)
        .collect()
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot read {}", messages::describe(files)))?;

    // Each row's session: rows and sessions are both in (person, time) order, so the person's
    // range is looked up once per person.
    let ts: Vec<Option<i64>> = df.column("ts_ms")?.i64()?.iter().collect();
    let person = df.column("person")?.str()?;
    let mut session_of_row: Vec<Option<u32>> = Vec::with_capacity(df.height());
    let mut current: Option<(&str, Option<Range<usize>>)> = None;
    for (person, &t) in person.iter().zip(&ts) {
        let (Some(person), Some(t)) = (person, t) else {
            session_of_row.push(None);
            continue;
        };
        let range = match &current {
            Some((p, r)) if *p == person => r.clone(),
            _ => {
                let r = conv.sessions_of(person);
                current = Some((person, r.clone()));
                r
            }
        };
        let s = range
            .and_then(|range| conv.session_at(range, t))
            .map(|s| s as u32);
        session_of_row.push(s);
    }
    // Whether a message at `t` in session `s` can count for stage `k`.
    let could_count = |s: usize, k: usize, t: i64| -> bool {
        if p.unit == FunnelUnit::Contact {
            return true;
        }
        let session = &conv.sessions[s];
        let Some(lead) = session.first_turn.map(|i| conv.turns[i].start_ms) else {
            return false;
        };
        if t < minute(lead) * 60_000 || t > lead.saturating_add(p.window_ms) {
            return false;
        }
        match stages.get(k.wrapping_sub(1)).map(|st| &st.rule) {
            Some(StageRule::TwoWay) => session.engaged_ms.is_some_and(|e| t >= minute(e) * 60_000),
            _ => true,
        }
    };
    // Persons and times are no longer needed in the frame: free them before the texts are read.
    let _ = df.drop_in_place("person")?;
    let _ = df.drop_in_place("ts_ms")?;
    let texts: Vec<Option<&str>> = if needs_text {
        df.column("text")?.str()?.iter().collect()
    } else {
        Vec::new()
    };
    // Stage names flagged at ingest, for messages stored without their text.
    let flagged: Vec<Option<&str>> = if needs_text && has_flags {
        df.column("stages")?.str()?.iter().collect()
    } else {
        Vec::new()
    };
    let mut out = MessageHits::default();
    for (n, (k, rule)) in rules.iter().enumerate() {
        let flag: Vec<bool> = df
            .column(&format!("rule{n}"))?
            .bool()?
            .iter()
            .map(|b| b == Some(true))
            .collect();
        let kind: Vec<bool> = match rule.kind {
            Some(_) => df
                .column(&format!("kind{n}"))?
                .bool()?
                .iter()
                .map(|b| b == Some(true))
                .collect(),
            None => Vec::new(),
        };
        // Candidate rows for this rule, in store order: a session's rows are together and in
        // time order (a session across month partitions is together within each month; its
        // hits are sorted by time below, so the earliest still comes first).
        let candidates: Vec<(usize, u32, i64)> = (0..flag.len())
            .into_par_iter()
            .filter(|&row| flag[row])
            .filter_map(|row| {
                let s = session_of_row[row]?;
                let t = ts[row]?;
                could_count(s as usize, *k, t).then_some((row, s, t))
            })
            .collect();
        if rule.regex.is_some() && needs_text && !has_flags {
            // A store from before ingest-time flags: messages without text cannot be matched.
            out.without_text += candidates
                .iter()
                .filter(|&&(row, _, _)| texts[row].is_none())
                .count() as u64;
        }
        let name = stages[*k].name.as_str();
        let matches = |row: usize| {
            kind.get(row).copied().unwrap_or(false)
                || match (&rule.regex, texts.get(row).copied().flatten()) {
                    (Some(re), Some(x)) => re.is_match(x),
                    (Some(_), None) => flagged
                        .get(row)
                        .copied()
                        .flatten()
                        .is_some_and(|f| f.split(',').any(|s| s == name)),
                    _ => false,
                }
        };
        // For a session unit whose stage follows the lead or `engaged` (both fixed per
        // session), only a session's first match can count: stop there.
        let first_only = p.unit == FunnelUnit::Session
            && matches!(
                stages.get(k.wrapping_sub(1)).map(|st| &st.rule),
                Some(StageRule::FirstInbound | StageRule::TwoWay)
            );
        let mut groups: Vec<Range<usize>> = Vec::new();
        for (i, c) in candidates.iter().enumerate() {
            match groups.last_mut() {
                Some(g) if candidates[g.start].1 == c.1 => g.end = i + 1,
                _ => groups.push(i..i + 1),
            }
        }
        let hits: Vec<(u32, u16, i64)> = groups
            .par_iter()
            .flat_map_iter(|g| {
                let mut found = candidates[g.clone()]
                    .iter()
                    .filter(|&&(row, _, _)| matches(row))
                    .map(|&(_, s, t)| (s, *k as u16, t));
                let v: Vec<(u32, u16, i64)> = if first_only {
                    found.next().into_iter().collect()
                } else {
                    found.collect()
                };
                v
            })
            .collect();
        out.hits.extend(hits);
    }
    out.hits.sort_unstable();
    out.hits.dedup();
    Ok(out)
}

/// What the funnel depends on besides the data.
#[derive(Debug, Clone)]
pub struct Params {
    /// Group dimensions (by the unit's lead: its time, the lead session's agent, source,
    /// initiator).
    pub by: Vec<GroupBy>,
    /// Report time zone.
    pub tz: Tz,
    /// Units whose lead falls in this range.
    pub range: TimeRange,
    /// Cutoff: later events are unknown; units younger than the window are immature.
    pub as_of_ms: i64,
    /// Later stages count within this long after the lead (inclusive).
    pub window_ms: i64,
    /// Sessions or contacts.
    pub unit: FunnelUnit,
}

/// One unit's path: the time it reached each stage (a prefix of the stages).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitPath {
    /// The session holding the lead (for the group values).
    pub lead_session: usize,
    /// Stage times, as many as stages reached, in order.
    pub times: Vec<i64>,
    /// Reached the last stage, or the window closed before `as_of`.
    pub decided: bool,
}

fn minute(t: i64) -> i64 {
    t.div_euclid(60_000)
}

/// Orders credited (weight > 0) to each session: indices into `orders`, by creation.
fn credited_orders(conv: &Conversations, orders: &[OrderFact], a: &[Attribution]) -> Vec<Vec<u32>> {
    let mut out = vec![Vec::new(); conv.sessions.len()];
    for (i, attribution) in a.iter().enumerate() {
        if let Attribution::Credited(credits) = attribution {
            for c in credits {
                out[c.session].push(i as u32);
            }
        }
    }
    for list in &mut out {
        list.sort_by_key(|&i| (orders[i as usize].created_ms, i));
    }
    out
}

/// When a credited order was paid (paid statuses only): its payment time, else its creation.
fn paid_at(o: &OrderFact) -> Option<i64> {
    o.is_paid().then(|| o.paid_ms.unwrap_or(o.created_ms))
}

/// Walks one unit (sessions `range`, lead at `lead_ms`) through the stages.
#[allow(clippy::too_many_arguments)]
fn walk(
    conv: &Conversations,
    range: Range<usize>,
    lead_ms: i64,
    lead_session: usize,
    stages: &[Stage],
    hits: &MessageHits,
    orders: &[OrderFact],
    credited: &[Vec<u32>],
    p: &Params,
) -> UnitPath {
    let deadline = lead_ms.saturating_add(p.window_ms).min(p.as_of_ms);
    let mut times = vec![lead_ms];
    let mut placed: Option<usize> = None;
    for (k, stage) in stages.iter().enumerate().skip(1) {
        let prev = *times.last().expect("lead");
        // Same-minute events are equal (minute-precision exports): taken in stage order.
        let floor = minute(prev) * 60_000;
        let after = |t: i64| t >= floor;
        let first = |ts: &mut dyn Iterator<Item = i64>| ts.filter(|&t| after(t)).min();
        let found = match &stage.rule {
            StageRule::FirstInbound => first(
                &mut range
                    .clone()
                    .filter_map(|s| conv.sessions[s].first_turn.map(|t| conv.turns[t].start_ms)),
            ),
            StageRule::TwoWay => {
                first(&mut range.clone().filter_map(|s| conv.sessions[s].engaged_ms))
            }
            StageRule::Message(_) => first(
                &mut range
                    .clone()
                    .flat_map(|s| hits.of(s, k).iter().map(|h| h.2)),
            ),
            StageRule::OrderPlaced => {
                let best = range
                    .clone()
                    .flat_map(|s| credited[s].iter().map(|&o| o as usize))
                    .filter(|&o| {
                        orders[o].status != OrderStatus::Cancelled && after(orders[o].created_ms)
                    })
                    .min_by_key(|&o| (orders[o].created_ms, o));
                placed = best;
                best.map(|o| orders[o].created_ms)
            }
            StageRule::OrderPaid => match placed {
                Some(o) => paid_at(&orders[o]).filter(|&t| after(t)),
                None => first(&mut range.clone().flat_map(|s| {
                    credited[s]
                        .iter()
                        .filter_map(|&o| paid_at(&orders[o as usize]))
                })),
            },
        };
        match found {
            Some(t) if t <= deadline => times.push(t.max(prev)),
            _ => break,
        }
    }
    let decided = times.len() == stages.len() || lead_ms.saturating_add(p.window_ms) <= p.as_of_ms;
    UnitPath {
        lead_session,
        times,
        decided,
    }
}

/// Every unit whose lead is in the period, with its path.
pub fn paths(
    conv: &Conversations,
    orders: &[OrderFact],
    attributions: &[Attribution],
    stages: &[Stage],
    hits: &MessageHits,
    p: &Params,
) -> Vec<UnitPath> {
    let credited = credited_orders(conv, orders, attributions);
    let lead_of = |s: usize| {
        conv.sessions[s]
            .first_turn
            .map(|t| conv.turns[t].start_ms)
            .filter(|&t| p.range.contains(t) && t <= p.as_of_ms)
    };
    // (sessions the unit spans, lead, lead session)
    let units: Vec<(Range<usize>, i64, usize)> = match p.unit {
        FunnelUnit::Session => (0..conv.sessions.len())
            .filter_map(|s| lead_of(s).map(|t| (s..s + 1, t, s)))
            .collect(),
        FunnelUnit::Contact => {
            let mut by_person: Vec<Range<usize>> = sessions_by_person(conv).into_values().collect();
            by_person.sort_by_key(|r| r.start);
            by_person
                .into_iter()
                .filter_map(|r| {
                    let s = r.clone().find(|&s| lead_of(s).is_some())?;
                    Some((r, lead_of(s)?, s))
                })
                .collect()
        }
    };
    units
        .into_par_iter()
        .map(|(range, lead, s)| walk(conv, range, lead, s, stages, hits, orders, &credited, p))
        .collect()
}

/// One report row: a group and a stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Values of the `--by` columns.
    pub group: Vec<Option<String>>,
    /// 1-based position of the stage.
    pub step: usize,
    /// The stage's name.
    pub stage: String,
    /// Decided units that reached the stage.
    pub units: u64,
    /// `units ÷ units of step 1`.
    pub from_start: Option<f64>,
    /// `units ÷ units of the previous step` (None for step 1).
    pub from_previous: Option<f64>,
    /// Previous step's units that did not reach this one (None for step 1).
    pub dropped: Option<u64>,
    /// Immature units that reached the stage so far.
    pub immature: u64,
    /// Seconds from the previous stage, median (decided units).
    pub time_from_previous_p50_s: Option<f64>,
    /// 90th percentile.
    pub time_from_previous_p90_s: Option<f64>,
}

/// Groups the paths (by their lead) and counts each stage.
pub fn compute(conv: &Conversations, paths: &[UnitPath], stages: &[Stage], p: &Params) -> Vec<Row> {
    let mut keyer = Keyer::new(&p.by, p.tz);
    let mut groups: HashMap<Vec<u32>, Vec<&UnitPath>> = HashMap::new();
    for path in paths {
        let s = &conv.sessions[path.lead_session];
        let key = keyer.key(path.times[0], Attrs::of_session(s));
        groups.entry(key).or_default().push(path);
    }
    let mut sorted: BTreeMap<Vec<Option<String>>, Vec<&UnitPath>> = groups
        .into_iter()
        .map(|(k, v)| (keyer.values(&k), v))
        .collect();
    if sorted.is_empty() && p.by.is_empty() {
        sorted.insert(Vec::new(), Vec::new());
    }
    let mut rows = Vec::new();
    for (group, paths) in sorted {
        let mut first_units = 0u64;
        let mut previous_units = 0u64;
        for (k, stage) in stages.iter().enumerate() {
            let reached = paths.iter().filter(|u| u.times.len() > k);
            let units = reached.clone().filter(|u| u.decided).count() as u64;
            let immature = reached.clone().filter(|u| !u.decided).count() as u64;
            let mut waits: Vec<f64> = if k == 0 {
                Vec::new()
            } else {
                reached
                    .filter(|u| u.decided)
                    .map(|u| (u.times[k] - u.times[k - 1]) as f64 / 1000.0)
                    .collect()
            };
            waits.sort_by(f64::total_cmp);
            if k == 0 {
                first_units = units;
            }
            let ratio = |n: u64, d: u64| (d > 0).then(|| n as f64 / d as f64);
            rows.push(Row {
                group: group.clone(),
                step: k + 1,
                stage: stage.name.clone(),
                units,
                from_start: ratio(units, first_units),
                from_previous: (k > 0).then(|| ratio(units, previous_units)).flatten(),
                dropped: (k > 0).then(|| previous_units - units),
                immature,
                time_from_previous_p50_s: percentile(&waits, 0.5),
                time_from_previous_p90_s: percentile(&waits, 0.9),
            });
            previous_units = units;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_quote_rule() {
        let re = Regex::new(DEFAULT_QUOTE_REGEX).unwrap();
        for yes in [
            "Fica R$ 1.234,56 à vista",
            "R$99,90",
            "Total: $12.50",
            "US$ 20",
            "Segue o link: https://pag.ae/checkout/7x",
            "https://www.mercadopago.com.br/pay/123",
            "Vou te mandar o orçamento",
            "Cotización enviada",
            "Here is your quote",
            "Pode pagar no PIX",
            "Gero o boleto?",
        ] {
            assert!(re.is_match(yes), "{yes}");
        }
        for no in [
            "Bom dia! Temos sim",
            "Chega em 3 dias úteis",
            "https://loja.example/produto/bolsa",
            "pixel art",
            "Quotes are fun? no: quoted",
        ] {
            assert!(!re.is_match(no), "{no}");
        }
    }

    #[test]
    fn config_stages_replace_the_defaults() {
        let cfg = crate::config::Config::parse(
            r#"
[[funnel.stages]]
name = "lead"
[[funnel.stages]]
name = "catalog"
rule = "message"
kind = "order"
[[funnel.stages]]
name = "paid"
"#,
        )
        .unwrap();
        let st = stages(&cfg.funnel);
        let names: Vec<&str> = st.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["lead", "catalog", "paid"]);
        assert!(
            matches!(st[1].rule, StageRule::Message(ref m) if m.kind.as_deref() == Some("order") && m.regex.is_none())
        );
        assert!(matches!(st[2].rule, StageRule::OrderPaid));
        let bad = crate::config::Config::parse("[[funnel.stages]]\nname = \"engaged\"\n");
        assert!(bad.unwrap_err().contains("first stage"));
        let bad = crate::config::Config::parse(
            "[[funnel.stages]]\nname = \"lead\"\n[[funnel.stages]]\nname = \"x\"\nrule = \"message\"\n",
        );
        assert!(bad.unwrap_err().contains("needs `regex` or `kind`"));
    }
}
