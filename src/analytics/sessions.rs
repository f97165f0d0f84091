//! Sessions and customer turns (SPEC §5.2, §5.3): one pass over messages sorted by
//! (person, ts), the order the store keeps them in.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::model::MessageClass;
use crate::store::messages;

/// One message as sessions see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row<'a> {
    /// Person key.
    pub person: &'a str,
    /// Instant, ms since the epoch.
    pub ts_ms: i64,
    /// Class (system messages are never passed in).
    pub class: MessageClass,
    /// The agent of a business message, when known.
    pub agent: Option<&'a str>,
    /// `ad:<id>` / `template:<name>` source of the message, when known.
    pub source: Option<&'a str>,
}

/// The two session parameters (`[sessions]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRules {
    /// Silence that may start a new session (default 24 h).
    pub gap_ms: i64,
    /// Age at which a pending customer turn is given up as unanswered (default 7 d).
    pub abandon_ms: i64,
}

impl Default for SessionRules {
    fn default() -> Self {
        SessionRules {
            gap_ms: 24 * 3_600_000,
            abandon_ms: 7 * 86_400_000,
        }
    }
}

/// Who wrote a session's first message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Initiator {
    /// The customer.
    Customer,
    /// The business.
    Business,
}

impl Initiator {
    /// `customer` or `business`.
    pub fn as_str(self) -> &'static str {
        match self {
            Initiator::Customer => "customer",
            Initiator::Business => "business",
        }
    }
}

/// One conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// `s_` + 12 hex digits of SHA-256(person | start in RFC 3339 UTC).
    pub session_id: String,
    /// Person key.
    pub person: String,
    /// First message.
    pub start_ms: i64,
    /// Last message.
    pub end_ms: i64,
    /// Who wrote first.
    pub initiator: Initiator,
    /// Inbound messages.
    pub messages_in: u32,
    /// Human business messages.
    pub messages_out_human: u32,
    /// Automatic and template business messages.
    pub messages_out_auto: u32,
    /// The sender of the first human reply, else the most frequent human sender.
    pub agent: Option<Arc<str>>,
    /// `ad:<id>` of the first referral, else `template:<name>`, else `organic`.
    pub source: String,
    /// Index in [`Conversations::turns`] of the session's first customer turn.
    pub first_turn: Option<usize>,
    /// When the customer wrote again after the human reply to the first turn (funnel `engaged`).
    pub engaged_ms: Option<i64>,
    /// Index in [`Conversations::message_times`] of the session's first message.
    pub first_message: usize,
}

/// One customer turn: a run of inbound messages up to the first human reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    /// Index in [`Conversations::sessions`].
    pub session: usize,
    /// The session's first turn (its RT is the FRT).
    pub first: bool,
    /// The turn's first inbound message.
    pub start_ms: i64,
    /// The first human reply after it in the same session.
    pub reply_ms: Option<i64>,
    /// The agent who sent the reply (shared: a store has few agents and millions of turns).
    pub agent: Option<Arc<str>>,
    /// Closed unanswered because a new session started after `abandon`.
    pub abandoned: bool,
}

/// What became of a turn at `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Replied.
    Answered,
    /// No reply yet, younger than `abandon`.
    Pending,
    /// No reply, and abandoned or at least `abandon` old.
    Unanswered,
}

impl Turn {
    /// The turn's outcome seen at `as_of_ms`.
    pub fn outcome(&self, as_of_ms: i64, rules: &SessionRules) -> Outcome {
        match self.reply_ms {
            Some(_) => Outcome::Answered,
            None if self.abandoned || as_of_ms - self.start_ms >= rules.abandon_ms => {
                Outcome::Unanswered
            }
            None => Outcome::Pending,
        }
    }
}

/// Sessions and turns of a set of messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conversations {
    /// In (person, start) order.
    pub sessions: Vec<Session>,
    /// In (person, start) order.
    pub turns: Vec<Turn>,
    /// The time of every message that takes part in sessions, in session order; session `i` owns
    /// `message_times[sessions[i].first_message..sessions[i + 1].first_message]`.
    pub message_times: Vec<i64>,
}

impl Conversations {
    /// The session among `person_sessions` (one person's, from [`sessions_of`](Self::sessions_of))
    /// whose span holds the instant `ts_ms`, if any.
    pub fn session_at(&self, person_sessions: Range<usize>, ts_ms: i64) -> Option<usize> {
        let own = &self.sessions[person_sessions.clone()];
        let i = own
            .partition_point(|s| s.start_ms <= ts_ms)
            .checked_sub(1)?;
        (ts_ms <= own[i].end_ms).then_some(person_sessions.start + i)
    }

    /// The range of `person`'s sessions (sessions are ordered by person, in byte order, as the
    /// store keeps messages), found by binary search; None when the person has no session.
    pub fn sessions_of(&self, person: &str) -> Option<Range<usize>> {
        let from = self
            .sessions
            .partition_point(|s| s.person.as_str() < person);
        let to = from + self.sessions[from..].partition_point(|s| s.person == person);
        (to > from).then_some(from..to)
    }

    /// The message times of session `s`, ascending.
    pub fn times_of(&self, s: usize) -> &[i64] {
        let from = self.sessions[s].first_message;
        let to = self
            .sessions
            .get(s + 1)
            .map_or(self.message_times.len(), |n| n.first_message);
        &self.message_times[from..to]
    }
}

/// `s_` + the first 12 hex digits of SHA-256 over `person|start` (RFC 3339 UTC, seconds).
pub fn session_id(person: &str, start_ms: i64) -> String {
    let start = DateTime::<Utc>::from_timestamp_millis(start_ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default();
    let digest = Sha256::digest(format!("{person}|{start}").as_bytes());
    format!("s_{}", &hex::encode(&digest[..6]))
}

/// Per-session state while scanning.
struct Open<'a> {
    open_turn: Option<usize>,
    agents: HashMap<&'a str, u32>,
    first_reply_agent: Option<Arc<str>>,
    ad: Option<String>,
    template: Option<String>,
}

/// Splits messages (sorted by person, then time) into sessions and customer turns.
pub fn sessionize<'a>(
    rows: impl IntoIterator<Item = Row<'a>>,
    rules: &SessionRules,
) -> Conversations {
    let mut out = Conversations::default();
    let rows = rows.into_iter();
    // One time per message: reserve once rather than doubling (and copying) 80 MB at 10 M.
    if let (_, Some(upper)) = rows.size_hint() {
        out.message_times.reserve_exact(upper);
    }
    let mut state: Option<Open<'a>> = None;
    let mut interned: HashMap<&'a str, Arc<str>> = HashMap::new();
    let mut last: Option<(&'a str, i64)> = None;
    for row in rows {
        if row.class == MessageClass::System {
            continue;
        }
        debug_assert!(
            last.is_none_or(|(p, _)| p <= row.person),
            "rows must come sorted by person"
        );
        let new_session = match (last, &mut state) {
            (Some((p, t)), Some(open)) if p == row.person => {
                if row.ts_ms - t < rules.gap_ms {
                    false
                } else {
                    match open.open_turn {
                        None => true,
                        Some(i) if row.ts_ms - out.turns[i].start_ms >= rules.abandon_ms => {
                            out.turns[i].abandoned = true;
                            true
                        }
                        Some(_) => false,
                    }
                }
            }
            _ => true,
        };
        if new_session {
            if let Some(open) = state.take() {
                finish(&mut out, open);
            }
            let initiator = if row.class == MessageClass::Inbound {
                Initiator::Customer
            } else {
                Initiator::Business
            };
            out.sessions.push(Session {
                session_id: session_id(row.person, row.ts_ms),
                person: row.person.to_string(),
                start_ms: row.ts_ms,
                end_ms: row.ts_ms,
                initiator,
                messages_in: 0,
                messages_out_human: 0,
                messages_out_auto: 0,
                agent: None,
                source: String::new(),
                first_turn: None,
                engaged_ms: None,
                first_message: out.message_times.len(),
            });
            state = Some(Open {
                open_turn: None,
                agents: HashMap::new(),
                first_reply_agent: None,
                ad: None,
                template: None,
            });
        }
        let open = state.as_mut().expect("a session is open");
        let s_idx = out.sessions.len() - 1;
        let session = &mut out.sessions[s_idx];
        session.end_ms = row.ts_ms;
        out.message_times.push(row.ts_ms);
        if let Some(src) = row.source {
            if src.starts_with("ad:") && open.ad.is_none() {
                open.ad = Some(src.to_string());
            } else if src.starts_with("template:") && open.template.is_none() {
                open.template = Some(src.to_string());
            }
        }
        match row.class {
            MessageClass::Inbound => {
                session.messages_in += 1;
                if session.engaged_ms.is_none()
                    && let Some(ft) = session.first_turn
                    && out.turns[ft].reply_ms.is_some_and(|r| r <= row.ts_ms)
                {
                    session.engaged_ms = Some(row.ts_ms);
                }
                if open.open_turn.is_none() {
                    let first = session.first_turn.is_none();
                    out.turns.push(Turn {
                        session: s_idx,
                        first,
                        start_ms: row.ts_ms,
                        reply_ms: None,
                        agent: None,
                        abandoned: false,
                    });
                    let t = out.turns.len() - 1;
                    if first {
                        session.first_turn = Some(t);
                    }
                    open.open_turn = Some(t);
                }
            }
            MessageClass::OutboundHuman => {
                session.messages_out_human += 1;
                if let Some(a) = row.agent {
                    *open.agents.entry(a).or_insert(0) += 1;
                }
                if let Some(t) = open.open_turn.take() {
                    let turn = &mut out.turns[t];
                    turn.reply_ms = Some(row.ts_ms);
                    turn.agent = row
                        .agent
                        .map(|a| interned.entry(a).or_insert_with(|| Arc::from(a)).clone());
                    if open.first_reply_agent.is_none() {
                        open.first_reply_agent = turn.agent.clone();
                    }
                }
            }
            MessageClass::OutboundAuto | MessageClass::OutboundTemplate => {
                session.messages_out_auto += 1
            }
            MessageClass::System => {}
        }
        last = Some((row.person, row.ts_ms));
    }
    if let Some(open) = state.take() {
        finish(&mut out, open);
    }
    out
}

/// Fills the session fields known only at its end (agent, source).
fn finish(out: &mut Conversations, open: Open<'_>) {
    let session = out.sessions.last_mut().expect("finish follows a session");
    session.agent = open.first_reply_agent.or_else(|| {
        let mut agents: Vec<(&str, u32)> = open.agents.into_iter().collect();
        // Most messages first; ties by name so the choice is stable.
        agents.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        agents.into_iter().next().map(|(a, _)| Arc::from(a))
    });
    session.source = open
        .ad
        .or(open.template)
        .unwrap_or_else(|| "organic".to_string());
}

fn class_of(s: &str) -> Option<MessageClass> {
    match s {
        "inbound" => Some(MessageClass::Inbound),
        "outbound_human" => Some(MessageClass::OutboundHuman),
        "outbound_auto" => Some(MessageClass::OutboundAuto),
        "outbound_template" => Some(MessageClass::OutboundTemplate),
        "system" => Some(MessageClass::System),
        _ => None,
    }
}

/// What [`load`] read besides the conversations.
#[derive(Debug, Clone, Default)]
pub struct StoreScan {
    /// Sessions and turns.
    pub conv: Conversations,
    /// The latest message time (before `as_of`), ms.
    pub latest_ms: Option<i64>,
    /// Messages read (up to `as_of`, failed sends left out) per class, in `MessageClass::ALL` order.
    pub by_class: [u64; 5],
    /// Sends whose delivery failed (up to `as_of`), left out: they reached no one.
    pub failed_sends: u64,
}

/// Reads the columns sessions need from `messages.parquet` (messages up to `as_of_ms`), counts
/// them by class and sessionizes them (system lines take no part). Failed sends are counted and
/// left out.
pub fn load(files: &[PathBuf], rules: &SessionRules, as_of_ms: Option<i64>) -> Result<StoreScan> {
    if files.is_empty() {
        return Ok(StoreScan::default());
    }
    let lf = messages::scan(files)?;
    let ts_ms = col("ts").dt().timestamp(TimeUnit::Milliseconds);
    let lf = match as_of_ms {
        Some(as_of) => lf.filter(ts_ms.clone().lt_eq(lit(as_of))),
        None => lf,
    };
    let df = lf
        .select([
            col("person"),
            ts_ms.alias("ts_ms"),
            col("class"),
            col("agent"),
            col("source"),
            col("delivery").eq(lit("failed")).alias("failed"),
        ])
        .collect()
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot read {}", messages::describe(files)))?;
    // Month partitions hold a person's rows in several places: visit them person by person.
    // One file is in that order already.
    let runs = match files {
        [_] => Vec::new(),
        _ => messages::person_runs_in_order(df.column("person")?.str()?),
    };
    let in_file_order = messages::runs_follow_the_rows(&runs);
    let person = df.column("person")?.str()?;
    let ts = df.column("ts_ms")?.i64()?;
    let class = df.column("class")?.str()?;
    let agent = df.column("agent")?.str()?;
    let source = df.column("source")?.str()?;
    let failed = df.column("failed")?.bool()?;
    /// What the pass counts besides the rows it keeps.
    #[derive(Default)]
    struct Tally {
        by_class: [u64; 5],
        failed_sends: u64,
        latest_ms: Option<i64>,
    }
    let mut tally = Tally::default();
    fn row<'a>(
        tally: &mut Tally,
        p: Option<&'a str>,
        t: Option<i64>,
        c: Option<&str>,
        (a, s): (Option<&'a str>, Option<&'a str>),
        f: Option<bool>,
    ) -> Option<Row<'a>> {
        if f == Some(true) {
            tally.failed_sends += 1;
            return None;
        }
        tally.latest_ms = tally.latest_ms.max(t);
        let class = class_of(c?)?;
        tally.by_class[class as usize] += 1;
        Some(Row {
            person: p?,
            ts_ms: t?,
            class,
            agent: a,
            source: s,
        })
    }
    let conv = if in_file_order {
        let rows = person
            .iter()
            .zip(ts.iter())
            .zip(class.iter())
            .zip(agent.iter().zip(source.iter()).zip(failed.iter()))
            .filter_map(|(((p, t), c), (a_s, f))| row(&mut tally, p, t, c, a_s, f));
        sessionize(rows, rules)
    } else {
        // Rows by number, through the chunks as they were read (a rechunk would copy them all).
        let (mut p, mut c) = (ChunkCursor::new(person), ChunkCursor::new(class));
        let (mut a, mut s) = (ChunkCursor::new(agent), ChunkCursor::new(source));
        let (mut t, mut f) = (ChunkCursor::new(ts), ChunkCursor::new(failed));
        let rows = runs
            .iter()
            .flat_map(|&(start, len)| start..start + len)
            .filter_map(|i| {
                let (ts, fail) = (t.get(i), f.get(i));
                row(
                    &mut tally,
                    p.get(i),
                    ts,
                    c.get(i),
                    (a.get(i), s.get(i)),
                    fail,
                )
            });
        sessionize(rows, rules)
    };
    Ok(StoreScan {
        conv,
        latest_ms: tally.latest_ms,
        by_class: tally.by_class,
        failed_sends: tally.failed_sends,
    })
}

/// Reads a column of many chunks by row number without rechunking it (which copies it whole):
/// rows are asked for in runs, so the chunk of the previous row is tried first.
struct ChunkCursor<'a, T: PolarsDataType> {
    chunks: Vec<&'a T::Array>,
    /// Chunk k holds rows `starts[k]..starts[k + 1]`.
    starts: Vec<usize>,
    at: usize,
}

impl<'a, T: PolarsDataType> ChunkCursor<'a, T> {
    fn new(ca: &'a ChunkedArray<T>) -> Self {
        let mut starts = vec![0];
        for len in ca.chunk_lengths() {
            starts.push(starts[starts.len() - 1] + len);
        }
        ChunkCursor {
            chunks: ca.downcast_iter().collect(),
            starts,
            at: 0,
        }
    }

    /// The chunk holding row `i` (< the column's length) and the row's place in it.
    fn locate(&mut self, i: usize) -> (&'a T::Array, usize) {
        if !(self.starts[self.at] <= i && i < self.starts[self.at + 1]) {
            // The last chunk starting at or before `i` (empty chunks start where the next does).
            self.at = self.starts.partition_point(|&s| s <= i) - 1;
        }
        (self.chunks[self.at], i - self.starts[self.at])
    }

    /// Row `i`'s value; None when it is null.
    fn get(&mut self, i: usize) -> Option<T::Physical<'a>> {
        let (chunk, at) = self.locate(i);
        chunk.get(at)
    }
}

/// The click-to-WhatsApp click id of each session (the first one among its messages), parallel
/// to `conv.sessions`. Reads only the rows that carry one, so the common case costs nothing.
pub fn ctwa_clids(files: &[PathBuf], conv: &Conversations) -> Result<Vec<Option<String>>> {
    let mut out = vec![None; conv.sessions.len()];
    if files.is_empty() || conv.sessions.is_empty() {
        return Ok(out);
    }
    let df = messages::scan(files)?
        .filter(col("ctwa_clid").is_not_null())
        .select([
            col("person"),
            col("ts")
                .dt()
                .timestamp(TimeUnit::Milliseconds)
                .alias("ts_ms"),
            col("ctwa_clid"),
        ])
        .collect()
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot read {}", messages::describe(files)))?;
    let (person, ts, clid) = (
        df.column("person")?.str()?,
        df.column("ts_ms")?.i64()?,
        df.column("ctwa_clid")?.str()?,
    );
    for ((p, t), c) in person.iter().zip(ts.iter()).zip(clid.iter()) {
        let (Some(p), Some(t), Some(c)) = (p, t, c) else {
            continue;
        };
        if let Some(s) = conv.sessions_of(p).and_then(|r| conv.session_at(r, t)) {
            out[s].get_or_insert_with(|| c.to_string());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MessageClass::*;

    const H: i64 = 3_600_000;
    const M: i64 = 60_000;

    fn row(person: &str, ts_ms: i64, class: MessageClass) -> Row<'_> {
        Row {
            person,
            ts_ms,
            class,
            agent: if class == OutboundHuman {
                Some("Ana")
            } else {
                None
            },
            source: None,
        }
    }

    #[test]
    fn late_reply_stays_in_one_session_and_gives_a_30h_frt() {
        let c = sessionize(
            [row("p", 0, Inbound), row("p", 30 * H, OutboundHuman)],
            &SessionRules::default(),
        );
        assert_eq!(c.sessions.len(), 1);
        assert_eq!(c.turns.len(), 1);
        assert_eq!(c.turns[0].reply_ms.unwrap() - c.turns[0].start_ms, 30 * H);
        assert!(c.turns[0].first);
        assert_eq!(c.sessions[0].agent.as_deref(), Some("Ana"));
    }

    #[test]
    fn a_reping_measures_from_the_first_unanswered_message() {
        let rows = [
            row("p", 0, Inbound),
            row("p", 10 * M, Inbound),
            row("p", 25 * M, OutboundHuman),
        ];
        let c = sessionize(rows, &SessionRules::default());
        assert_eq!(c.turns.len(), 1);
        assert_eq!(c.turns[0].reply_ms.unwrap() - c.turns[0].start_ms, 25 * M);
        assert_eq!(c.sessions[0].messages_in, 2);
    }

    #[test]
    fn an_auto_reply_does_not_stop_the_clock() {
        let rows = [
            row("p", 0, Inbound),
            row("p", M, OutboundAuto),
            row("p", 40 * M, OutboundHuman),
        ];
        let c = sessionize(rows, &SessionRules::default());
        assert_eq!(c.turns[0].reply_ms, Some(40 * M));
        assert_eq!(c.sessions[0].messages_out_auto, 1);
    }

    #[test]
    fn gaps_start_sessions_only_when_no_turn_is_pending_or_it_is_abandoned() {
        let rules = SessionRules::default();
        // Answered, then 2 days of silence: a new session.
        let rows = [
            row("p", 0, Inbound),
            row("p", M, OutboundHuman),
            row("p", 48 * H, Inbound),
        ];
        let c = sessionize(rows, &rules);
        assert_eq!(c.sessions.len(), 2);
        assert_eq!(c.sessions[1].initiator, Initiator::Customer);
        assert!(c.turns[1].first);
        // Pending for 8 days (≥ abandon): the turn is closed unanswered and the reply opens a
        // business-initiated session.
        let rows = [row("q", 0, Inbound), row("q", 8 * 24 * H, OutboundHuman)];
        let c = sessionize(rows, &rules);
        assert_eq!(c.sessions.len(), 2);
        assert!(c.turns[0].abandoned);
        assert_eq!(c.turns[0].outcome(8 * 24 * H, &rules), Outcome::Unanswered);
        assert_eq!(c.sessions[1].initiator, Initiator::Business);
        // A new person always starts a new session.
        let c = sessionize([row("a", 0, Inbound), row("b", M, Inbound)], &rules);
        assert_eq!(c.sessions.len(), 2);
    }

    #[test]
    fn each_session_owns_its_message_times() {
        let rows = [
            row("p", 0, Inbound),
            row("p", M, OutboundHuman),
            row("p", 48 * H, Inbound),
            Row {
                class: System,
                ..row("p", 49 * H, Inbound)
            },
            row("q", 5, Inbound),
        ];
        let c = sessionize(rows, &SessionRules::default());
        assert_eq!(c.sessions.len(), 3);
        assert_eq!(c.times_of(0), &[0, M]);
        // System lines take no part.
        assert_eq!(c.times_of(1), &[48 * H]);
        assert_eq!(c.times_of(2), &[5]);
    }

    #[test]
    fn pending_versus_unanswered_depends_on_as_of() {
        let rules = SessionRules::default();
        let c = sessionize([row("p", 0, Inbound)], &rules);
        assert_eq!(c.turns[0].outcome(6 * 24 * H, &rules), Outcome::Pending);
        assert_eq!(c.turns[0].outcome(7 * 24 * H, &rules), Outcome::Unanswered);
    }

    #[test]
    fn engaged_agent_and_session_ids() {
        let rows = [
            row("p", 0, Inbound),
            Row {
                agent: Some("Bia"),
                ..row("p", 5 * M, OutboundHuman)
            },
            row("p", 6 * M, Inbound),
            row("p", 7 * M, OutboundHuman),
        ];
        let c = sessionize(rows, &SessionRules::default());
        assert_eq!(c.sessions[0].engaged_ms, Some(6 * M));
        assert_eq!(c.sessions[0].agent.as_deref(), Some("Bia"));
        assert_eq!(c.turns.len(), 2);
        assert!(!c.turns[1].first);
        // SHA-256("p|1970-01-01T00:00:00Z") starts with these 12 hex digits.
        let expected = hex::encode(&Sha256::digest(b"p|1970-01-01T00:00:00Z")[..6]);
        assert_eq!(c.sessions[0].session_id, format!("s_{expected}"));
        assert_eq!(c.sessions[0].source, "organic");
    }

    #[test]
    fn load_leaves_out_failed_sends_and_counts_classes() {
        use crate::model::{CloudMeta, Direction, Extra, Kind, Message};
        let msg = |id: u64, ts_ms: i64, class: MessageClass, delivery: Option<&str>| Message {
            message_id: id,
            person: "tel:+5511987654321".into(),
            ts_ms,
            precision_s: 1,
            direction: if class == Inbound {
                Direction::In
            } else {
                Direction::Out
            },
            class,
            kind: Kind::Text,
            author: None,
            text: None,
            file: "x.jsonl".into(),
            line: id as u32,
            extra: Extra::of(
                Some("Ana".into()),
                delivery.map(|d| CloudMeta {
                    delivery: Some(d.into()),
                    ..Default::default()
                }),
            ),
        };
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("messages.parquet");
        let mut f = std::fs::File::create(&path).unwrap();
        crate::store::tables::write_messages(
            &[vec![
                msg(1, 0, Inbound, None),
                // A failed send answers no one: the turn stays open until the delivered reply.
                msg(2, 2 * M, OutboundHuman, Some("failed")),
                msg(3, 9 * M, OutboundHuman, Some("delivered")),
                msg(4, 10 * M, System, None),
            ]],
            &mut f,
        )
        .unwrap();
        let loaded = load(std::slice::from_ref(&path), &SessionRules::default(), None).unwrap();
        assert_eq!(loaded.conv.turns.len(), 1);
        assert_eq!(loaded.conv.turns[0].reply_ms, Some(9 * M));
        assert_eq!(loaded.conv.sessions[0].messages_out_human, 1);
        // inbound, outbound_human, outbound_auto, outbound_template, system
        assert_eq!(loaded.by_class, [1, 1, 0, 0, 1]);
        assert_eq!(loaded.failed_sends, 1);
        assert_eq!(loaded.latest_ms, Some(10 * M));
        // as_of before the delivered reply: the turn has no reply yet.
        let early = load(
            std::slice::from_ref(&path),
            &SessionRules::default(),
            Some(5 * M),
        )
        .unwrap();
        assert_eq!(early.conv.turns[0].reply_ms, None);
    }
}
