//! Inbox-tool message rows (`sources::messages_csv`) to stored messages (SPEC §3.3, §5.1).
//!
//! The customer is the row's contact phone (normalised like every phone), else the tool's
//! conversation (`conv:<id>`); a row with both links the conversation to the phone, so rows of
//! that conversation without a phone join the same person. Outbound rows are `outbound_auto`
//! when the tool flags a bot or an `[[auto_reply]]` rule matches, else `outbound_human`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::AutoReply;
use crate::model::{CloudMeta, Direction, Extra, Kind, Message, MessageClass};
use crate::normalize::chats::{auto_reply_rule, message_id};
use crate::normalize::cloud::cloud_message_id;
use crate::normalize::identity::{normalize_phone, phone_key};
use crate::sources::messages_csv::InboxRow;

/// What the rows of one file amount to.
#[derive(Debug, Default)]
pub struct NormalizedInbox {
    /// One message per row.
    pub messages: Vec<Message>,
    /// Identity links (alias key, person key).
    pub links: Vec<(String, String)>,
    /// Outbound rows per `[[auto_reply]]` rule (by rule index).
    pub auto_reply_hits: Vec<u64>,
}

/// The person key of a row, and the conversation key it may link.
fn keys(row: &InboxRow, default_country: &str) -> (String, Option<String>) {
    let conv = row.conversation_id.as_deref().map(|c| format!("conv:{c}"));
    let phone = row
        .contact_phone
        .as_deref()
        .and_then(|p| normalize_phone(p, default_country))
        .map(|p| phone_key(&p));
    match (phone, conv) {
        (Some(p), conv) => (p, conv),
        (None, Some(c)) => (c, None),
        // The parser rejects rows with neither; a phone that does not normalise keeps its text.
        (None, None) => (
            format!("tel:{}", row.contact_phone.as_deref().unwrap_or("?")),
            None,
        ),
    }
}

/// Normalises one file's rows.
pub fn normalize_inbox(
    file: &Arc<str>,
    rows: &[InboxRow],
    default_country: &str,
    auto_reply: &[AutoReply],
) -> NormalizedInbox {
    let mut out = NormalizedInbox {
        auto_reply_hits: vec![0; auto_reply.len()],
        ..NormalizedInbox::default()
    };
    let mut occurrences: HashMap<u64, u32> = HashMap::new();
    for row in rows {
        let (person, conv) = keys(row, default_country);
        if let Some(conv) = conv {
            out.links.push((conv, person.clone()));
        }
        let text = row.text.as_deref().unwrap_or("");
        let class = if row.inbound {
            MessageClass::Inbound
        } else if row.bot {
            MessageClass::OutboundAuto
        } else if let Some(rule) = auto_reply_rule(auto_reply, text) {
            out.auto_reply_hits[rule] += 1;
            MessageClass::OutboundAuto
        } else {
            MessageClass::OutboundHuman
        };
        let id = match &row.message_ref {
            Some(r) => cloud_message_id(&format!("inbox|{r}"), row.inbound),
            None => {
                let side = if row.inbound { "in" } else { "out" };
                let base = message_id(&person, row.ts_ms, side, text, 0);
                let n = occurrences.entry(base).or_insert(0);
                let id = message_id(&person, row.ts_ms, side, text, *n);
                *n += 1;
                id
            }
        };
        let cloud = (row.delivery.is_some() || row.error_code.is_some()).then(|| CloudMeta {
            delivery: row.delivery.map(str::to_string),
            error_code: row.error_code,
            ..CloudMeta::default()
        });
        out.messages.push(Message {
            message_id: id,
            person: person.into(),
            ts_ms: row.ts_ms,
            precision_s: 1,
            direction: if row.inbound {
                Direction::In
            } else {
                Direction::Out
            },
            class,
            kind: Kind::Text,
            author: row.author.as_deref().map(Arc::from),
            // Under --no-text, ingest drops bodies after flagging funnel stages.
            text: row.text.as_deref().map(Box::from),
            file: file.clone(),
            line: row.line,
            extra: Extra::of(
                if row.inbound {
                    None
                } else {
                    row.agent.as_deref().map(Arc::from)
                },
                cloud,
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        line: u32,
        inbound: bool,
        phone: Option<&str>,
        conv: Option<&str>,
        text: &str,
    ) -> InboxRow {
        InboxRow {
            conversation_id: conv.map(str::to_string),
            ts_ms: 1_000 * i64::from(line),
            inbound,
            author: None,
            agent: (!inbound).then(|| "Bruno".to_string()),
            contact_phone: phone.map(str::to_string),
            text: Some(text.to_string()),
            bot: false,
            delivery: None,
            error_code: None,
            message_ref: None,
            line,
        }
    }

    #[test]
    fn persons_classes_links_and_repeats() {
        let rules = vec![AutoReply {
            text: None,
            regex: Some(crate::config::Pattern(
                regex::Regex::new("^Olá! Obrigado").unwrap(),
            )),
        }];
        let rows = [
            row(1, true, Some("whatsapp:+554188887777"), Some("77"), "Oi"),
            row(2, false, None, Some("77"), "Olá! Obrigado por escrever"),
            row(3, false, None, Some("77"), "Temos sim"),
            row(3, false, None, Some("77"), "Temos sim"),
        ];
        let n = normalize_inbox(&Arc::from("m.csv"), &rows, "BR", &rules);
        assert_eq!(&*n.messages[0].person, "tel:+5541988887777");
        assert_eq!(&*n.messages[1].person, "conv:77");
        assert_eq!(
            n.links,
            [("conv:77".to_string(), "tel:+5541988887777".to_string())]
        );
        assert_eq!(n.messages[1].class, MessageClass::OutboundAuto);
        assert_eq!(n.auto_reply_hits, [1]);
        assert_eq!(n.messages[2].class, MessageClass::OutboundHuman);
        assert_eq!(n.messages[2].agent(), Some("Bruno"));
        // The same message twice in one file is two messages with two ids.
        assert_ne!(n.messages[2].message_id, n.messages[3].message_id);
        // And the same file again gives the same ids.
        let again = normalize_inbox(&Arc::from("m.csv"), &rows, "BR", &rules);
        assert_eq!(again.messages[3].message_id, n.messages[3].message_id);
    }
}
