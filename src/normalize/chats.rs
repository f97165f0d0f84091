//! Parsed text exports → stored messages: who is the business, who is the customer, the agent,
//! the class of each message, UTC instants and stable message ids (SPEC §3.1, §4, §5.1).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use chrono_tz::Tz;
use regex::Regex;
use sha2::{Digest, Sha256};

use crate::config::AutoReply;
use crate::model::{Direction, Extra, IdMap, IdShards, Kind, Message, MessageClass};
use crate::normalize::identity::{looks_like_phone, name_key, normalize_phone, phone_key};
use crate::normalize::time::LocalClock;
use crate::sources::whatsapp_txt::{ExportMessage, ParsedExport};

/// One parsed export and where it came from.
#[derive(Debug)]
pub struct ChatFile {
    /// Path as given to ingest (`archive.zip!_chat.txt` for zip members).
    pub file: String,
    /// The contact or group named by the file name (`WhatsApp Chat with Ana.txt` → `Ana`).
    pub title: Option<String>,
    /// The parse.
    pub parsed: ParsedExport,
    /// Zone of its wall-clock times.
    pub tz: Tz,
}

/// Rules shared by every chat of one ingest.
#[derive(Debug)]
pub struct ChatRules<'a> {
    /// Case-folded business sender names.
    pub business: HashSet<String>,
    /// `agent_pattern`.
    pub agent_pattern: Option<&'a Regex>,
    /// `[[auto_reply]]` rules.
    pub auto_reply: &'a [AutoReply],
    /// `name:<…>` key → `tel:+…` key from `--contacts`.
    pub contacts: &'a HashMap<String, String>,
    /// Country of numbers without a country code.
    pub default_country: &'a str,
}

/// The messages of one chat plus what was learned about identities.
#[derive(Debug, Default)]
pub struct NormalizedChat {
    /// Messages in file order.
    pub messages: Vec<Message>,
    /// The key message ids are derived from (the export's own view of the customer).
    pub id_key: String,
    /// The customer's person key after the contacts map.
    pub person: String,
    /// (alias, person) links learned from this chat.
    pub links: Vec<(String, String)>,
    /// Messages classified by each `[[auto_reply]]` rule (index-aligned with the rules).
    pub auto_reply_hits: Vec<u64>,
    /// Things the user should hear about (group chats…).
    pub warnings: Vec<String>,
}

/// Case-folded sender name used to compare against business names.
pub fn fold_name(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Chat title from an export's file name: `WhatsApp Chat with X.txt`, `Conversa do WhatsApp com
/// X.txt`, `WhatsApp Chat - X.zip`, `Chat de WhatsApp con X.txt`… None for `_chat.txt`.
pub fn title_from_file_name(name: &str) -> Option<String> {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem
        .strip_suffix(".txt")
        .or_else(|| stem.strip_suffix(".zip"))
        .unwrap_or(stem)
        .replace('\u{a0}', " ");
    const PREFIXES: [&str; 10] = [
        "WhatsApp Chat with ",
        "WhatsApp Chat - ",
        "Conversa do WhatsApp com ",
        "Chat de WhatsApp con ",
        "Chat do WhatsApp com ",
        "WhatsApp Chat mit ",
        "Discussion WhatsApp avec ",
        "Chat WhatsApp con ",
        "Чат WhatsApp с контактом ",
        "Чат WhatsApp с ",
    ];
    PREFIXES
        .iter()
        .find_map(|p| stem.strip_prefix(p))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// Picks the business sender when neither `--business` nor `business_names` is given: the
/// sender found in the most chat files. Ties are broken by dropping senders that are a chat's
/// title (the customer a file is named after); still tied → an error asking for `--business`.
pub fn detect_business(chats: &[ChatFile]) -> Result<String, String> {
    let mut files_per_sender: HashMap<String, (usize, String)> = HashMap::new();
    let mut titles = HashSet::new();
    for chat in chats {
        if let Some(t) = &chat.title {
            titles.insert(fold_name(t));
        }
        let senders: HashSet<&str> = chat
            .parsed
            .messages
            .iter()
            .filter(|m| m.kind != Kind::System)
            .filter_map(|m| m.author.as_deref())
            .collect();
        for s in senders {
            let e = files_per_sender
                .entry(fold_name(s))
                .or_insert((0, s.to_string()));
            e.0 += 1;
        }
    }
    let Some(max) = files_per_sender.values().map(|v| v.0).max() else {
        return Err("no sender found in the chat files".into());
    };
    let mut top: Vec<(&String, &String)> = files_per_sender
        .iter()
        .filter(|(_, v)| v.0 == max)
        .map(|(k, v)| (k, &v.1))
        .collect();
    if top.len() > 1 {
        top.retain(|(k, _)| !titles.contains(*k));
    }
    match top.as_slice() {
        [(_, name)] => Ok((*name).clone()),
        _ => Err(format!(
            "cannot tell which sender is the business ({} senders appear in {max} file(s) each); pass --business NAME or set business_names",
            files_per_sender.values().filter(|v| v.0 == max).count()
        )),
    }
}

/// Key of a sender or title as the export shows it: a phone when it is one, else its name.
fn raw_key(name: &str, default_country: &str) -> String {
    if looks_like_phone(name)
        && let Some(p) = normalize_phone(name, default_country)
    {
        return phone_key(&p);
    }
    name_key(name)
}

/// Stable message id: the first 8 bytes of SHA-256 over (key, ts, author, text), each
/// length-prefixed; the n-th repeat (n ≥ 1) of the same tuple in one file hashes that id with n.
pub fn message_id(key: &str, ts_ms: i64, author: &str, text: &str, occurrence: u32) -> u64 {
    repeat_id(base_id(key, ts_ms, author, text), occurrence)
}

fn base_id(key: &str, ts_ms: i64, author: &str, text: &str) -> u64 {
    let mut h = Sha256::new();
    for part in [
        key.as_bytes(),
        &ts_ms.to_le_bytes(),
        author.as_bytes(),
        text.as_bytes(),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    first_u64(&h.finalize())
}

fn repeat_id(base: u64, occurrence: u32) -> u64 {
    if occurrence == 0 {
        return base;
    }
    let mut h = Sha256::new();
    h.update(base.to_le_bytes());
    h.update(occurrence.to_le_bytes());
    first_u64(&h.finalize())
}

fn first_u64(digest: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(b)
}

/// The distinct senders of a chat's messages, looked at once each (not once per message).
struct Senders<'a> {
    /// Authors of non-system messages, in order of first appearance.
    non_system: Vec<&'a str>,
    /// Authors of any message.
    all: HashSet<&'a str>,
}

impl<'a> Senders<'a> {
    fn of(messages: &'a [ExportMessage]) -> Senders<'a> {
        let mut out = Senders {
            non_system: Vec::new(),
            all: HashSet::new(),
        };
        let mut non_system = HashSet::new();
        // (sender, system) pairs already counted, by the address of the sender's shared `Arc`:
        // a chat's messages share a few, so the sets are seldom looked at.
        let mut counted: Vec<(*const u8, bool)> = Vec::new();
        for m in messages {
            let Some(a) = m.author.as_deref() else {
                continue;
            };
            let key = (a.as_ptr(), m.kind == Kind::System);
            if counted.contains(&key) {
                continue;
            }
            if counted.len() < 64 {
                counted.push(key);
            }
            out.all.insert(a);
            if !key.1 && non_system.insert(a) {
                out.non_system.push(a);
            }
        }
        out
    }
}

/// Normalises one chat, moving its parsed messages out (the rest of `chat` stays).
pub fn normalize_chat(chat: &mut ChatFile, rules: &ChatRules<'_>) -> NormalizedChat {
    let is_business = |a: &str| rules.business.contains(&fold_name(a));
    let senders = Senders::of(&chat.parsed.messages);
    let customers: Vec<&str> = {
        let mut seen = HashSet::new();
        senders
            .non_system
            .iter()
            .copied()
            .filter(|a| !is_business(a) && seen.insert(fold_name(a)))
            .collect()
    };
    let mut out = NormalizedChat {
        auto_reply_hits: vec![0; rules.auto_reply.len()],
        ..Default::default()
    };
    let fallback_title = || {
        chat.title.clone().unwrap_or_else(|| {
            let base = chat.file.rsplit(['/', '!']).next().unwrap_or(&chat.file);
            base.trim_end_matches(".txt").to_string()
        })
    };
    let id_key = match customers.as_slice() {
        [one] => raw_key(one, rules.default_country),
        [] => raw_key(&fallback_title(), rules.default_country),
        many => {
            let t = fallback_title();
            out.warnings.push(format!(
                "{}: {} customer senders (a group chat?); its messages are keyed to the chat `{t}`",
                chat.file,
                many.len()
            ));
            raw_key(&t, rules.default_country)
        }
    };
    // Contacts map a name to a phone; so does a title that is a phone number.
    let mut person = id_key.clone();
    if person.starts_with("name:") {
        if let Some(tel) = rules.contacts.get(&person) {
            person = tel.clone();
        } else if let Some(t) = &chat.title {
            let tk = raw_key(t, rules.default_country);
            if tk.starts_with("tel:") {
                person = tk;
            } else if let Some(tel) = rules.contacts.get(&tk) {
                person = tel.clone();
            }
        }
    }
    if person != id_key {
        out.links.push((id_key.clone(), person.clone()));
    }

    let person: Arc<str> = Arc::from(person.as_str());
    // A few names, compared with each sender (a hash lookup per message cost more).
    let business_authors: Vec<String> = (senders.all.into_iter())
        .filter(|a| is_business(a))
        .map(str::to_string)
        .collect();
    let file: Arc<str> = Arc::from(chat.file.as_str());
    let auto_hits: Vec<AtomicU64> = rules.auto_reply.iter().map(|_| AtomicU64::new(0)).collect();
    let mut messages: Vec<Message> = std::mem::take(&mut chat.parsed.messages)
        .into_par_iter()
        .with_min_len(4096)
        .map_init(
            || (LocalClock::new(chat.tz), Vec::new()),
            |(clock, agents), m| {
                let ts_ms = clock.to_utc_ms(m.local);
                let (direction, mut class) = if m.kind == Kind::System {
                    (Direction::System, MessageClass::System)
                } else if m
                    .author
                    .as_deref()
                    .is_some_and(|a| business_authors.iter().any(|b| b == a))
                {
                    (Direction::Out, MessageClass::OutboundHuman)
                } else {
                    (Direction::In, MessageClass::Inbound)
                };
                let mut agent = None;
                if direction == Direction::Out {
                    agent = rules
                        .agent_pattern
                        .and_then(|re| extract_agent(re, &m.text, agents));
                    if let Some(i) = auto_reply_rule(rules.auto_reply, &m.text) {
                        class = MessageClass::OutboundAuto;
                        auto_hits[i].fetch_add(1, Ordering::Relaxed);
                    }
                }
                let message_id =
                    base_id(&id_key, ts_ms, m.author.as_deref().unwrap_or(""), &m.text);
                Message {
                    message_id,
                    person: person.clone(),
                    ts_ms,
                    precision_s: m.precision_s as i32,
                    direction,
                    class,
                    kind: m.kind,
                    author: m.author,
                    // Under --no-text, ingest drops bodies after flagging funnel stages.
                    text: Some(m.text.into_boxed_str()),
                    file: file.clone(),
                    line: m.line,
                    extra: Extra::of(agent, None),
                }
            },
        )
        .collect();
    number_repeats(&mut messages);
    out.messages = messages;
    out.auto_reply_hits = auto_hits.into_iter().map(AtomicU64::into_inner).collect();
    out.person = person.to_string();
    out.id_key = id_key;
    out
}

/// Repeats of the same (ts, author, text) in one file get distinct ids, numbered in file order
/// ([`repeat_id`]). The ids are counted in shards (by their top bits) in parallel: every repeat
/// of an id is in its shard, seen there in file order.
fn number_repeats(messages: &mut [Message]) {
    let cut = IdShards::for_threads();
    let ids: &[Message] = messages;
    let repeats: Vec<Vec<(usize, u64)>> = (0..cut.count())
        .into_par_iter()
        .map(|shard| {
            let mut seen: IdMap<u32> =
                IdMap::with_capacity_and_hasher(ids.len() / cut.count() + 1, Default::default());
            let mut repeats = Vec::new();
            for (i, m) in ids.iter().enumerate() {
                if cut.of(m.message_id) != shard {
                    continue;
                }
                let n = seen.entry(m.message_id).or_insert(0);
                if *n > 0 {
                    repeats.push((i, repeat_id(m.message_id, *n)));
                }
                *n += 1;
            }
            repeats
        })
        .collect();
    for (i, id) in repeats.into_iter().flatten() {
        messages[i].message_id = id;
    }
}

/// The agent named by `agent_pattern`'s `agent` group in a business message, if any, shared
/// through `agents` (the names found so far: a business has a few).
fn extract_agent(re: &Regex, text: &str, agents: &mut Vec<Arc<str>>) -> Option<Arc<str>> {
    let agent = re.captures(text)?.name("agent")?.as_str().trim();
    if agent.is_empty() {
        return None;
    }
    if let Some(known) = agents.iter().find(|a| ***a == *agent) {
        return Some(known.clone());
    }
    let new: Arc<str> = Arc::from(agent);
    // A pattern that captures free text would make this list long: share only the first few.
    if agents.len() < 64 {
        agents.push(new.clone());
    }
    Some(new)
}

/// Index of the first `[[auto_reply]]` rule that matches a business message.
pub fn auto_reply_rule(rules: &[AutoReply], text: &str) -> Option<usize> {
    rules.iter().position(|r| match (&r.text, &r.regex) {
        (Some(t), _) => t.trim() == text.trim(),
        (None, Some(re)) => re.0.is_match(text),
        (None, None) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(
            title_from_file_name("WhatsApp Chat with Ana Souza.txt").as_deref(),
            Some("Ana Souza")
        );
        assert_eq!(
            title_from_file_name("dir/Conversa do WhatsApp com +55 11 98765-4321.txt").as_deref(),
            Some("+55 11 98765-4321")
        );
        assert_eq!(
            title_from_file_name("WhatsApp Chat - Bruno.zip").as_deref(),
            Some("Bruno")
        );
        assert_eq!(title_from_file_name("_chat.txt"), None);
        assert_eq!(title_from_file_name("WhatsApp Chat with .txt"), None);
    }

    #[test]
    fn message_ids_are_stable_and_distinct() {
        let a = message_id("tel:+5511987654321", 1_000, "Ana", "oi", 0);
        assert_eq!(a, message_id("tel:+5511987654321", 1_000, "Ana", "oi", 0));
        assert_ne!(a, message_id("tel:+5511987654321", 1_000, "Ana", "oi", 1));
        // Field boundaries matter: ("ab","c") differs from ("a","bc").
        assert_ne!(
            message_id("k", 1, "ab", "c", 0),
            message_id("k", 1, "a", "bc", 0)
        );
    }

    fn chat(file: &str, lines: &str) -> ChatFile {
        let parsed =
            crate::sources::whatsapp_txt::parse_export(lines, &Default::default()).unwrap();
        ChatFile {
            title: title_from_file_name(file),
            file: file.into(),
            parsed,
            tz: chrono_tz::UTC,
        }
    }

    #[test]
    fn business_is_the_sender_in_most_files() {
        let a = chat(
            "WhatsApp Chat with Ana.txt",
            "24/11/2026 10:00 - Ana: oi\n24/11/2026 10:01 - Loja: olá\n",
        );
        let b = chat(
            "WhatsApp Chat with Rui.txt",
            "24/11/2026 11:00 - Rui: oi\n24/11/2026 11:01 - Loja: olá\n",
        );
        assert_eq!(detect_business(&[a, b]).unwrap(), "Loja");
        // One file: a tie between Ana and Loja, broken because Ana is the file's title.
        let a = chat(
            "WhatsApp Chat with Ana.txt",
            "24/11/2026 10:00 - Ana: oi\n24/11/2026 10:01 - Loja: olá\n",
        );
        assert_eq!(detect_business(&[a]).unwrap(), "Loja");
        // No title to break the tie: ask for --business.
        let c = chat(
            "_chat.txt",
            "24/11/2026 10:00 - Ana: oi\n24/11/2026 10:01 - Loja: olá\n",
        );
        assert!(detect_business(&[c]).unwrap_err().contains("--business"));
    }

    #[test]
    fn repeats_are_numbered_in_file_order_whatever_their_shard() {
        // Base ids in both halves of the id space, repeated out of order.
        let hi = 1u64 << 63;
        let base = [7, hi | 7, 7, 9, hi | 7, 7, hi | 1];
        let chat = chat("a.txt", "25/2/21, 10:00 - Ana: oi\n");
        let mut c = chat;
        let rules = ChatRules {
            business: ["loja".to_string()].into_iter().collect(),
            agent_pattern: None,
            auto_reply: &[],
            contacts: &HashMap::new(),
            default_country: "55",
        };
        let one = normalize_chat(&mut c, &rules).messages.remove(0);
        let mut messages: Vec<Message> = (base.iter())
            .map(|&id| Message {
                message_id: id,
                ..one.clone()
            })
            .collect();
        number_repeats(&mut messages);
        let ids: Vec<u64> = messages.iter().map(|m| m.message_id).collect();
        let expected = [
            7,
            hi | 7,
            repeat_id(7, 1),
            9,
            repeat_id(hi | 7, 1),
            repeat_id(7, 2),
            hi | 1,
        ];
        assert_eq!(ids, expected);
    }

    #[test]
    fn classes_agents_and_repeats() {
        let text = "24/11/2026 10:00 - Ana: oi\n24/11/2026 10:00 - Ana: oi\n24/11/2026 10:01 - Loja: Olá! Obrigado por entrar em contato\n24/11/2026 10:05 - Loja: *Bia*: bom dia\n";
        let mut c = chat("WhatsApp Chat with Ana.txt", text);
        let rules_auto = [AutoReply {
            text: None,
            regex: Some(crate::config::Pattern(
                Regex::new("^Olá! Obrigado").unwrap(),
            )),
        }];
        let agent = Regex::new(r"^\*(?P<agent>[^*]+)\*:").unwrap();
        let rules = ChatRules {
            business: ["loja".to_string()].into(),
            agent_pattern: Some(&agent),
            auto_reply: &rules_auto,
            contacts: &HashMap::new(),
            default_country: "BR",
        };
        let n = normalize_chat(&mut c, &rules);
        let classes: Vec<_> = n.messages.iter().map(|m| m.class).collect();
        assert_eq!(
            classes,
            [
                MessageClass::Inbound,
                MessageClass::Inbound,
                MessageClass::OutboundAuto,
                MessageClass::OutboundHuman
            ]
        );
        assert_eq!(n.messages[3].agent(), Some("Bia"));
        assert_eq!(n.messages[2].agent(), None);
        assert_eq!(n.auto_reply_hits, [1]);
        assert_eq!(n.person, "name:ana");
        // Two identical messages in the same minute: distinct ids, stable across runs.
        assert_ne!(n.messages[0].message_id, n.messages[1].message_id);
        assert_eq!(
            n.messages[1].message_id,
            message_id("name:ana", n.messages[1].ts_ms, "Ana", "oi", 1)
        );
    }
}
