//! The normalised records every pipeline stage passes along: messages and their classes.

use std::sync::Arc;

use serde::Serialize;

/// Who a message came from, seen from the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Written by the customer.
    In,
    /// Written by the business (a person, a bot or a template send).
    Out,
    /// Written by no participant (encryption notice, group events…).
    System,
}

impl Direction {
    /// The store's spelling (`in`, `out`, `system`).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
            Direction::System => "system",
        }
    }
}

/// Exactly one class per message (SPEC §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageClass {
    /// The customer wrote it.
    Inbound,
    /// A person at the business wrote it: the only class that answers a customer.
    OutboundHuman,
    /// A greeting/away message or bot (source metadata or `[[auto_reply]]` rules).
    OutboundAuto,
    /// A template send (Cloud API marketing/utility).
    OutboundTemplate,
    /// No participant wrote it.
    System,
}

impl MessageClass {
    /// Every class, in the order reports list them.
    pub const ALL: [MessageClass; 5] = [
        MessageClass::Inbound,
        MessageClass::OutboundHuman,
        MessageClass::OutboundAuto,
        MessageClass::OutboundTemplate,
        MessageClass::System,
    ];

    /// The store's spelling (`inbound`, `outbound_human`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            MessageClass::Inbound => "inbound",
            MessageClass::OutboundHuman => "outbound_human",
            MessageClass::OutboundAuto => "outbound_auto",
            MessageClass::OutboundTemplate => "outbound_template",
            MessageClass::System => "system",
        }
    }
}

/// What a message is, independent of who sent it (SPEC §3.1, §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Plain text (possibly empty).
    Text,
    /// A photo, video, audio, sticker, document… (`<Media omitted>`, `(file attached)`, `<attached: …>`).
    Media,
    /// "This message was deleted" and its translations.
    Deleted,
    /// A missed or completed voice/video call line.
    Call,
    /// A shared location (`location: https://maps…`, live location).
    Location,
    /// An Android poll (`POLL:` with `OPTION:` lines).
    Poll,
    /// A contact card (`.vcf (file attached)`, `Contact card omitted`).
    Contact,
    /// A line no participant wrote: encryption notice, group events, security-code and number changes.
    System,
    /// A Cloud API reply button, list choice or flow answer (`interactive`).
    Interactive,
    /// A Cloud API template quick-reply (`button`).
    Button,
    /// A catalog cart sent from WhatsApp (`order`).
    Order,
    /// A reaction emoji.
    Reaction,
    /// A message WhatsApp could not pass on (`unsupported`).
    Unsupported,
    /// Any other Cloud API type, or a business send known only by its delivery statuses.
    Unknown,
}

impl Kind {
    /// The store's spelling (`text`, `media`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Media => "media",
            Kind::Deleted => "deleted",
            Kind::Call => "call",
            Kind::Location => "location",
            Kind::Poll => "poll",
            Kind::Contact => "contact",
            Kind::System => "system",
            Kind::Interactive => "interactive",
            Kind::Button => "button",
            Kind::Order => "order",
            Kind::Reaction => "reaction",
            Kind::Unsupported => "unsupported",
            Kind::Unknown => "unknown",
        }
    }
}

/// One normalised message, as stored in `messages.parquet` (SPEC §4).
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Stable 64-bit id (stored as 16 hex digits); see `normalize::chats::message_id`.
    pub message_id: u64,
    /// Person key of the customer this conversation is with (`tel:+55…`, `name:…`).
    pub person: Arc<str>,
    /// Instant in UTC, milliseconds since the Unix epoch.
    pub ts_ms: i64,
    /// Precision of `ts` in seconds (60 for minute-only exports, 1 otherwise).
    pub precision_s: i32,
    /// in, out or system.
    pub direction: Direction,
    /// Exactly one class (SPEC §5.1).
    pub class: MessageClass,
    /// text, media, deleted, call, …
    pub kind: Kind,
    /// Display name of the sender as the source shows it (None for authorless system lines).
    pub author: Option<Arc<str>>,
    /// Body with newlines kept; None with `--no-text`.
    pub text: Option<Box<str>>,
    /// The input file, as given to ingest.
    pub file: Arc<str>,
    /// 1-based line of the message's first line in that file.
    pub line: u32,
    /// Agent, funnel stages and Cloud API metadata: one pointer, as most messages have none of
    /// them (a million messages are held at once while an export is ingested).
    pub extra: Option<Box<Extra>>,
}

impl Message {
    /// The agent who wrote a business message, when known (`agent_pattern`, callback data).
    pub fn agent(&self) -> Option<&str> {
        self.extra.as_ref()?.agent.as_deref()
    }

    /// Funnel stages flagged at ingest (see [`Extra::stages`]).
    pub fn stages(&self) -> Option<&str> {
        self.extra.as_ref()?.stages.as_deref()
    }

    /// Cloud API metadata; None for text exports.
    pub fn cloud(&self) -> Option<&CloudMeta> {
        self.extra.as_ref()?.cloud.as_deref()
    }

    /// The extra fields, created empty when the message has none yet.
    pub fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_default()
    }
}

/// What few messages carry besides the common fields (see [`Message::extra`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extra {
    /// The agent who wrote a business message, when known (`agent_pattern`, callback data);
    /// shared: a business has a few agents.
    pub agent: Option<Arc<str>>,
    /// Funnel stages whose text rule matched the body at ingest (`quote`, comma-separated): the
    /// funnel still works on stores ingested with `--no-text`.
    pub stages: Option<Box<str>>,
    /// Cloud API metadata; None for text exports (boxed: signed chat messages have none).
    pub cloud: Option<Box<CloudMeta>>,
}

impl Extra {
    /// The extra fields of a message; None when it has none of them.
    pub fn of(agent: Option<Arc<str>>, cloud: Option<CloudMeta>) -> Option<Box<Extra>> {
        (agent.is_some() || cloud.is_some()).then(|| {
            Box::new(Extra {
                agent,
                stages: None,
                cloud: cloud.map(Box::new),
            })
        })
    }
}

/// What only Cloud API messages carry (SPEC §4 columns `source` … `error_code`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CloudMeta {
    /// `ad:<id>` / `template:<name>`.
    pub source: Option<String>,
    /// Click-to-WhatsApp click id.
    pub ctwa_clid: Option<String>,
    /// Delivery status (sent|delivered|read|failed).
    pub delivery: Option<String>,
    /// Error code of a failed send.
    pub error_code: Option<i32>,
}

/// Hasher for message ids. Ids are already the leading bits of a SHA-256, so a keyed multiply
/// spreads them well; SipHash (the std default) made dedupe and repeat numbering slow.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are expected; anything else still hashes, byte by byte.
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let x = u128::from(self.0 ^ n) * 0x9E37_79B9_7F4A_7C15;
        self.0 = (x as u64) ^ ((x >> 64) as u64);
    }
}

/// Builds [`IdHasher`]s seeded per process, so hash layouts cannot be predicted from the input.
#[derive(Debug, Clone, Copy)]
pub struct IdHashState(u64);

impl Default for IdHashState {
    fn default() -> Self {
        use std::hash::{BuildHasher, RandomState};
        IdHashState(RandomState::new().hash_one(0u64) | 1)
    }
}

impl std::hash::BuildHasher for IdHashState {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(self.0)
    }
}

/// A set of message ids.
pub type IdSet = std::collections::HashSet<u64, IdHashState>;
/// A map keyed by message id.
pub type IdMap<V> = std::collections::HashMap<u64, V, IdHashState>;

/// Message ids cut into shards by their top bits, one shard a thread: work on the ids of one
/// shard (all repeats of an id among them, in order) can run beside the other shards'.
#[derive(Debug, Clone, Copy)]
pub struct IdShards {
    count: usize,
    /// `64 - log2(count)`: an id's shard is its top bits.
    shift: u32,
}

impl IdShards {
    /// As many shards as rayon has threads, rounded up to a power of two.
    pub fn for_threads() -> IdShards {
        let count = rayon::current_num_threads().next_power_of_two();
        IdShards {
            count,
            shift: 64 - count.trailing_zeros(),
        }
    }

    /// How many shards there are.
    pub fn count(self) -> usize {
        self.count
    }

    /// The shard of an id.
    pub fn of(self, id: u64) -> usize {
        // One shard: a shift by 64 (None) puts every id in shard 0.
        id.checked_shr(self.shift).unwrap_or(0) as usize
    }
}

/// A set of message ids in [`IdShards`], so that many ids are added in parallel (one shard a
/// thread) and still in order: every id of a shard is added by one thread.
#[derive(Debug)]
pub struct ShardedIdSet {
    shards: Vec<IdSet>,
    cut: IdShards,
}

impl ShardedIdSet {
    /// The ids `stored`, in as many shards as there are threads, each with room for
    /// `more / shards` further ids.
    pub fn new(stored: Vec<u64>, more: usize) -> ShardedIdSet {
        let cut = IdShards::for_threads();
        let room = (stored.len() + more) / cut.count() + 1;
        let mut out = ShardedIdSet {
            shards: (0..cut.count())
                .map(|_| IdSet::with_capacity_and_hasher(room, IdHashState::default()))
                .collect(),
            cut,
        };
        for id in stored {
            out.insert(id);
        }
        out
    }

    /// Adds an id; true when it was not there.
    pub fn insert(&mut self, id: u64) -> bool {
        self.shards[self.cut.of(id)].insert(id)
    }

    /// Adds the ids of `batches`, in order, in parallel; returns the (batch, index) of each id
    /// that was already there (in the set, or earlier in the batches), ascending.
    pub fn insert_all(&mut self, batches: &[&[Message]]) -> Vec<(usize, usize)> {
        use rayon::prelude::*;
        let cut = self.cut;
        let filled: Vec<(IdSet, Vec<(usize, usize)>)> = std::mem::take(&mut self.shards)
            .into_par_iter()
            .enumerate()
            .map(|(shard, mut set)| {
                let mut repeats = Vec::new();
                for (b, batch) in batches.iter().enumerate() {
                    for (i, m) in batch.iter().enumerate() {
                        if cut.of(m.message_id) == shard && !set.insert(m.message_id) {
                            repeats.push((b, i));
                        }
                    }
                }
                (set, repeats)
            })
            .collect();
        let mut all = Vec::new();
        for (set, repeats) in filled {
            self.shards.push(set);
            all.extend(repeats);
        }
        all.sort_unstable();
        all
    }
}

/// One normalised order, as stored in `orders.parquet` (SPEC §4).
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// The shop's order id (`#1001` for Shopify).
    pub order_id: String,
    /// Person key from the order's phone, else e-mail; None when it has neither.
    pub person: Option<String>,
    /// Creation instant, ms since the epoch (UTC).
    pub created_at_ms: i64,
    /// Payment instant, when known.
    pub paid_at_ms: Option<i64>,
    /// Cancellation instant, when known.
    pub cancelled_at_ms: Option<i64>,
    /// pending | paid | cancelled | refunded | partially_refunded
    pub status: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Total in minor units of `currency`.
    pub total_minor: i64,
    /// Refunded amount in minor units.
    pub refunded_minor: i64,
    /// E-mail as given.
    pub email: Option<String>,
    /// Phone as given.
    pub phone: Option<String>,
    /// Discount code.
    pub coupon: Option<String>,
    /// Input file.
    pub file: String,
    /// 1-based line (CSV) or record number (JSON).
    pub line: u32,
}

// A million messages are held at once while an export is ingested: keep the struct this small
// (fields that few messages carry belong in `Extra`).
const _: () = assert!(std::mem::size_of::<Message>() == 104);

#[cfg(test)]
mod tests {
    use super::*;

    fn with_ids(ids: &[u64]) -> Vec<Message> {
        ids.iter()
            .map(|&id| Message {
                message_id: id,
                person: "tel:+1".into(),
                ts_ms: 0,
                precision_s: 1,
                direction: Direction::In,
                class: MessageClass::Inbound,
                kind: Kind::Text,
                author: None,
                text: None,
                file: "a".into(),
                line: 1,
                extra: None,
            })
            .collect()
    }

    #[test]
    fn sharded_ids_find_repeats_in_order_across_batches_and_the_stored_set() {
        // Ids with the top bit set and clear, so both shards of a two-thread pool hold some.
        let hi = 1u64 << 63;
        let stored = vec![5, hi | 5];
        let mut set = ShardedIdSet::new(stored, 8);
        let a = with_ids(&[1, 5, hi | 2, 1, hi | 5]);
        let b = with_ids(&[hi | 2, 3, 3]);
        let repeats = set.insert_all(&[&a, &b]);
        assert_eq!(repeats, [(0, 1), (0, 3), (0, 4), (1, 0), (1, 2)]);
        assert!(!set.insert(3) && !set.insert(hi | 2) && set.insert(hi | 9));
    }
}
