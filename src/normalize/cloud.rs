//! Cloud API events (`sources::cloud_api`) to stored messages (SPEC §3.2, §5.1).
//!
//! - Inbound messages: class `inbound` (`system` for system messages), kind from `type`, the ad
//!   referral as `source = ad:<source_id>` and its `ctwa_clid`.
//! - Statuses of one business message (any number of webhooks, in any order, across every file
//!   of the run) become one outbound message: sent at the first `sent` (else the earliest
//!   status), the furthest delivery reached, the error code of a failure, the agent from
//!   `biz_opaque_callback_data` (`agent=<name>;…`), class `outbound_template` for template
//!   pricing categories (marketing, utility, authentication) and `outbound_human` otherwise.
//! - Echoes (Business-app messages on the same number) are `outbound_human`.
//! - A number change links the old and the new phone; a contact with both a wa_id and a
//!   business-scoped id links the two.
//!
//! Message ids hash the `wamid`, so retried webhooks and re-sent files never duplicate a message.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::model::{CloudMeta, Direction, Extra, Kind, Message, MessageClass};
use crate::normalize::identity::{normalize_phone, phone_key, wa_key};
use crate::sources::cloud_api::{CloudKind, Delivery, Event, Parsed, Status};

/// The stored message id of a Cloud API `wamid` sent by the customer (`inbound`) or by the
/// business (statuses and echoes of one message share it).
pub fn cloud_message_id(wamid: &str, inbound: bool) -> u64 {
    let digest = Sha256::new()
        .chain_update(if inbound {
            &b"cloud-api|in|"[..]
        } else {
            &b"cloud-api|out|"[..]
        })
        .chain_update(wamid.as_bytes())
        .finalize();
    u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// The person key of a wa_id (digits) or, without a usable one, of a business-scoped user id
/// (`BR.123…`, `IN.ENT.9…`). Values of another shape (documentation placeholders such as
/// `<WHATSAPP_USER_PHONE_NUMBER>`) name nobody.
pub fn person_of(
    wa_id: Option<&str>,
    user_id: Option<&str>,
    default_country: &str,
) -> Option<String> {
    let wa = wa_id
        .map(|w| w.trim().trim_start_matches('+'))
        .filter(|d| (6..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()));
    if let Some(digits) = wa {
        return Some(
            normalize_phone(&format!("+{digits}"), default_country)
                .map(|p| phone_key(&p))
                .unwrap_or_else(|| phone_key(digits)),
        );
    }
    user_id
        .map(str::trim)
        .filter(|u| {
            u.len() > 3
                && u.as_bytes()[..2].iter().all(u8::is_ascii_uppercase)
                && u.as_bytes()[2] == b'.'
                && u.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
        })
        .map(wa_key)
}

fn kind_of(k: CloudKind) -> Kind {
    match k {
        CloudKind::Text => Kind::Text,
        CloudKind::Media => Kind::Media,
        CloudKind::Location => Kind::Location,
        CloudKind::Contact => Kind::Contact,
        CloudKind::Interactive => Kind::Interactive,
        CloudKind::Button => Kind::Button,
        CloudKind::Order => Kind::Order,
        CloudKind::Reaction => Kind::Reaction,
        CloudKind::System => Kind::System,
        CloudKind::Unsupported => Kind::Unsupported,
        CloudKind::Unknown => Kind::Unknown,
    }
}

/// Pricing categories of template sends.
fn is_template_category(c: &str) -> bool {
    c.starts_with("marketing") || c.starts_with("utility") || c.starts_with("authentication")
}

/// The value of `key=<value>` inside `biz_opaque_callback_data` (`;`- or `&`-separated pairs).
pub fn callback_field<'d>(data: &'d str, key: &str) -> Option<&'d str> {
    data.split([';', '&'])
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// `agent=<name>` inside `biz_opaque_callback_data`.
pub fn agent_from_callback(data: &str) -> Option<&str> {
    callback_field(data, "agent")
}

/// One Cloud API file of the run.
#[derive(Debug)]
pub struct CloudFile<'a> {
    /// The file as given to ingest.
    pub file: Arc<str>,
    /// What was read from it.
    pub parsed: Parsed<'a>,
}

/// What the run's Cloud API files amount to.
#[derive(Debug, Default)]
pub struct NormalizedCloud {
    /// Messages per file (statuses of one message go to the file of its first status).
    pub messages: Vec<Vec<Message>>,
    /// Identity links (alias key, person key).
    pub links: Vec<(String, String)>,
    /// Per file: status webhooks folded into an outbound message.
    pub statuses: Vec<u64>,
    /// Per file: events that name nobody (no wa_id, no business-scoped id), not stored.
    pub without_person: Vec<u64>,
}

/// The outbound message a message's statuses add up to.
struct Outbound<'a> {
    first: &'a Status<'a>,
    file: usize,
    sent_s: Option<i64>,
    earliest_s: i64,
    delivery: Delivery,
    error_code: Option<i32>,
    agent: Option<&'a str>,
    template: bool,
    /// `template=<name>` from the callback data: the session source `template:<name>`.
    template_name: Option<&'a str>,
    /// The callback data has been read.
    callback_read: bool,
}

/// A (wa_id, business-scoped user id) pair as written.
type Ids<'a> = (Option<&'a str>, Option<&'a str>);

/// Person keys of the id pairs seen, each normalised once.
#[derive(Default)]
struct Persons<'a> {
    keys: HashMap<Ids<'a>, Option<Arc<str>>>,
}

impl<'a> Persons<'a> {
    fn of(&mut self, wa: Option<&'a str>, user: Option<&'a str>, dc: &str) -> Option<Arc<str>> {
        self.keys
            .entry((wa, user))
            .or_insert_with(|| person_of(wa, user, dc).map(Arc::from))
            .clone()
    }
}

/// Turns every file's events into messages.
pub fn normalize_cloud<'a>(files: &'a [CloudFile<'a>], default_country: &str) -> NormalizedCloud {
    let n = files.len();
    let mut out = NormalizedCloud {
        messages: vec![Vec::new(); n],
        without_person: vec![0; n],
        ..NormalizedCloud::default()
    };
    // Status webhooks per file, counted in parallel: the map and the sends below are sized for
    // all of them (growing rehashed every wamid several times).
    out.statuses = files
        .par_iter()
        .map(|f| {
            f.parsed
                .pieces
                .par_iter()
                .map(|p| p.iter().filter(|e| matches!(e, Event::Status(_))).count() as u64)
                .sum()
        })
        .collect();
    let statuses = out.statuses.iter().sum::<u64>() as usize;
    // Sequentially: identity links, and the statuses folded per wamid (cheap).
    // Sends in order of their first status, and where each wamid's send is.
    let mut sends_of: HashMap<&'a str, usize> = HashMap::with_capacity(statuses);
    let mut outbound: Vec<(&'a str, Outbound<'a>)> = Vec::with_capacity(statuses);
    let mut persons = Persons::default();
    for (fi, f) in files.iter().enumerate() {
        for event in f.parsed.events() {
            match event {
                Event::Contact { wa_id, user_id } => {
                    if let Some(tel) = persons.of(Some(wa_id), None, default_country) {
                        out.links.push((wa_key(user_id), tel.to_string()));
                    }
                }
                Event::Inbound(m) => {
                    if let (Some(wa), Some(user)) = (&m.from, &m.from_user_id)
                        && let Some(tel) = persons.of(Some(wa), None, default_country)
                    {
                        out.links.push((wa_key(user), tel.to_string()));
                    }
                    if let Some((kind, Some(new))) = m.system.as_deref()
                        && kind == "user_changed_number"
                        && let Some(old) = persons.of(
                            m.from.as_deref(),
                            m.from_user_id.as_deref(),
                            default_country,
                        )
                        && let Some(new_key) = person_of(Some(new), None, default_country)
                    {
                        out.links.push((old.to_string(), new_key));
                    }
                }
                Event::Echo(_) => {}
                Event::Status(s) => {
                    let i = *sends_of.entry(&s.wamid).or_insert_with(|| {
                        outbound.push((
                            &s.wamid,
                            Outbound {
                                first: s,
                                file: fi,
                                sent_s: None,
                                earliest_s: s.ts_s,
                                delivery: s.delivery,
                                error_code: None,
                                agent: None,
                                template: false,
                                template_name: None,
                                callback_read: false,
                            },
                        ));
                        outbound.len() - 1
                    });
                    let o = &mut outbound[i].1;
                    o.earliest_s = o.earliest_s.min(s.ts_s);
                    if s.delivery == Delivery::Sent {
                        o.sent_s = Some(o.sent_s.map_or(s.ts_s, |t| t.min(s.ts_s)));
                    }
                    o.delivery = o.delivery.max(s.delivery);
                    if s.delivery == Delivery::Failed {
                        o.error_code = o.error_code.or(s.error_code);
                    }
                    // Every status of a send repeats its callback data: read it once.
                    if !o.callback_read
                        && let Some(c) = s.callback.as_deref()
                    {
                        o.callback_read = true;
                        o.agent = agent_from_callback(c);
                        o.template_name = callback_field(c, "template");
                    }
                    o.template |= s.category.as_deref().is_some_and(is_template_category);
                }
            }
        }
    }
    // In parallel: customer messages and echoes (ids are SHA-256, persons normalised per
    // worker once each).
    for (fi, f) in files.iter().enumerate() {
        let converted: Vec<Option<Message>> = f
            .parsed
            .pieces
            .par_iter()
            .flat_map_iter(|piece| piece.iter())
            .filter(|e| matches!(e, Event::Inbound(_) | Event::Echo(_)))
            .map_init(Persons::default, |persons, e| {
                event_message(e, &f.file, persons, default_country)
            })
            .collect();
        out.without_person[fi] += converted.iter().filter(|m| m.is_none()).count() as u64;
        out.messages[fi].extend(converted.into_iter().flatten());
    }
    // In parallel: one outbound message per folded send, in the file of its first status.
    let sends: Vec<(usize, Option<Message>)> = outbound
        .par_iter()
        .map_init(Persons::default, |persons, (wamid, o)| {
            let s = o.first;
            let person = persons.of(
                s.recipient.as_deref(),
                s.recipient_user_id.as_deref(),
                default_country,
            );
            let message = person.map(|person| Message {
                message_id: cloud_message_id(wamid, false),
                person,
                ts_ms: o.sent_s.unwrap_or(o.earliest_s).saturating_mul(1000),
                precision_s: 1,
                direction: Direction::Out,
                class: if o.template {
                    MessageClass::OutboundTemplate
                } else {
                    MessageClass::OutboundHuman
                },
                kind: Kind::Unknown,
                author: None,
                text: None,
                file: files[o.file].file.clone(),
                line: s.line,
                extra: Extra::of(
                    o.agent.map(Arc::from),
                    Some(CloudMeta {
                        source: o.template_name.map(|t| format!("template:{t}")),
                        delivery: Some(o.delivery.as_str().to_string()),
                        error_code: o.error_code,
                        ..CloudMeta::default()
                    }),
                ),
            });
            (o.file, message)
        })
        .collect();
    for (fi, message) in sends {
        match message {
            Some(m) => out.messages[fi].push(m),
            None => out.without_person[fi] += 1,
        }
    }
    out
}

/// The message of a customer message or an echo; None when it names nobody.
fn event_message<'a>(
    event: &'a Event<'a>,
    file: &Arc<str>,
    persons: &mut Persons<'a>,
    default_country: &str,
) -> Option<Message> {
    // Under --no-text, ingest drops bodies after flagging funnel stages.
    let text = |t: &Option<crate::sources::cloud_api::Str<'_>>| t.as_deref().map(Box::from);
    match event {
        Event::Inbound(m) => {
            let person = persons.of(
                m.from.as_deref(),
                m.from_user_id.as_deref(),
                default_country,
            )?;
            let system = m.kind == CloudKind::System;
            let cloud = m.referral.as_ref().map(|r| CloudMeta {
                source: Some(format!("ad:{}", r.source_id)),
                ctwa_clid: r.ctwa_clid.as_deref().map(str::to_string),
                ..CloudMeta::default()
            });
            Some(Message {
                message_id: cloud_message_id(&m.wamid, true),
                person,
                ts_ms: m.ts_s.saturating_mul(1000),
                precision_s: 1,
                direction: if system {
                    Direction::System
                } else {
                    Direction::In
                },
                class: if system {
                    MessageClass::System
                } else {
                    MessageClass::Inbound
                },
                kind: kind_of(m.kind),
                author: None,
                text: text(&m.text),
                file: file.clone(),
                line: m.line,
                extra: Extra::of(None, cloud),
            })
        }
        Event::Echo(e) => {
            let person = persons.of(e.to.as_deref(), e.to_user_id.as_deref(), default_country)?;
            Some(Message {
                message_id: cloud_message_id(&e.wamid, false),
                person,
                ts_ms: e.ts_s.saturating_mul(1000),
                precision_s: 1,
                direction: Direction::Out,
                class: MessageClass::OutboundHuman,
                kind: kind_of(e.kind),
                author: None,
                text: text(&e.text),
                file: file.clone(),
                line: e.line,
                extra: None,
            })
        }
        Event::Status(_) | Event::Contact { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::cloud_api::parse;

    fn wrap(value: &str) -> String {
        format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"changes":[{{"value":{value},"field":"messages"}}]}}]}}"#
        )
    }

    fn status(id: &str, st: &str, ts: i64, extra: &str) -> String {
        wrap(&format!(
            r#"{{"statuses":[{{"id":"{id}","status":"{st}","timestamp":"{ts}","recipient_id":"554188887777"{extra}}}]}}"#
        ))
    }

    #[test]
    fn statuses_fold_into_one_outbound_message_whatever_their_order() {
        let lines = [
            status("wamid.O1", "read", 130, ""),
            status(
                "wamid.O1",
                "delivered",
                110,
                r#","biz_opaque_callback_data":"agent=Ana;conv=c1""#,
            ),
            status(
                "wamid.O1",
                "sent",
                100,
                r#","pricing":{"category":"service"}"#,
            ),
            status("wamid.O1", "sent", 100, ""),
            status(
                "wamid.O2",
                "failed",
                200,
                r#","pricing":{"category":"marketing"},"errors":[{"code":131047}]"#,
            ),
        ];
        let forward_text = lines.join("\n");
        let forward = CloudFile {
            file: "a.jsonl".into(),
            parsed: parse(&forward_text),
        };
        let mut reversed = lines.to_vec();
        reversed.reverse();
        let backward_text = reversed.join("\n");
        let backward = CloudFile {
            file: "a.jsonl".into(),
            parsed: parse(&backward_text),
        };
        for f in [forward, backward] {
            let n = normalize_cloud(std::slice::from_ref(&f), "BR");
            let mut msgs = n.messages[0].clone();
            msgs.sort_by_key(|m| m.ts_ms);
            assert_eq!(msgs.len(), 2);
            let o1 = &msgs[0];
            assert_eq!(o1.ts_ms, 100_000, "sent at the first `sent`");
            assert_eq!(o1.class, MessageClass::OutboundHuman);
            assert_eq!(o1.agent(), Some("Ana"));
            assert_eq!(&*o1.person, "tel:+5541988887777", "ninth digit added");
            let meta = o1.cloud().unwrap();
            assert_eq!(meta.delivery.as_deref(), Some("read"));
            let o2 = &msgs[1];
            assert_eq!(o2.class, MessageClass::OutboundTemplate);
            let meta = o2.cloud().unwrap();
            assert_eq!(
                (meta.delivery.as_deref(), meta.error_code),
                (Some("failed"), Some(131_047))
            );
            assert_eq!(n.statuses[0], 5);
        }
    }

    #[test]
    fn inbound_referral_system_change_and_bsuid_links() {
        let lines = [
            wrap(
                r#"{"contacts":[{"wa_id":"554188887777","user_id":"BR.1"}],"messages":[{"from":"554188887777","id":"wamid.I1","timestamp":"100","type":"text","text":{"body":"Oi"},"referral":{"source_id":"AD1","ctwa_clid":"C1"}}]}"#,
            ),
            wrap(
                r#"{"messages":[{"from":"554188887777","id":"wamid.S1","timestamp":"300","type":"system","system":{"body":"User A changed from 554188887777 to 5541977776666","wa_id":"5541977776666","type":"user_changed_number"}}]}"#,
            ),
            wrap(
                r#"{"messages":[{"from_user_id":"BR.9","id":"wamid.B1","timestamp":"400","type":"hologram"}]}"#,
            ),
        ];
        let text = lines.join("\n");
        let f = CloudFile {
            file: "b.jsonl".into(),
            parsed: parse(&text),
        };
        let n = normalize_cloud(&[f], "BR");
        let m = &n.messages[0];
        assert_eq!(m.len(), 3);
        let meta = m[0].cloud().unwrap();
        assert_eq!(meta.source.as_deref(), Some("ad:AD1"));
        assert_eq!(meta.ctwa_clid.as_deref(), Some("C1"));
        assert_eq!(m[0].text.as_deref(), Some("Oi"));
        assert_eq!(m[1].class, MessageClass::System);
        assert_eq!(&*m[2].person, "wa:BR.9");
        assert_eq!(m[2].kind, Kind::Unknown);
        assert_eq!(
            n.links,
            [
                ("wa:BR.1".to_string(), "tel:+5541988887777".to_string()),
                (
                    "tel:+5541988887777".to_string(),
                    "tel:+5541977776666".to_string()
                ),
            ]
        );
        assert_eq!(cloud_message_id("wamid.I1", true), m[0].message_id);
        assert_ne!(
            cloud_message_id("wamid.I1", true),
            cloud_message_id("wamid.I2", true)
        );
        assert_ne!(
            cloud_message_id("wamid.I1", true),
            cloud_message_id("wamid.I1", false)
        );
    }

    #[test]
    fn agents_in_callback_data() {
        assert_eq!(
            agent_from_callback("agent=ana@loja.example;conv=c-001"),
            Some("ana@loja.example")
        );
        assert_eq!(agent_from_callback("conv=1&Agent= Bruno "), Some("Bruno"));
        assert_eq!(agent_from_callback("some data"), None);
        assert_eq!(agent_from_callback("agent="), None);
        assert_eq!(
            callback_field("agent=Ana;template=black_friday", "template"),
            Some("black_friday")
        );
    }
}
