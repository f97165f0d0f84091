//! WhatsApp Cloud API webhooks (SPEC §3.2): JSON Lines of raw webhook POST bodies, or
//! `{"received_at": …, "body": {…}}` wrappers (the body may also be a JSON string).
//!
//! Every `entry[]`, `changes[]`, `messages[]`, `statuses[]` and `message_echoes[]` is read, never
//! only the first. Lines are parsed in parallel with borrowed strings; a line that is not JSON, or
//! JSON that is not a webhook body, is a reject naming the line, and the rest of the file is read.
//! This module only reads: statuses are merged into outbound messages in `normalize::cloud`.

use std::borrow::Cow;
use std::fmt;

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// What an inbound or echoed message is (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudKind {
    /// `text`.
    Text,
    /// `image`, `video`, `audio`, `document`, `sticker`.
    Media,
    /// `location`.
    Location,
    /// `contacts`.
    Contact,
    /// `interactive` (button, list or flow reply).
    Interactive,
    /// `button` (template quick reply).
    Button,
    /// `order` (catalog cart).
    Order,
    /// `reaction`.
    Reaction,
    /// `system` (number change, identity change).
    System,
    /// `unsupported`.
    Unsupported,
    /// Any other `type`, kept rather than dropped.
    Unknown,
}

impl CloudKind {
    fn from_type(t: &str) -> CloudKind {
        match t {
            "text" => CloudKind::Text,
            "image" | "video" | "audio" | "document" | "sticker" | "voice" => CloudKind::Media,
            "location" => CloudKind::Location,
            "contacts" => CloudKind::Contact,
            "interactive" => CloudKind::Interactive,
            "button" => CloudKind::Button,
            "order" => CloudKind::Order,
            "reaction" => CloudKind::Reaction,
            "system" => CloudKind::System,
            "unsupported" => CloudKind::Unsupported,
            _ => CloudKind::Unknown,
        }
    }
}

/// A delivery status, ordered by how far the message got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Delivery {
    /// Accepted by WhatsApp.
    Sent,
    /// On the phone.
    Delivered,
    /// Read (or a voice message played).
    Read,
    /// Not delivered; the furthest state for a message that failed.
    Failed,
}

impl Delivery {
    fn from_status(s: &str) -> Option<Delivery> {
        match s {
            "sent" | "accepted" => Some(Delivery::Sent),
            "delivered" => Some(Delivery::Delivered),
            "read" | "played" => Some(Delivery::Read),
            "failed" | "undelivered" => Some(Delivery::Failed),
            _ => None,
        }
    }

    /// `sent`, `delivered`, `read`, `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Sent => "sent",
            Delivery::Delivered => "delivered",
            Delivery::Read => "read",
            Delivery::Failed => "failed",
        }
    }
}

/// A click-to-WhatsApp ad referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral<'a> {
    /// The ad (or post) id.
    pub source_id: Str<'a>,
    /// `ad` or `post`.
    pub source_type: Option<Str<'a>>,
    /// The ad's headline.
    pub headline: Option<Str<'a>>,
    /// The click id for Meta's Conversions API.
    pub ctwa_clid: Option<Str<'a>>,
}

/// A message written by the customer (`value.messages[]`). Strings borrow from the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbound<'a> {
    /// `wamid.…`
    pub wamid: Str<'a>,
    /// The sender's wa_id (digits), absent for business-scoped-id-only users.
    pub from: Option<Str<'a>>,
    /// The sender's business-scoped user id (`BR.123…`).
    pub from_user_id: Option<Str<'a>>,
    /// Unix seconds.
    pub ts_s: i64,
    /// The `type`.
    pub kind: CloudKind,
    /// The `type` as written, for types this version does not know.
    pub unknown_type: Option<Str<'a>>,
    /// Body, caption, reply title, order note or emoji.
    pub text: Option<Str<'a>>,
    /// The ad click this message came from.
    pub referral: Option<Box<Referral<'a>>>,
    /// `system.type` and `system.wa_id` (the new number of a `user_changed_number`). Boxed with
    /// the referral: both are rare, and every event is as large as the largest.
    pub system: Option<Box<(Str<'a>, Option<Str<'a>>)>>,
    /// 1-based line.
    pub line: u32,
}

/// One status webhook of a business-sent message (`value.statuses[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Status<'a> {
    /// The outbound message's `wamid`.
    pub wamid: Str<'a>,
    /// The recipient's wa_id.
    pub recipient: Option<Str<'a>>,
    /// The recipient's business-scoped user id.
    pub recipient_user_id: Option<Str<'a>>,
    /// Unix seconds of this status.
    pub ts_s: i64,
    /// How far it got.
    pub delivery: Delivery,
    /// `biz_opaque_callback_data`, as sent.
    pub callback: Option<Str<'a>>,
    /// `pricing.category` (or `conversation.origin.type`).
    pub category: Option<Str<'a>>,
    /// `errors[0].code` of a failure.
    pub error_code: Option<i32>,
    /// 1-based line.
    pub line: u32,
}

/// A message typed in the WhatsApp Business app on the same number (`message_echoes[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Echo<'a> {
    /// `wamid.…`
    pub wamid: Str<'a>,
    /// The customer's wa_id.
    pub to: Option<Str<'a>>,
    /// The customer's business-scoped user id.
    pub to_user_id: Option<Str<'a>>,
    /// Unix seconds.
    pub ts_s: i64,
    /// The `type`.
    pub kind: CloudKind,
    /// The text, when there is one.
    pub text: Option<Str<'a>>,
    /// 1-based line.
    pub line: u32,
}

/// Everything read from one line, in payload order.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// A customer message.
    Inbound(Inbound<'a>),
    /// A status of a business message.
    Status(Status<'a>),
    /// A Business-app echo.
    Echo(Echo<'a>),
    /// A contact carrying both a wa_id and a business-scoped id: the two name one person.
    Contact {
        /// wa_id digits.
        wa_id: Str<'a>,
        /// Business-scoped user id.
        user_id: Str<'a>,
    },
}

fn owned(s: Str<'_>) -> Str<'static> {
    Cow::Owned(s.into_owned())
}

fn owned_opt(s: Option<Str<'_>>) -> Option<Str<'static>> {
    s.map(owned)
}

impl Event<'_> {
    /// The same event with every string owned.
    pub fn into_owned(self) -> Event<'static> {
        match self {
            Event::Inbound(m) => Event::Inbound(Inbound {
                wamid: owned(m.wamid),
                from: owned_opt(m.from),
                from_user_id: owned_opt(m.from_user_id),
                ts_s: m.ts_s,
                kind: m.kind,
                unknown_type: owned_opt(m.unknown_type),
                text: owned_opt(m.text),
                referral: m.referral.map(|r| {
                    let r = *r;
                    Box::new(Referral {
                        source_id: owned(r.source_id),
                        source_type: owned_opt(r.source_type),
                        headline: owned_opt(r.headline),
                        ctwa_clid: owned_opt(r.ctwa_clid),
                    })
                }),
                system: m.system.map(|s| {
                    let (k, w) = *s;
                    Box::new((owned(k), owned_opt(w)))
                }),
                line: m.line,
            }),
            Event::Status(s) => Event::Status(Status {
                wamid: owned(s.wamid),
                recipient: owned_opt(s.recipient),
                recipient_user_id: owned_opt(s.recipient_user_id),
                callback: owned_opt(s.callback),
                category: owned_opt(s.category),
                ..s
            }),
            Event::Echo(e) => Event::Echo(Echo {
                wamid: owned(e.wamid),
                to: owned_opt(e.to),
                to_user_id: owned_opt(e.to_user_id),
                text: owned_opt(e.text),
                ..e
            }),
            Event::Contact { wa_id, user_id } => Event::Contact {
                wa_id: owned(wa_id),
                user_id: owned(user_id),
            },
        }
    }
}

impl<'a> Parsed<'a> {
    /// Every event, in file order.
    pub fn events(&self) -> impl Iterator<Item = &Event<'a>> {
        self.pieces.iter().flatten()
    }

    /// How many events were read.
    pub fn event_count(&self) -> usize {
        self.pieces.iter().map(Vec::len).sum()
    }
}

/// A line that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineReject {
    /// 1-based line.
    pub line: u32,
    /// Why.
    pub reason: String,
    /// The start of the line.
    pub excerpt: String,
}

/// The result of reading one file; strings borrow from its text.
#[derive(Debug, Clone, Default)]
pub struct Parsed<'a> {
    /// Events in file order, in the pieces they were read in (parsed in parallel, never copied
    /// into one vector).
    pub pieces: Vec<Vec<Event<'a>>>,
    /// Lines that were not webhook bodies.
    pub rejects: Vec<LineReject>,
    /// Non-blank lines read.
    pub lines: u64,
    /// Items that are not messages: echoes of edits and deletions (`edit`, `revoke`), statuses
    /// that say nothing about delivery (`deleted`, `warning`).
    pub ignored: u64,
}

// ---- serde shapes (borrowed where the JSON has no escapes)

/// Unix seconds written as a string (Meta's form) or a number.
#[derive(Debug, Clone, Copy)]
struct Ts(i64);

impl<'de> Deserialize<'de> for Ts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Ts;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("Unix seconds as a string or a number")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Ts, E> {
                s.trim()
                    .parse::<i64>()
                    .map(Ts)
                    .map_err(|_| E::custom(format!("timestamp `{s}` is not Unix seconds")))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Ts, E> {
                Ok(Ts(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Ts, E> {
                i64::try_from(n)
                    .map(Ts)
                    .map_err(|_| E::custom("timestamp out of range"))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Ts, E> {
                Ok(Ts(n as i64))
            }
        }
        d.deserialize_any(V)
    }
}

/// A string of the input: borrowed unless the JSON escaped something in it.
pub type Str<'a> = Cow<'a, str>;

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    entry: Option<Vec<Entry<'a>>>,
}

/// A line: an envelope, or a wrapper whose `body` is one (as an object or a JSON string).
#[derive(Deserialize)]
struct LineShape<'a> {
    #[serde(borrow, default)]
    entry: Option<Vec<Entry<'a>>>,
    #[serde(borrow, default)]
    body: Option<Body<'a>>,
}

enum Body<'a> {
    Envelope(Envelope<'a>),
    Text(String),
}

impl<'de: 'a, 'a> Deserialize<'de> for Body<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Body<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a webhook body (object or JSON string)")
            }
            fn visit_map<M: MapAccess<'de>>(self, m: M) -> Result<Body<'a>, M::Error> {
                Envelope::deserialize(de::value::MapAccessDeserializer::new(m)).map(Body::Envelope)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Body<'a>, E> {
                Ok(Body::Text(s.to_string()))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow, default)]
    changes: Vec<Change<'a>>,
}

#[derive(Deserialize)]
struct Change<'a> {
    #[serde(borrow, default)]
    value: Option<ChangeValue<'a>>,
}

#[derive(Deserialize)]
struct ChangeValue<'a> {
    #[serde(borrow, default)]
    contacts: Vec<Contact<'a>>,
    #[serde(borrow, default)]
    messages: Vec<Message<'a>>,
    #[serde(borrow, default)]
    statuses: Vec<StatusShape<'a>>,
    #[serde(borrow, default)]
    message_echoes: Vec<EchoShape<'a>>,
}

#[derive(Deserialize)]
struct Contact<'a> {
    #[serde(borrow, default)]
    wa_id: Option<Str<'a>>,
    #[serde(borrow, default)]
    user_id: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Body1<'a> {
    #[serde(borrow, default)]
    body: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Caption<'a> {
    #[serde(borrow, default)]
    caption: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Titled<'a> {
    #[serde(borrow, default)]
    title: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Interactive<'a> {
    #[serde(borrow, default)]
    button_reply: Option<Titled<'a>>,
    #[serde(borrow, default)]
    list_reply: Option<Titled<'a>>,
    #[serde(borrow, default)]
    nfm_reply: Option<Body1<'a>>,
}

#[derive(Deserialize)]
struct Button<'a> {
    #[serde(borrow, default)]
    text: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct OrderShape<'a> {
    #[serde(borrow, default)]
    text: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Reaction<'a> {
    #[serde(borrow, default)]
    emoji: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct SystemShape<'a> {
    #[serde(borrow, default)]
    body: Option<Str<'a>>,
    #[serde(borrow, default)]
    wa_id: Option<Str<'a>>,
    #[serde(borrow, default, rename = "type")]
    kind: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct ReferralShape<'a> {
    #[serde(borrow, default)]
    source_id: Option<Str<'a>>,
    #[serde(borrow, default)]
    source_type: Option<Str<'a>>,
    #[serde(borrow, default)]
    headline: Option<Str<'a>>,
    #[serde(borrow, default)]
    ctwa_clid: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Message<'a> {
    #[serde(borrow, default)]
    from: Option<Str<'a>>,
    #[serde(borrow, default)]
    from_user_id: Option<Str<'a>>,
    #[serde(borrow, default)]
    id: Option<Str<'a>>,
    #[serde(default)]
    timestamp: Option<Ts>,
    #[serde(borrow, default, rename = "type")]
    kind: Option<Str<'a>>,
    #[serde(borrow, default)]
    text: Option<Body1<'a>>,
    #[serde(borrow, default)]
    image: Option<Caption<'a>>,
    #[serde(borrow, default)]
    video: Option<Caption<'a>>,
    #[serde(borrow, default)]
    document: Option<Caption<'a>>,
    #[serde(borrow, default)]
    interactive: Option<Interactive<'a>>,
    #[serde(borrow, default)]
    button: Option<Button<'a>>,
    #[serde(borrow, default)]
    order: Option<OrderShape<'a>>,
    #[serde(borrow, default)]
    reaction: Option<Reaction<'a>>,
    #[serde(borrow, default)]
    system: Option<SystemShape<'a>>,
    #[serde(borrow, default)]
    referral: Option<ReferralShape<'a>>,
}

#[derive(Deserialize)]
struct Pricing<'a> {
    #[serde(borrow, default)]
    category: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Origin<'a> {
    #[serde(borrow, default, rename = "type")]
    kind: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Conversation<'a> {
    #[serde(borrow, default)]
    origin: Option<Origin<'a>>,
}

#[derive(Deserialize)]
struct ErrorShape {
    #[serde(default)]
    code: Option<i64>,
}

#[derive(Deserialize)]
struct StatusShape<'a> {
    #[serde(borrow, default)]
    id: Option<Str<'a>>,
    #[serde(borrow, default)]
    status: Option<Str<'a>>,
    #[serde(default)]
    timestamp: Option<Ts>,
    #[serde(borrow, default)]
    recipient_id: Option<Str<'a>>,
    #[serde(borrow, default)]
    recipient_user_id: Option<Str<'a>>,
    #[serde(borrow, default)]
    biz_opaque_callback_data: Option<Str<'a>>,
    #[serde(borrow, default)]
    pricing: Option<Pricing<'a>>,
    #[serde(borrow, default)]
    conversation: Option<Conversation<'a>>,
    #[serde(default)]
    errors: Vec<ErrorShape>,
}

#[derive(Deserialize)]
struct EchoShape<'a> {
    #[serde(borrow, default)]
    to: Option<Str<'a>>,
    #[serde(borrow, default)]
    to_user_id: Option<Str<'a>>,
    #[serde(borrow, default)]
    id: Option<Str<'a>>,
    #[serde(default)]
    timestamp: Option<Ts>,
    #[serde(borrow, default, rename = "type")]
    kind: Option<Str<'a>>,
    #[serde(borrow, default)]
    text: Option<Body1<'a>>,
}

/// A value, unless it is blank.
fn own<'a>(s: Option<Str<'a>>) -> Option<Str<'a>> {
    s.filter(|s| !s.trim().is_empty())
}

fn text_of<'a>(m: &mut Message<'a>) -> Option<Str<'a>> {
    if let Some(t) = m.text.take().and_then(|t| t.body) {
        return Some(t);
    }
    for media in [m.image.take(), m.video.take(), m.document.take()]
        .into_iter()
        .flatten()
    {
        if let Some(c) = media.caption {
            return Some(c);
        }
    }
    if let Some(i) = m.interactive.take() {
        return i
            .button_reply
            .and_then(|b| b.title)
            .or_else(|| i.list_reply.and_then(|l| l.title))
            .or_else(|| i.nfm_reply.and_then(|n| n.body));
    }
    if let Some(b) = m.button.take().and_then(|b| b.text) {
        return Some(b);
    }
    if let Some(o) = m.order.take().and_then(|o| o.text) {
        return Some(o).filter(|t| !t.is_empty());
    }
    if let Some(r) = m.reaction.take().and_then(|r| r.emoji) {
        return Some(r);
    }
    m.system.as_ref().and_then(|s| s.body.clone())
}

/// Reads one line's events; Err is the reason the line is a reject.
fn parse_line<'a>(
    line_no: u32,
    line: &'a str,
    out: &mut Vec<Event<'a>>,
    ignored: &mut u64,
) -> Result<(), String> {
    let shape: LineShape<'a> = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let entries = match (shape.entry, shape.body) {
        (Some(e), _) => e,
        (None, Some(Body::Envelope(env))) => env.entry.ok_or_else(no_entry)?,
        (None, Some(Body::Text(t))) => {
            // A body logged as a JSON string: its events own their strings.
            let env: Envelope<'_> = serde_json::from_str(&t)
                .map_err(|e| format!("`body` is a string that is not JSON: {e}"))?;
            let mut inner = Vec::new();
            events_of(
                line_no,
                env.entry.ok_or_else(no_entry)?,
                &mut inner,
                ignored,
            )?;
            out.extend(inner.into_iter().map(|e| -> Event<'a> { e.into_owned() }));
            return Ok(());
        }
        (None, None) => return Err(no_entry()),
    };
    events_of(line_no, entries, out, ignored)
}

/// The events of a body's `entry` array.
fn events_of<'a>(
    line_no: u32,
    entries: Vec<Entry<'a>>,
    out: &mut Vec<Event<'a>>,
    ignored: &mut u64,
) -> Result<(), String> {
    for entry in entries {
        for change in entry.changes {
            let Some(value) = change.value else {
                continue;
            };
            for c in value.contacts {
                if let (Some(wa), Some(user)) = (own(c.wa_id), own(c.user_id)) {
                    out.push(Event::Contact {
                        wa_id: wa,
                        user_id: user,
                    });
                }
            }
            for mut m in value.messages {
                let (Some(id), Some(ts)) = (own(m.id.take()), m.timestamp) else {
                    return Err("a message without `id` or `timestamp`".into());
                };
                let type_name = m.kind.take().unwrap_or_default();
                let kind = CloudKind::from_type(&type_name);
                let text = text_of(&mut m);
                let referral = m.referral.take().and_then(|r| {
                    Some(Box::new(Referral {
                        source_id: own(r.source_id)?,
                        source_type: own(r.source_type),
                        headline: own(r.headline),
                        ctwa_clid: own(r.ctwa_clid),
                    }))
                });
                let system = m
                    .system
                    .take()
                    .map(|s| Box::new((own(s.kind).unwrap_or_default(), own(s.wa_id))));
                out.push(Event::Inbound(Inbound {
                    wamid: id,
                    from: own(m.from),
                    from_user_id: own(m.from_user_id),
                    ts_s: ts.0,
                    kind,
                    unknown_type: (kind == CloudKind::Unknown).then_some(type_name),
                    text,
                    referral,
                    system,
                    line: line_no,
                }));
            }
            for s in value.statuses {
                let (Some(id), Some(ts), Some(status)) = (own(s.id), s.timestamp, s.status) else {
                    return Err("a status without `id`, `timestamp` or `status`".into());
                };
                let Some(delivery) = Delivery::from_status(&status) else {
                    // `deleted`, `warning`…: nothing about delivery.
                    *ignored += 1;
                    continue;
                };
                out.push(Event::Status(Status {
                    wamid: id,
                    recipient: own(s.recipient_id),
                    recipient_user_id: own(s.recipient_user_id),
                    ts_s: ts.0,
                    delivery,
                    callback: own(s.biz_opaque_callback_data),
                    category: s.pricing.and_then(|p| own(p.category)).or_else(|| {
                        s.conversation
                            .and_then(|c| c.origin)
                            .and_then(|o| own(o.kind))
                    }),
                    error_code: s
                        .errors
                        .first()
                        .and_then(|e| e.code)
                        .and_then(|c| i32::try_from(c).ok()),
                    line: line_no,
                }));
            }
            for e in value.message_echoes {
                let (Some(id), Some(ts)) = (own(e.id), e.timestamp) else {
                    return Err("an echo without `id` or `timestamp`".into());
                };
                let type_name = e.kind.unwrap_or_default();
                if matches!(&*type_name, "edit" | "revoke") {
                    // Changes to an earlier message, not a new one.
                    *ignored += 1;
                    continue;
                }
                out.push(Event::Echo(Echo {
                    wamid: id,
                    to: own(e.to),
                    to_user_id: own(e.to_user_id),
                    ts_s: ts.0,
                    kind: CloudKind::from_type(&type_name),
                    text: e.text.and_then(|t| t.body),
                    line: line_no,
                }));
            }
        }
    }
    Ok(())
}

fn no_entry() -> String {
    "JSON but not a WhatsApp Cloud API webhook body (no `entry` array)".into()
}

/// Reads a whole JSON Lines file. The text is cut at line ends into pieces of a few MB that are
/// parsed in parallel, each numbering its lines from 1; the numbers are then shifted by the line
/// ends before each piece. Events keep file order and borrow from `text`.
pub fn parse(text: &str) -> Parsed<'_> {
    let bytes = text.as_bytes();
    let pieces = super::input::pieces_at_line_ends(bytes, 4 << 20);
    // Per piece: what it read (lines numbered within the piece) and its line ends.
    let mut chunks: Vec<(Parsed<'_>, u32)> = pieces
        .par_iter()
        .map(|&(a, b)| {
            let mut out = Parsed::default();
            let mut events = Vec::new();
            let mut start = a;
            let mut no = 0u32;
            let ends = memchr::memchr_iter(b'\n', &bytes[a..b]).map(|i| a + i);
            // Pieces start and end at line boundaries, so each line is a valid UTF-8 slice.
            for end in ends.chain((b > a && bytes[b - 1] != b'\n').then_some(b)) {
                no += 1;
                let raw = &text[start..end];
                start = end + 1;
                let line = raw.trim_end_matches('\r');
                if line.trim().is_empty() {
                    continue;
                }
                out.lines += 1;
                let line = line.trim_start_matches('\u{feff}');
                let before = events.len();
                let mut ignored = 0;
                match parse_line(no, line, &mut events, &mut ignored) {
                    Ok(()) => out.ignored += ignored,
                    Err(reason) => {
                        // Events a bad line yielded before it failed are not kept.
                        events.truncate(before);
                        out.rejects.push(LineReject {
                            line: no,
                            reason,
                            excerpt: line.chars().take(120).collect(),
                        });
                    }
                }
            }
            out.pieces.push(events);
            // Every line read ended with a line end but an unterminated last one.
            let newlines = no - u32::from(b > a && bytes[b - 1] != b'\n');
            (out, newlines)
        })
        .collect();
    let mut before = 0u32;
    let shifts: Vec<u32> = chunks
        .iter()
        .map(|(_, newlines)| {
            let shift = before;
            before = before.saturating_add(*newlines);
            shift
        })
        .collect();
    chunks
        .par_iter_mut()
        .zip(shifts)
        .filter(|(_, shift)| *shift > 0)
        .for_each(|((chunk, _), shift)| {
            for e in chunk.pieces.iter_mut().flatten() {
                match e {
                    Event::Inbound(m) => m.line += shift,
                    Event::Status(s) => s.line += shift,
                    Event::Echo(e) => e.line += shift,
                    Event::Contact { .. } => {}
                }
            }
            for r in &mut chunk.rejects {
                r.line += shift;
            }
        });
    let mut out = Parsed {
        pieces: Vec::with_capacity(chunks.len()),
        ..Parsed::default()
    };
    for (c, _) in chunks {
        out.pieces.extend(c.pieces);
        out.rejects.extend(c.rejects);
        out.ignored += c.ignored;
        out.lines += c.lines;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const INBOUND: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"5541999990000","phone_number_id":"2"},"contacts":[{"profile":{"name":"Cliente"},"wa_id":"554188887777","user_id":"BR.123"}],"messages":[{"referral":{"source_id":"120200000000000001","source_type":"ad","headline":"Frete grátis","ctwa_clid":"CLID1"},"from":"554188887777","id":"wamid.IN1","timestamp":"1741615200","type":"text","text":{"body":"Oi! Vi o anúncio"}},{"from":"554188887777","id":"wamid.IN2","timestamp":1741615260,"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"buy","title":"Quero comprar"}}}]},"field":"messages"}]}]}"#;

    #[test]
    fn inbound_messages_contacts_and_referrals() {
        let p = parse(INBOUND);
        assert!(p.rejects.is_empty(), "{:?}", p.rejects);
        assert_eq!(p.event_count(), 3);
        assert_eq!(
            *p.events().collect::<Vec<_>>()[0],
            Event::Contact {
                wa_id: "554188887777".into(),
                user_id: "BR.123".into()
            }
        );
        let Event::Inbound(m) = &p.events().collect::<Vec<_>>()[1] else {
            panic!("{:?}", p.events().collect::<Vec<_>>()[1])
        };
        assert_eq!(m.wamid, "wamid.IN1");
        assert_eq!(m.ts_s, 1_741_615_200);
        assert_eq!(m.text.as_deref(), Some("Oi! Vi o anúncio"));
        let r = m.referral.as_ref().unwrap();
        assert_eq!(r.source_id, "120200000000000001");
        assert_eq!(r.ctwa_clid.as_deref(), Some("CLID1"));
        let Event::Inbound(m) = &p.events().collect::<Vec<_>>()[2] else {
            panic!()
        };
        // A numeric timestamp, and the reply button's title as text.
        assert_eq!(m.ts_s, 1_741_615_260);
        assert_eq!(m.kind, CloudKind::Interactive);
        assert_eq!(m.text.as_deref(), Some("Quero comprar"));
    }

    #[test]
    fn statuses_echoes_wrappers_and_rejects() {
        let status = r#"{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"statuses":[{"id":"wamid.OUT1","status":"failed","timestamp":"1742047200","recipient_id":"554188887777","biz_opaque_callback_data":"agent=Ana;conv=1","pricing":{"category":"marketing"},"errors":[{"code":131047,"title":"Re-engagement message"}]}]},"field":"messages"}]}]}"#;
        let wrapped = format!(r#"{{"received_at":"2025-03-10T14:00:00Z","body":{status}}}"#);
        let as_string = format!(
            r#"{{"received_at":"2025-03-10T14:00:00Z","body":{}}}"#,
            serde_json::to_string(status).unwrap()
        );
        let echo = r#"{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"message_echoes":[{"from":"5541999990000","to":"554188887777","id":"wamid.E1","timestamp":"1741615300","type":"text","text":{"body":"Olá!"}}]},"field":"smb_message_echoes"}]}]}"#;
        let text = [
            status,
            &wrapped,
            "",
            &as_string,
            echo,
            "not json",
            r#"{"hello":"world"}"#,
        ]
        .join("\n");
        let p = parse(&text);
        assert_eq!(p.lines, 6);
        assert_eq!(p.event_count(), 4);
        for e in &p.events().collect::<Vec<_>>()[..3] {
            let Event::Status(s) = e else { panic!("{e:?}") };
            assert_eq!(s.delivery, Delivery::Failed);
            assert_eq!(s.error_code, Some(131_047));
            assert_eq!(s.callback.as_deref(), Some("agent=Ana;conv=1"));
            assert_eq!(s.category.as_deref(), Some("marketing"));
        }
        let Event::Echo(e) = &p.events().collect::<Vec<_>>()[3] else {
            panic!()
        };
        assert_eq!(e.to.as_deref(), Some("554188887777"));
        assert_eq!(e.text.as_deref(), Some("Olá!"));
        assert_eq!(p.rejects.len(), 2);
        assert_eq!(p.rejects[0].line, 6);
        assert!(p.rejects[0].reason.starts_with("not JSON"));
        assert_eq!(p.rejects[1].line, 7);
        assert!(p.rejects[1].reason.contains("no `entry` array"));
    }

    #[test]
    fn line_numbers_hold_across_pieces() {
        // About 9 MB: three pieces, with a bad line in the last one.
        let good = r#"{"entry":[{"changes":[{"value":{"statuses":[{"id":"x","status":"sent","timestamp":"1","recipient_id":"5541988887777"}]}}]}]}"#;
        let n = 9_000_000 / good.len();
        let mut lines: Vec<&str> = vec![good; n];
        lines[n - 3] = "oops";
        lines[1] = "";
        let text = lines.join("\r\n");
        let p = parse(&text);
        assert_eq!(p.lines as usize, n - 1);
        assert_eq!(p.event_count(), n - 2);
        assert_eq!(p.rejects.len(), 1);
        assert_eq!(p.rejects[0].line as usize, n - 2);
        let Event::Status(last) = p.events().last().unwrap() else {
            panic!()
        };
        assert_eq!(last.line as usize, n);
    }

    #[test]
    fn every_batched_item_is_read_and_unknown_types_kept() {
        let two = r#"{"entry":[{"changes":[{"value":{"messages":[{"from":"1","id":"a","timestamp":"1","type":"text","text":{"body":"x"}}]}},{"value":{"messages":[{"from":"2","id":"b","timestamp":"2","type":"hologram"}]}}]},{"changes":[{"value":{"statuses":[{"id":"c","status":"sent","timestamp":"3","recipient_id":"1"},{"id":"c","status":"read","timestamp":"4","recipient_id":"1"}]}}]}]}"#;
        let p = parse(two);
        assert_eq!(p.event_count(), 4);
        let Event::Inbound(m) = &p.events().collect::<Vec<_>>()[1] else {
            panic!()
        };
        assert_eq!(m.kind, CloudKind::Unknown);
        assert_eq!(m.unknown_type.as_deref(), Some("hologram"));
    }
}
