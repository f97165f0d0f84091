//! The `--cloud-api` writer: WhatsApp Cloud API webhooks as JSON Lines, one raw webhook POST body
//! per line (INPUTS.md §1), in the shapes of the pywa fixtures and the synthetic Brazilian sample.
//!
//! Each customer's [`Story`] plays out as timestamped events: inbound messages (text, photos,
//! button and list taps, catalog orders, reactions, a number change), the statuses of the shop's
//! sends (the webhooks never carry a reply's text: an agent's answer is only `sent`, `delivered`,
//! `read` or `failed`, with `agent=…;conv=…` in `biz_opaque_callback_data`) and the echoes of
//! replies typed in the WhatsApp Business app. Every event is *posted* when its webhook would
//! arrive, and the log is written in posting order with the noise real logs have: retried lines
//! repeated verbatim, `delivered` after `read` or after the customer's next message, batched
//! entries (two messages in one `value`, two `changes` in one entry) and a few lines wrapped by
//! the receiving server as `{"received_at":…,"body":…}`.
//!
//! Two modes. [`shop`]: a small log of "Loja Exemplo" over the `--shop` preset's three weeks,
//! new customers arriving through three click-to-WhatsApp ads (or organically), whose purchases
//! become [`CloudSale`]s for the orders CSV. [`bench`]: exactly `--lines` lines of many customers,
//! for the ingest benchmark. All draws come from RNG streams of their own, so the chats and the
//! chats' orders are the same bytes with or without `--cloud-api`.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::{
    DateTime, Datelike, NaiveDate, NaiveDateTime, SecondsFormat, TimeDelta, Timelike, Weekday,
};

use crate::chat::PayMethod;
use crate::names::{AGENTS, Customer, PRODUCTS, Phone, Product, brl};
use crate::orders::{CloudSale, Coupon, Status, ZAP10, sku};
use crate::rng::Rng;

/// The shop's WhatsApp Business Account id (`entry[].id`).
const WABA_ID: &str = "104996512345678";
/// The shop's WhatsApp number as the webhooks write it (no `+`): São Paulo, like its address.
const BUSINESS_NUMBER: &str = "5511999990000";
/// The Graph id of that number (`metadata.phone_number_id`).
const PHONE_NUMBER_ID: &str = "110512345678901";
/// The shop's Meta catalog (`order.catalog_id`).
const CATALOG_ID: &str = "731207445566021";
/// XORed into the main seed for the Cloud API's own RNG.
const CLOUD_SEED: u64 = 0x636c_6f75_6441_5049;
/// Per-message pricing replaced conversation-based pricing on 2025-07-01 (epoch seconds).
const PMP_FROM: i64 = 1_751_328_000;
/// São Paulo is UTC−3 all year (no DST since 2019).
const SP_OFFSET: i64 = 3 * 3_600;
/// Seconds in an hour and in a day.
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// The Black Friday coupon of the "Black Friday -30%" ad.
const BLACK30: Coupon = Coupon {
    code: "BLACK30",
    percent: 30,
};
/// The coupon of the marketing template (the chats' agents offer it too).
const BLACK15: Coupon = Coupon {
    code: "BLACK15",
    percent: 15,
};
/// Where a failed status points (`errors[].href`).
const ERROR_HREF: &str =
    "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

// ---- time -------------------------------------------------------------------------------------

/// The São Paulo wall clock at epoch second `t`.
fn local(t: i64) -> NaiveDateTime {
    DateTime::from_timestamp(t - SP_OFFSET, 0)
        .unwrap_or_default()
        .naive_utc()
}

/// The epoch second of a São Paulo wall-clock time.
fn epoch(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp() + SP_OFFSET
}

/// 07:00 to 10:00 on `day`, drawn.
fn morning(rng: &mut Rng, day: NaiveDate) -> i64 {
    epoch(day.and_hms_opt(7, 0, 0).unwrap_or_default()) + rng.range(0, 3 * HOUR)
}

/// Whether the shop's agents are at work (Mon–Fri 9–18, Sat 9–13).
fn open(t: i64) -> bool {
    let l = local(t);
    let h = l.hour();
    match l.weekday() {
        Weekday::Sun => false,
        Weekday::Sat => (9..13).contains(&h),
        _ => (9..18).contains(&h),
    }
}

/// `t` if the shop is open then, else its next opening.
fn next_open(t: i64) -> i64 {
    if open(t) {
        return t;
    }
    let mut day = local(t).date();
    loop {
        let opening = epoch(day.and_hms_opt(9, 0, 0).unwrap_or_default());
        if opening > t && open(opening) {
            return opening;
        }
        day += TimeDelta::days(1);
    }
}

// ---- ads --------------------------------------------------------------------------------------

/// What an ad promises at checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offer {
    /// Nothing special.
    Nothing,
    /// Free shipping whatever the subtotal.
    FreeShipping,
    /// A discount code.
    Coupon(Coupon),
}

/// The creative of a click-to-WhatsApp ad.
#[derive(Debug, Clone, Copy)]
struct Creative {
    /// `referral.headline`.
    headline: &'static str,
    /// `referral.body`.
    body: &'static str,
    /// The message the ad pre-fills in the customer's WhatsApp.
    prefill: &'static str,
    /// A video ad (else an image).
    video: bool,
    /// What the ad promises.
    offer: Offer,
    /// The products it shows (indexes into [`PRODUCTS`]; empty: the whole shop).
    products: &'static [usize],
}

/// The shop's creatives; the `--shop` log runs the first three.
const CREATIVES: &[Creative] = &[
    Creative {
        headline: "Frete grátis hoje",
        body: "Frete grátis para todo o Brasil nas compras pelo WhatsApp. Chame a gente!",
        prefill: "Olá! Vi o anúncio do frete grátis e quero saber mais",
        video: false,
        offer: Offer::FreeShipping,
        products: &[],
    },
    Creative {
        headline: "Black Friday -30%",
        body: "Esquenta Black Friday: 30% off em vestidos e calçados com o cupom BLACK30",
        prefill: "Oi! Quero aproveitar a Black Friday",
        video: true,
        offer: Offer::Coupon(BLACK30),
        products: &[0, 3, 7],
    },
    Creative {
        headline: "Coleção Verão 2027",
        body: "Chegou a coleção de verão! Peça o catálogo pelo WhatsApp",
        prefill: "Olá! Quero ver o catálogo da coleção verão",
        video: false,
        offer: Offer::Nothing,
        products: &[0, 1, 7, 10],
    },
    Creative {
        headline: "Cupom ZAP10: 10% off",
        body: "Chame no WhatsApp e ganhe 10% com o cupom ZAP10",
        prefill: "Oi! Quero o cupom de 10%",
        video: false,
        offer: Offer::Coupon(ZAP10),
        products: &[],
    },
    Creative {
        headline: "Bolsas de couro legítimo",
        body: "Bolsa transversal de couro em 5 cores. Parcele em 3x sem juros",
        prefill: "Olá! Tenho interesse na bolsa de couro",
        video: true,
        offer: Offer::Nothing,
        products: &[4, 8],
    },
    Creative {
        headline: "Casa nova? A gente ajuda",
        body: "Jogo de cama queen e luminárias com entrega rápida",
        prefill: "Oi! Vi o anúncio do jogo de cama",
        video: false,
        offer: Offer::Nothing,
        products: &[13, 14, 12],
    },
];

/// A click-to-WhatsApp ad in flight.
#[derive(Debug, Clone)]
struct Ad {
    /// The ad id (`referral.source_id`).
    source_id: String,
    /// The short link the referral carries (`source_url`).
    url: String,
    /// Its creative.
    creative: Creative,
    /// First epoch second it runs.
    from: i64,
    /// Last epoch second it runs.
    to: i64,
}

impl Ad {
    /// The ad `serial` of the shop's account (`source_id` 120210000000000101 on), with a drawn
    /// short link.
    fn new(rng: &mut Rng, serial: u64, creative: Creative, from: i64, to: i64) -> Self {
        let mut url = String::from("https://fb.me/");
        for _ in 0..9 {
            url.push(char::from(*rng.pick(ALNUM)));
        }
        Self {
            source_id: format!("1202100000{:08}", 101 + serial),
            url,
            creative,
            from,
            to,
        }
    }
}

/// The characters of a short link.
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// ---- the log's records ------------------------------------------------------------------------

/// A WhatsApp account as the webhooks show it.
#[derive(Debug, Clone)]
struct Number {
    /// `wa_id`: the digits without `+` (12 digits for a legacy Brazilian account).
    wa_id: String,
    /// The profile (push) name.
    name: String,
}

/// A message id: a serial number unique in the log and random bits, written like Meta's base64
/// `wamid.HBg…` ids around the customer's `wa_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Wamid {
    /// Unique in the log.
    serial: u32,
    /// Random bits (also seed the fake media ids and digests).
    bits: u64,
    /// The customer's number (index into [`Log::numbers`]).
    number: u32,
    /// Sent by the customer (else by the shop).
    inbound: bool,
}

/// What an inbound message is.
#[derive(Debug, Clone)]
enum InKind {
    /// `text.body`.
    Text(String),
    /// A photo, maybe with a caption.
    Image(Option<String>),
    /// A tap on a template's quick-reply button (`button.payload`, `button.text`).
    Button(&'static str, &'static str),
    /// A tap on an interactive reply button (`button_reply.id`, `button_reply.title`).
    Choice(&'static str, &'static str),
    /// A cart sent from the catalog: SKU, quantity and unit price in centavos.
    Order(Vec<(String, u32, u32)>),
    /// An emoji reaction to one of the shop's messages.
    Reaction(Wamid, &'static str),
    /// `system` `user_changed_number`: the new number (index into [`Log::numbers`]).
    NumberChange(u32),
}

/// The click-to-WhatsApp referral on a customer's first message after the click.
#[derive(Debug, Clone)]
struct Referral {
    /// Index into [`Log::ads`].
    ad: usize,
    /// The click id.
    ctwa_clid: String,
}

/// One inbound message.
#[derive(Debug, Clone)]
struct Inbound {
    id: Wamid,
    /// Epoch seconds (`timestamp`).
    ts: i64,
    /// The sender (index into [`Log::numbers`]).
    number: u32,
    kind: InKind,
    /// The shop's message it answers (`context.id`).
    context: Option<Wamid>,
    /// On the first message after an ad click.
    referral: Option<Referral>,
}

/// `pricing.category` (and `conversation.origin.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Service,
    ReferralConversion,
    Marketing,
    Utility,
}

impl Category {
    /// The webhook's spelling.
    fn as_str(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::ReferralConversion => "referral_conversion",
            Self::Marketing => "marketing",
            Self::Utility => "utility",
        }
    }
}

/// One message the shop sent through the API (its content is never in the webhooks).
#[derive(Debug, Clone)]
struct Send {
    /// The id every status of the send carries.
    id: Wamid,
    /// The recipient (index into [`Log::numbers`]).
    number: u32,
    /// Index into [`AGENTS`].
    agent: u8,
    /// The inbox's conversation number (`conv=c-0012`).
    conv: u32,
    /// The template's name for template sends.
    template: Option<&'static str>,
    /// What it is priced as.
    category: Category,
    /// Free of charge (customer-service window or free entry point).
    free: bool,
    /// Priced per conversation (before 2025-07-01) rather than per message.
    cbp: bool,
    /// The pricing conversation: id and expiry.
    window: (u64, i64),
}

/// A status of a send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Sent,
    Delivered,
    Read,
    /// Failed with this error code (131047 re-engagement, 131026 undeliverable).
    Failed(u32),
}

/// A reply typed in the WhatsApp Business app on the shop's phone (coexistence).
#[derive(Debug, Clone)]
struct Echo {
    id: Wamid,
    /// Epoch seconds.
    ts: i64,
    /// The customer it was sent to (index into [`Log::numbers`]).
    number: u32,
    /// What the agent typed.
    text: String,
}

/// What one event reports.
#[derive(Debug, Clone, Copy)]
enum What {
    /// An inbound message (index into [`Log::inbound`]).
    In(u32),
    /// A status of a send (index into [`Log::sends`]) at epoch second `ts`.
    Status { send: u32, ts: i64, state: State },
    /// An echo (index into [`Log::echoes`]).
    Echo(u32),
}

/// One webhook event and when it is posted.
#[derive(Debug, Clone, Copy)]
struct Event {
    /// When the webhook arrives, in epoch milliseconds: the order of the lines.
    posted: i64,
    /// Creation order, to break ties.
    seq: u32,
    /// What it reports.
    what: What,
}

/// How often each kind of noise shows up.
#[derive(Debug, Clone, Copy)]
struct Rates {
    /// A line is posted again (a retry), verbatim.
    retry: f64,
    /// A line is wrapped by the receiving server.
    wrap: f64,
    /// An event is posted together with the next one (within a minute).
    batch: f64,
    /// A `delivered` is posted after the customer's next message.
    late: f64,
    /// A `delivered` is posted after the `read`.
    read_first: f64,
    /// An agent answers from the Business app (an echo, no statuses).
    echo: f64,
    /// A template send fails as undeliverable.
    undeliverable: f64,
}

/// The `--shop` log is small, so every kind of noise is made likelier to show up in it.
const SHOP_RATES: Rates = Rates {
    retry: 0.04,
    wrap: 0.03,
    batch: 0.06,
    late: 0.06,
    read_first: 0.06,
    echo: 0.05,
    undeliverable: 0.0,
};

/// Realistic rates for the benchmark.
const BENCH_RATES: Rates = Rates {
    retry: 0.02,
    wrap: 0.01,
    batch: 0.03,
    late: 0.02,
    read_first: 0.02,
    echo: 0.03,
    undeliverable: 0.01,
};

/// Everything the webhooks report, before it is laid out as lines.
#[derive(Debug)]
struct Log {
    /// Customers' WhatsApp accounts (a number change adds one).
    numbers: Vec<Number>,
    /// Inbound messages, sends and echoes, referred to by the events.
    inbound: Vec<Inbound>,
    sends: Vec<Send>,
    echoes: Vec<Echo>,
    /// What the webhooks post, in creation order until [`layout`] sorts them.
    events: Vec<Event>,
    /// The ads customers arrive through.
    ads: Vec<Ad>,
    /// The conversations' purchases, with the ad of the conversation each was closed in.
    sales: Vec<(Option<usize>, CloudSale)>,
    /// Customers per ad.
    per_ad: Vec<usize>,
    /// Order numbers in use.
    taken: BTreeSet<u32>,
    /// Phones in use (`ddd`, number).
    phones: HashSet<(u8, u32)>,
    /// Customers played (a number change adds a number, not a customer).
    customers: usize,
    /// The next wamid serial and inbox conversation number.
    next_serial: u32,
    next_conv: u32,
    /// The noise of this log.
    rates: Rates,
}

impl Log {
    /// An empty log of `ads`; `taken` order numbers are not used again.
    fn new(ads: Vec<Ad>, taken: BTreeSet<u32>, rates: Rates) -> Self {
        let per_ad = vec![0; ads.len()];
        Self {
            numbers: Vec::new(),
            inbound: Vec::new(),
            sends: Vec::new(),
            echoes: Vec::new(),
            events: Vec::new(),
            ads,
            sales: Vec::new(),
            per_ad,
            taken,
            phones: HashSet::new(),
            customers: 0,
            next_serial: 1,
            next_conv: 1,
            rates,
        }
    }

    /// A new message id around `number`'s `wa_id`.
    fn wamid(&mut self, bits: u64, number: u32, inbound: bool) -> Wamid {
        let serial = self.next_serial;
        self.next_serial += 1;
        Wamid {
            serial,
            bits,
            number,
            inbound,
        }
    }

    /// Records an event posted at `posted` (epoch milliseconds).
    fn post(&mut self, posted: i64, what: What) {
        let seq = self.events.len() as u32;
        self.events.push(Event { posted, seq, what });
    }

    /// A customer whose phone no one else in the log (or in `--shop`'s chats) has.
    fn customer(&mut self, rng: &mut Rng) -> Customer {
        loop {
            let c = Customer::random(rng, 0.0);
            if self.phones.insert((c.phone.ddd, c.phone.number)) {
                return c;
            }
        }
    }

    /// A new mobile in area `ddd` for a customer who changes number.
    fn phone(&mut self, rng: &mut Rng, ddd: u8) -> Phone {
        loop {
            let p = Phone::random(rng, ddd);
            if self.phones.insert((p.ddd, p.number)) {
                return p;
            }
        }
    }

    /// An order number no other order uses.
    fn order_number(&mut self, rng: &mut Rng) -> u32 {
        loop {
            let n = if self.taken.len() >= 8_000 {
                10_000 + self.taken.len() as u32
            } else {
                1_000 + rng.below(9_000) as u32
            };
            if self.taken.insert(n) {
                return n;
            }
        }
    }
}

/// The `wa_id` of a phone: `5541988887777`, or the legacy 12-digit `554188887777`.
fn wa_id(p: Phone, legacy: bool) -> String {
    if legacy {
        format!("55{}{:08}", p.ddd, p.number - 900_000_000)
    } else {
        format!("55{}{}", p.ddd, p.number)
    }
}

/// The profile name a customer chose.
fn profile_name(rng: &mut Rng, c: &Customer) -> String {
    match rng.weighted(&[45, 25, 15, 15]) {
        0 => format!("{} {}", c.first, c.last),
        1 => c.first.clone(),
        2 => format!(
            "{} {}",
            c.first,
            rng.pick(&["🌻", "💜", "🌸", "✨", "🙏", "⚽"])
        ),
        _ => format!("{} {}.", c.first, c.last.chars().next().unwrap_or('S')),
    }
}

// ---- stories ----------------------------------------------------------------------------------

/// How a customer's first conversation ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// They buy; the order ends `Paid`, `Pending` (boleto) or `Refunded`.
    Buys(Status),
    /// "Vou pensar": no sale.
    Thinks,
    /// They stop answering after the quote.
    Ghosts,
    /// A question about the shop, no product.
    Asks,
    /// Nobody answers them.
    Unanswered,
}

/// A marketing template sent to the customer later.
#[derive(Debug, Clone, Copy)]
struct Blast {
    /// The template's name.
    name: &'static str,
    /// When it is sent (epoch seconds).
    at: i64,
    /// They tap its button.
    answers: bool,
    /// And then buy.
    buys: bool,
}

/// One customer's story.
#[derive(Debug, Clone, Copy)]
struct Story {
    /// The ad they clicked (index into [`Log::ads`]), or organic.
    ad: Option<usize>,
    /// Their first message (epoch seconds).
    start: i64,
    /// How the first conversation ends.
    outcome: Outcome,
    /// They send a cart from the catalog.
    catalog: bool,
    /// WhatsApp knows them by the legacy 12-digit number.
    legacy: bool,
    /// They change number a day or two after buying.
    changes_number: bool,
    /// The shop sends them the "pedido enviado" utility template.
    shipped: bool,
    /// (Thinks) the agent's follow-up after the 24-hour window fails (131047).
    follow_up: bool,
    /// A marketing template later.
    blast: Option<Blast>,
}

impl Story {
    /// A story with none of the extras.
    fn new(ad: Option<usize>, outcome: Outcome, start: i64) -> Self {
        Self {
            ad,
            start,
            outcome,
            catalog: false,
            legacy: false,
            changes_number: false,
            shipped: false,
            follow_up: false,
            blast: None,
        }
    }
}

/// One customer's story being played into the log.
struct Talk<'a> {
    /// The customer's own RNG stream.
    rng: &'a mut Rng,
    log: &'a mut Log,
    /// Who they are (name, city, phone).
    cust: Customer,
    /// Their current number (index into [`Log::numbers`]).
    number: u32,
    /// The story's clock (epoch seconds).
    now: i64,
    /// The inbox conversation and its agent (index into [`AGENTS`]).
    conv: u32,
    agent: u8,
    /// The ad of the current conversation.
    ad: Option<usize>,
    /// The referral waiting for the first message.
    referral: Option<Referral>,
    /// The free entry point window: id and end.
    entry: (u64, i64),
    /// The conversation-based service window: id and end.
    service: (u64, i64),
    /// The customer's last message (the 24-hour window).
    last_in: i64,
    /// They send read receipts.
    receipts: bool,
    /// Sends not yet delivered and read: (send, sent at, delivered at).
    unread: Vec<(u32, i64, i64)>,
    /// The product they ask about, in the variant phrase they use (` no tamanho M`).
    product: Product,
    variant: String,
}

impl Talk<'_> {
    // ---- clock

    /// `Oi`, `Bom dia`…, by the São Paulo hour.
    fn hello(&mut self) -> &'static str {
        let tod = match local(self.now).hour() {
            0..12 => "Bom dia",
            12..18 => "Boa tarde",
            _ => "Boa noite",
        };
        let options = ["Oi", "Olá", "Oii", tod, tod];
        options[self.rng.below(options.len() as u64) as usize]
    }

    /// Customers write between 07:00 and 23:00.
    fn daytime(&mut self) {
        let l = local(self.now);
        if (7..23).contains(&l.hour()) {
            return;
        }
        let day = if l.hour() >= 23 {
            l.date() + TimeDelta::days(1)
        } else {
            l.date()
        };
        self.now = morning(self.rng, day);
    }

    /// Seconds to type the next message.
    fn typing(&mut self) {
        self.now += self.rng.range(4, 90);
    }

    /// Seconds to hours (a few overnight) until the customer writes again: always within a day,
    /// so the conversation stays one session (a 24-hour silence would start a new one).
    fn customer_wait(&mut self) {
        let before = self.now;
        let d = match self.rng.weighted(&[85, 10, 5]) {
            0 => self.rng.log_uniform(15.0, 3_600.0),
            1 => self.rng.log_uniform(3_600.0, 28_800.0),
            _ => self.rng.log_uniform(50_000.0, 70_000.0),
        };
        self.now += d as i64;
        self.daytime();
        if self.now - before >= 23 * HOUR {
            self.now = before + self.rng.log_uniform(15.0, 3_600.0) as i64;
            self.daytime();
        }
    }

    /// Minutes to hours, in business hours (a few answers in the evening), and always inside the
    /// customer's 24-hour window (a free-form reply after it would fail).
    fn agent_wait(&mut self) {
        let d = if self.rng.chance(0.06) {
            self.rng.log_uniform(10_800.0, 72_000.0)
        } else {
            self.rng.log_uniform(40.0, 5_400.0)
        };
        let mut t = self.now + d as i64;
        // closed: the next opening, unless someone answers in the evening
        if !(open(t) || local(t).hour() < 22 && self.rng.chance(0.12)) {
            t = next_open(t) + self.rng.log_uniform(60.0, 2_400.0) as i64;
        }
        let closes = self.last_in + DAY - 60;
        if t > closes {
            t = (closes - self.rng.range(300, 7_200)).max(self.now + 30);
        }
        self.now = t;
    }

    /// During the shop's hours, from `t` on.
    fn office(&mut self, t: i64) {
        self.now = if open(t) {
            t
        } else {
            next_open(t) + self.rng.range(60, 5_400)
        };
    }

    // ---- events

    /// A new conversation in the inbox, with one of the agents.
    fn session(&mut self) {
        self.conv = self.log.next_conv;
        self.log.next_conv += 1;
        self.agent = self.rng.below(AGENTS.len() as u64) as u8;
        self.ad = None;
    }

    /// The customer writes: first the statuses of what they have read.
    fn inbound(&mut self, kind: InKind, context: Option<Wamid>) -> Wamid {
        let bits = self.rng.next_u64();
        let id = self.log.wamid(bits, self.number, true);
        let posted = self.now * 1_000 + self.rng.range(200, 2_500);
        self.settle(Some((self.now, posted)));
        let idx = self.log.inbound.len() as u32;
        self.log.inbound.push(Inbound {
            id,
            ts: self.now,
            number: self.number,
            kind,
            context,
            referral: self.referral.take(),
        });
        self.log.post(posted, What::In(idx));
        self.last_in = self.now;
        id
    }

    /// A text message from the customer.
    fn text(&mut self, s: String) -> Wamid {
        self.inbound(InKind::Text(s), None)
    }

    /// `delivered` and `read` of the sends still open, before the customer's message at `next`
    /// (its time and posting) or, at the end of the story, whenever they read them. A message
    /// is read just before the customer writes again (within hours), else some time after it
    /// arrived; a `delivered` may be posted after the `read`, or after the customer's next
    /// message when that comes soon.
    fn settle(&mut self, next: Option<(i64, i64)>) {
        let rates = self.log.rates;
        for (send, sent, planned) in std::mem::take(&mut self.unread) {
            let delivered = next.map_or(planned, |(t, _)| planned.min(t - 1).max(sent));
            let soon = next.filter(|&(t, _)| t - delivered < 6 * HOUR);
            let read = if !self.receipts {
                None
            } else if let Some((t, _)) = soon {
                Some((t - self.rng.range(3, 90)).max(delivered))
            } else if let Some((t, _)) = next {
                let r = delivered + self.rng.log_uniform(20.0, 30_000.0) as i64;
                Some(r.min(t - self.rng.range(3, 90)).max(delivered))
            } else {
                self.rng
                    .chance(0.85)
                    .then(|| delivered + self.rng.log_uniform(20.0, 30_000.0) as i64)
            };
            let read_posted = read.map(|r| r * 1_000 + self.rng.range(100, 1_500));
            let mut posted = delivered * 1_000 + self.rng.range(100, 1_500);
            match (soon, read_posted) {
                (Some((_, p)), _) if self.rng.chance(rates.late) => {
                    posted = p + self.rng.range(1_000, 60_000);
                }
                (_, Some(rp)) if self.rng.chance(rates.read_first) => {
                    posted = rp + self.rng.range(200, 20_000);
                }
                _ => {}
            }
            let ts = delivered;
            let state = State::Delivered;
            self.log.post(posted, What::Status { send, ts, state });
            if let (Some(ts), Some(p)) = (read, read_posted) {
                let state = State::Read;
                self.log.post(p, What::Status { send, ts, state });
            }
        }
    }

    /// A send to `number` now: its `sent` (and later `delivered`, `read`), or its failure.
    fn send(
        &mut self,
        number: u32,
        category: Category,
        template: Option<&'static str>,
        failure: Option<u32>,
    ) -> Wamid {
        let bits = self.rng.next_u64();
        let id = self.log.wamid(bits, number, false);
        let in_window = self.now < self.last_in + DAY;
        let (free, window) = match category {
            Category::ReferralConversion => (true, self.entry),
            Category::Service => {
                if self.now >= self.service.1 {
                    self.service = (self.rng.next_u64(), self.now + DAY);
                }
                (true, self.service)
            }
            Category::Utility => (in_window, (self.rng.next_u64(), self.now + DAY)),
            Category::Marketing => (false, (self.rng.next_u64(), self.now + DAY)),
        };
        let idx = self.log.sends.len() as u32;
        self.log.sends.push(Send {
            id,
            number,
            agent: self.agent,
            conv: self.conv,
            template,
            category,
            free,
            cbp: self.now < PMP_FROM,
            window,
        });
        let posted = self.now * 1_000 + self.rng.range(300, 1_500);
        let state = failure.map_or(State::Sent, State::Failed);
        let ts = self.now;
        self.log.post(
            posted,
            What::Status {
                send: idx,
                ts,
                state,
            },
        );
        if failure.is_none() {
            let delivered = if self.rng.chance(0.04) {
                self.now + self.rng.range(30, 900)
            } else {
                self.now + self.rng.range(1, 4)
            };
            self.unread.push((idx, self.now, delivered));
        }
        id
    }

    /// An agent answers: through the API (statuses only), or sometimes from the Business app on
    /// the shop's phone (an echo with the text, signed like the chats' agents). The send's id,
    /// or None for an echo.
    fn reply(&mut self) -> Option<Wamid> {
        let agent = AGENTS[usize::from(self.agent)].name;
        if self.rng.chance(self.log.rates.echo) {
            let text = match self.rng.below(4) {
                0 => format!("*{agent}*: Oi! Vi sua mensagem agora 😊"),
                1 => format!("*{agent}*: Pode deixar, já te mando!"),
                2 => format!("*{agent}*: Combinado! 😉"),
                _ => format!("*{agent}*: Qualquer dúvida é só chamar por aqui"),
            };
            let bits = self.rng.next_u64();
            let id = self.log.wamid(bits, self.number, false);
            let idx = self.log.echoes.len() as u32;
            self.log.echoes.push(Echo {
                id,
                ts: self.now,
                number: self.number,
                text,
            });
            let posted = self.now * 1_000 + self.rng.range(300, 2_000);
            self.log.post(posted, What::Echo(idx));
            return None;
        }
        let category = if self.now < self.entry.1 {
            Category::ReferralConversion
        } else {
            Category::Service
        };
        Some(self.send(self.number, category, None, None))
    }

    // ---- the story

    /// The whole story: the first conversation, what follows the sale and the template.
    fn play(&mut self, s: &Story) {
        self.now = s.start;
        self.daytime();
        self.session();
        if let Some(ad) = s.ad {
            self.ad = Some(ad);
            self.log.per_ad[ad] += 1;
            let mut clid = String::from("Af");
            for _ in 0..46 {
                clid.push(char::from(*self.rng.pick(B64URL)));
            }
            self.referral = Some(Referral {
                ad,
                ctwa_clid: clid,
            });
            self.entry = (self.rng.next_u64(), self.now + 72 * HOUR);
        }
        if s.outcome == Outcome::Asks {
            self.question();
        } else {
            self.opening();
        }
        if s.outcome == Outcome::Unanswered {
            if self.rng.chance(0.5) {
                self.now += self.rng.log_uniform(1_800.0, 20_000.0) as i64;
                self.daytime();
                let t = *self
                    .rng
                    .pick(&["??", "Oi, alguém?", "Alguém pode me responder?"]);
                self.text(t.into());
            }
            self.settle(None);
            return;
        }
        self.agent_wait();
        let mut last = self.reply();
        self.customer_wait();
        match s.outcome {
            Outcome::Asks => {
                if self.rng.chance(0.6) {
                    self.thanks();
                }
            }
            Outcome::Buys(status) => {
                if self.rng.chance(0.6) {
                    self.freight();
                    self.agent_wait();
                    last = self.reply();
                    self.customer_wait();
                }
                let offer =
                    s.ad.map_or(Offer::Nothing, |a| self.log.ads[a].creative.offer);
                self.buy(status, offer, last, Some(s));
            }
            Outcome::Thinks => self.thinks(s.follow_up),
            Outcome::Ghosts | Outcome::Unanswered => {}
        }
        if let Some(b) = s.blast {
            self.blast(b);
        }
        self.settle(None);
    }

    /// The first message (with the ad's referral): the ad's pre-filled text, a product question
    /// or a screenshot, sometimes followed by a second message.
    fn opening(&mut self) {
        let products = self
            .ad
            .map_or(&[][..], |a| self.log.ads[a].creative.products);
        self.product = if products.is_empty() {
            *self.rng.pick(PRODUCTS)
        } else {
            PRODUCTS[*self.rng.pick(products)]
        };
        self.variant = self.product.variant(self.rng);
        let (art, name, v) = (self.product.art(), self.product.name, self.variant.clone());
        let hello = self.hello();
        if let Some(a) = self.ad {
            if self.rng.chance(0.15) {
                let caption = format!("Quero esse! Ainda tem{v}?");
                self.inbound(InKind::Image(Some(caption)), None);
            } else {
                let t = match self.rng.below(4) {
                    0 | 1 => self.log.ads[a].creative.prefill.to_string(),
                    2 => format!("{hello}! Vi o anúncio, ainda tem {art} {name}{v}?"),
                    _ => {
                        format!("{hello}, vi a propaganda no Instagram. Quanto custa {art} {name}?")
                    }
                };
                self.text(t);
            }
        } else {
            let t = match self.rng.below(3) {
                0 => format!("{hello}! Vocês têm {art} {name}{v}?"),
                1 => format!("{hello}, quanto custa {art} {name}?"),
                _ => format!("{hello}! Vi {art} {name} no site, ainda tem{v}?"),
            };
            self.text(t);
        }
        if self.rng.chance(0.25) {
            // a second message right after (posted after the first: the jitter is under 3 s)
            self.now += self.rng.range(3, 6);
            let city = self.cust.city.name;
            let t = match self.rng.below(3) {
                0 => "Quanto fica?".to_string(),
                1 => "Tem pronta entrega?".to_string(),
                _ => format!("Entregam em {city}?"),
            };
            self.text(t);
        }
    }

    /// A question about the shop instead of a product.
    fn question(&mut self) {
        let hello = self.hello();
        let q = *self.rng.pick(&[
            "Vocês têm loja física?",
            "Qual o horário de vocês?",
            "Como funciona a troca?",
            "Aceitam cartão?",
        ]);
        self.text(format!("{hello}! {q}"));
    }

    /// The shipping question.
    fn freight(&mut self) {
        let c = self.cust.city;
        let t = match self.rng.below(3) {
            0 => format!("E o frete pra {}?", c.name),
            1 => format!(
                "Quanto fica o frete para o CEP {:02}{:03}-{:03}?",
                c.cep,
                self.rng.below(1_000),
                self.rng.below(1_000)
            ),
            _ => format!("Chega em quantos dias em {}/{}?", c.name, c.uf),
        };
        self.text(t);
    }

    /// `Obrigada!!`, `Valeu!`…
    fn thanks(&mut self) {
        let t = if self.cust.female {
            *self
                .rng
                .pick(&["Obrigada!!", "Obrigada 🙏", "Valeu!", "👍"])
        } else {
            *self
                .rng
                .pick(&["Obrigado!", "Valeu!", "Show, obrigado", "👍"])
        };
        self.text(t.into());
    }

    /// "Vou pensar": maybe an answer, and with `follow_up` the agent's follow-up a day or two
    /// later, refused by WhatsApp (131047).
    fn thinks(&mut self, follow_up: bool) {
        let t = *self.rng.pick(&[
            "Vou pensar e te aviso",
            "Vou ver com meu marido e te falo",
            "Tá um pouco caro pra mim agora, depois eu vejo",
            "Deixa eu ver aqui e te chamo",
        ]);
        self.text(t.into());
        if self.rng.chance(0.6) {
            self.agent_wait();
            self.reply();
        }
        if follow_up {
            // a free-form follow-up after the 24-hour window: WhatsApp refuses it
            let t = self.last_in + DAY + self.rng.range(2 * HOUR, 36 * HOUR);
            self.office(t.max(self.now + 60));
            self.send(self.number, Category::Service, None, Some(131_047));
        }
    }

    /// The customer decides, checks out through the link and pays (or not); `story` adds its
    /// catalog cart, shipping notice or number change.
    fn buy(&mut self, status: Status, offer: Offer, last: Option<Wamid>, story: Option<&Story>) {
        let s = story
            .copied()
            .unwrap_or(Story::new(None, Outcome::Buys(status), self.now));
        let qty = if self.rng.chance(0.12) { 2 } else { 1 };
        let mut items = vec![(self.product, self.variant.clone(), qty)];
        if s.catalog && self.rng.chance(0.35) {
            let p = *self.rng.pick(PRODUCTS);
            if p != self.product {
                let v = p.variant(self.rng);
                items.push((p, v, 1));
            }
        }
        let coupon = match offer {
            Offer::Coupon(c) => Some(c),
            _ => None,
        };
        let products: u32 = items.iter().map(|(p, _, q)| p.price * q).sum();
        let discount = coupon.map_or(0, |c| {
            items
                .iter()
                .map(|(p, _, q)| p.price * q * c.percent / 100)
                .sum()
        });
        let free_shipping = offer == Offer::FreeShipping;
        let shipping = if free_shipping || products - discount >= 29_900 {
            0
        } else {
            self.cust.city.frete
        };
        let total = brl(products - discount + shipping);
        if s.catalog {
            let cart = items
                .iter()
                .map(|(p, v, q)| (sku(p, v), *q, p.price))
                .collect();
            self.inbound(InKind::Order(cart), None);
        } else if let Some(w) = last.filter(|_| self.rng.chance(0.5)) {
            self.inbound(InKind::Choice("comprar", "Quero comprar"), Some(w));
        } else {
            let t = match self.rng.below(3) {
                0 => format!("Então fica {total} com o frete? Fechado!"),
                1 => format!("Fechado! {total}, pode mandar o link"),
                _ => format!("Beleza, vou querer. {total} no total, né?"),
            };
            self.text(t);
        }
        self.agent_wait();
        self.reply(); // the payment link
        self.now += self.rng.log_uniform(180.0, 79_200.0) as i64;
        self.daytime();
        let created = self.now;
        let method = match status {
            Status::Pending => PayMethod::Boleto,
            _ if self.rng.chance(0.5) => PayMethod::Pix,
            _ => PayMethod::Link,
        };
        let number = self.log.order_number(self.rng);
        let phone = self.log.numbers[self.number as usize].wa_id.clone();
        let phone = format!("+{}", full_number(&phone));
        let sale = CloudSale {
            customer: self.cust.clone(),
            phone,
            number,
            created: local(created),
            items,
            coupon,
            free_shipping,
            method,
            status,
        };
        self.log.sales.push((self.ad, sale));
        self.now += self.rng.range(60, 1_800);
        if status == Status::Pending {
            let t = match self.rng.below(2) {
                0 => format!("Gerei o boleto do pedido #{number}, pago amanhã 👍"),
                _ => "Vou pagar o boleto na lotérica amanhã".to_string(),
            };
            self.text(t);
        } else {
            match self.rng.below(3) {
                0 => {
                    let caption = format!("Comprovante do pedido #{number}");
                    self.inbound(InKind::Image(Some(caption)), None);
                }
                1 => {
                    self.text(format!("Paguei! Pedido #{number} ✅"));
                }
                _ => {
                    self.inbound(InKind::Image(None), None);
                    self.typing();
                    self.text("Pronto, pago".into());
                }
            }
        }
        self.agent_wait();
        let confirm = self.reply();
        if let Some(w) = confirm.filter(|_| status != Status::Pending && self.rng.chance(0.5)) {
            self.now += self.rng.range(10, 900);
            let emoji = *self.rng.pick(&["❤️", "🙏", "👍", "😍"]);
            self.inbound(InKind::Reaction(w, emoji), None);
        }
        match status {
            Status::Refunded => self.refund(created, number),
            Status::Paid if s.changes_number => self.change_number(created, number, s.shipped),
            Status::Paid if s.shipped => {
                let t = created + self.rng.range(20 * HOUR, 30 * HOUR);
                self.office(t.max(self.now + 600));
                self.send(self.number, Category::Utility, Some("pedido_enviado"), None);
            }
            _ => {}
        }
    }

    /// Days after buying, the customer wants their money back.
    fn refund(&mut self, created: i64, number: u32) {
        let t = created + self.rng.range(2 * DAY, 4 * DAY);
        self.now = t.max(self.now + HOUR);
        self.daytime();
        self.session();
        let (art, name) = (self.product.art(), self.product.name);
        let t = match self.rng.below(2) {
            0 => format!(
                "Oi! {} {name} não serviu 😕 Quero devolver e receber o dinheiro de volta",
                capitalize(art)
            ),
            _ => format!(
                "Oi, {art} {name} do pedido #{number} veio com defeito. Quero o estorno, por favor"
            ),
        };
        self.text(t);
        self.agent_wait();
        self.reply();
        self.customer_wait();
        self.text("Ok, aguardo".into());
        self.agent_wait();
        self.reply(); // the refund is done
        self.customer_wait();
        self.thanks();
    }

    /// A day or two after buying they change number; the shipping notice still goes to the old
    /// one and fails, and they write from the new one.
    fn change_number(&mut self, created: i64, order: u32, shipped: bool) {
        self.now = (created + self.rng.range(20 * HOUR, 40 * HOUR)).max(self.now + HOUR);
        self.daytime();
        let old = self.number;
        let phone = self.log.phone(self.rng, self.cust.phone.ddd);
        let name = self.log.numbers[old as usize].name.clone();
        let new = self.log.numbers.len() as u32;
        self.log.numbers.push(Number {
            wa_id: wa_id(phone, false),
            name,
        });
        self.inbound(InKind::NumberChange(new), None);
        self.number = new;
        self.cust.phone = phone;
        if shipped {
            let t = self.now + self.rng.range(HOUR, 5 * HOUR);
            self.office(t);
            let undeliverable = Some(131_026);
            self.send(
                old,
                Category::Utility,
                Some("pedido_enviado"),
                undeliverable,
            );
        }
        self.now += self.rng.range(2 * HOUR, 20 * HOUR);
        self.daytime();
        self.session();
        self.text(format!(
            "Oi! Troquei de número, esse é o novo. O pedido #{order} já foi enviado?"
        ));
        self.agent_wait();
        self.reply();
        self.customer_wait();
        self.thanks();
    }

    /// A marketing template; they may tap its button and buy with its coupon.
    fn blast(&mut self, b: Blast) {
        if b.at < self.now + HOUR {
            return;
        }
        self.now = b.at;
        self.session();
        if self.rng.chance(self.log.rates.undeliverable) {
            self.send(
                self.number,
                Category::Marketing,
                Some(b.name),
                Some(131_026),
            );
            return;
        }
        let t = self.send(self.number, Category::Marketing, Some(b.name), None);
        if !b.answers {
            return;
        }
        self.now += self.rng.log_uniform(120.0, 6.0 * 3_600.0) as i64;
        self.daytime();
        self.inbound(
            InKind::Button("VER_OFERTAS", "Quero ver as ofertas"),
            Some(t),
        );
        self.agent_wait();
        self.reply();
        self.customer_wait();
        self.product = *self.rng.pick(PRODUCTS);
        self.variant = self.product.variant(self.rng);
        let (art, name, v) = (self.product.art(), self.product.name, self.variant.clone());
        self.text(format!("Tem {art} {name}{v}?"));
        self.agent_wait();
        let last = self.reply();
        self.customer_wait();
        if b.buys {
            self.buy(Status::Paid, Offer::Coupon(BLACK15), last, None);
        } else {
            self.thinks(false);
        }
    }
}

/// The 13-digit form of a Brazilian `wa_id` (the ninth digit put back in a legacy one).
fn full_number(wa_id: &str) -> String {
    if wa_id.len() == 12 {
        format!("{}9{}", &wa_id[..4], &wa_id[4..])
    } else {
        wa_id.to_string()
    }
}

/// `O vestido` from `o`.
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Plays one customer's story into `log`.
fn play(log: &mut Log, rng: &mut Rng, story: &Story) {
    let cust = log.customer(rng);
    let name = profile_name(rng, &cust);
    let number = log.numbers.len() as u32;
    log.numbers.push(Number {
        wa_id: wa_id(cust.phone, story.legacy),
        name,
    });
    log.customers += 1;
    let receipts = rng.chance(0.9);
    let mut talk = Talk {
        rng,
        log,
        cust,
        number,
        now: story.start,
        conv: 0,
        agent: 0,
        ad: None,
        referral: None,
        entry: (0, 0),
        service: (0, 0),
        last_in: 0,
        receipts,
        unread: Vec::new(),
        product: PRODUCTS[0],
        variant: String::new(),
    };
    talk.play(story);
}

// ---- the two logs -----------------------------------------------------------------------------

/// A webhook log ready to write.
#[derive(Debug)]
pub struct Webhooks {
    /// What was recorded, its events sorted by posting time.
    log: Log,
    /// The lines, in posting order.
    lines: Vec<Line>,
    /// Write at most this many lines (the benchmark's exact count).
    limit: Option<usize>,
}

/// Counts for the summary line.
#[derive(Debug, Default)]
pub struct CloudTotals {
    /// Lines written.
    pub lines: usize,
    /// Bytes written.
    pub bytes: usize,
    /// Lines that repeat an earlier one (retries).
    pub retries: usize,
    /// Inbound messages written (retries not counted).
    pub messages: usize,
    /// Statuses written (retries not counted).
    pub statuses: usize,
    /// Echoes written (retries not counted).
    pub echoes: usize,
}

/// The `--shop` log: 14 new customers of "Loja Exemplo" from 2026-11-02 to 2026-11-22 (São
/// Paulo), most through three click-to-WhatsApp ads. `chat_phones` are the chats' customers
/// (never reused), `taken` the order numbers the orders CSV already uses.
pub fn shop(seed: u64, chat_phones: &BTreeSet<(u8, u32)>, taken: BTreeSet<u32>) -> Webhooks {
    let mut rng = Rng::new(seed ^ CLOUD_SEED);
    let at = |d: u32, h: u32, m: u32| {
        let date = NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        epoch(date.and_hms_opt(h, m, 0).unwrap_or_default())
    };
    let ads = vec![
        Ad::new(&mut rng, 0, CREATIVES[0], at(2, 0, 0), at(15, 23, 59)),
        Ad::new(&mut rng, 1, CREATIVES[1], at(13, 0, 0), at(22, 23, 59)),
        Ad::new(&mut rng, 2, CREATIVES[2], at(4, 0, 0), at(12, 23, 59)),
    ];
    let mut log = Log::new(ads, taken, SHOP_RATES);
    log.phones.extend(chat_phones.iter().copied());
    let blast = |answers, buys| Blast {
        name: "esquenta_black_friday",
        at: at(19, 10, 0),
        answers,
        buys,
    };
    let paid = Outcome::Buys(Status::Paid);
    let plain = |ad, outcome| Story::new(ad, outcome, 0);
    // Who they are and what happens, with the days of their first message.
    let plots: [(u32, u32, Story); 14] = [
        (
            2,
            6,
            Story {
                legacy: true,
                shipped: true,
                ..plain(Some(0), paid)
            },
        ),
        (3, 9, plain(Some(0), Outcome::Buys(Status::Refunded))),
        (
            4,
            8,
            Story {
                catalog: true,
                changes_number: true,
                shipped: true,
                ..plain(Some(0), paid)
            },
        ),
        (
            9,
            14,
            Story {
                shipped: true,
                ..plain(Some(0), paid)
            },
        ),
        (
            5,
            12,
            Story {
                follow_up: true,
                blast: Some(blast(false, false)),
                ..plain(Some(0), Outcome::Thinks)
            },
        ),
        (
            13,
            18,
            Story {
                catalog: true,
                legacy: true,
                shipped: true,
                ..plain(Some(1), paid)
            },
        ),
        (
            14,
            19,
            Story {
                catalog: true,
                ..plain(Some(1), Outcome::Buys(Status::Pending))
            },
        ),
        (16, 20, plain(Some(1), paid)),
        (15, 21, plain(Some(1), Outcome::Ghosts)),
        (
            4,
            10,
            Story {
                catalog: true,
                legacy: true,
                ..plain(Some(2), paid)
            },
        ),
        (
            5,
            11,
            Story {
                blast: Some(blast(true, true)),
                ..plain(Some(2), Outcome::Thinks)
            },
        ),
        (
            2,
            20,
            Story {
                blast: Some(blast(false, false)),
                ..plain(None, Outcome::Asks)
            },
        ),
        (
            6,
            17,
            Story {
                legacy: true,
                ..plain(None, paid)
            },
        ),
        (10, 21, plain(None, Outcome::Asks)),
    ];
    for (i, (first, last, story)) in plots.into_iter().enumerate() {
        let mut crng = rng.fork(i as u64);
        let day = first + crng.below(u64::from(last - first + 1)) as u32;
        // ad clicks peak in the evening; organic messages spread over the day
        let hour = if story.ad.is_some() && crng.chance(0.6) {
            crng.range(18, 22) as u32
        } else {
            crng.range(8, 17) as u32
        };
        let start = at(day, hour, 0) + crng.range(0, 3_599);
        play(&mut log, &mut crng, &Story { start, ..story });
    }
    // the export: nothing posted after Sunday 2026-11-22, 23:59:59
    let end = at(22, 23, 59) * 1_000 + 59_999;
    log.events.retain(|e| e.posted <= end);
    let sold_by = end / 1_000;
    log.sales.retain(|(_, s)| epoch(s.created) <= sold_by);
    let mut prng = rng.fork(u64::MAX);
    let lines = layout(&mut log, &mut prng);
    Webhooks {
        log,
        lines,
        limit: None,
    }
}

/// The shop's marketing templates.
const MARKETING: &[&str] = &[
    "novidades_da_semana",
    "cupom_de_volta",
    "esquenta_black_friday",
    "liquida_verao",
];

/// A random customer's story for the benchmark, starting at `start`.
fn random_story(rng: &mut Rng, ads: &[Ad], start: i64) -> Story {
    let running: Vec<usize> = (0..ads.len())
        .filter(|&a| ads[a].from <= start && start <= ads[a].to)
        .collect();
    let ad = (!running.is_empty() && rng.chance(0.7)).then(|| *rng.pick(&running));
    let outcome = match rng.weighted(if ad.is_some() {
        &[48, 18, 18, 10, 6]
    } else {
        &[30, 15, 10, 40, 5]
    }) {
        0 => Outcome::Buys(match rng.weighted(&[88, 7, 5]) {
            0 => Status::Paid,
            1 => Status::Pending,
            _ => Status::Refunded,
        }),
        1 => Outcome::Thinks,
        2 => Outcome::Ghosts,
        3 => Outcome::Asks,
        _ => Outcome::Unanswered,
    };
    let paid = outcome == Outcome::Buys(Status::Paid);
    let blast = rng.chance(0.12).then(|| {
        let day = local(start + rng.range(3 * DAY, 20 * DAY)).date();
        let name = *rng.pick(MARKETING);
        Blast {
            name,
            at: epoch(day.and_hms_opt(10, 0, 0).unwrap_or_default()) + rng.range(0, 7 * HOUR),
            answers: rng.chance(0.25),
            buys: rng.chance(0.4),
        }
    });
    Story {
        ad,
        start,
        outcome,
        catalog: rng.chance(0.3),
        legacy: rng.chance(0.25),
        changes_number: paid && rng.chance(0.004),
        shipped: paid && rng.chance(0.5),
        follow_up: outcome == Outcome::Thinks && rng.chance(0.3),
        blast,
    }
}

/// `customers` random customers arriving evenly from `from` to `to`, with the ads running then.
fn bench_log(seed: u64, customers: usize, from: i64, to: i64) -> Log {
    let mut rng = Rng::new(seed ^ CLOUD_SEED);
    let span = (to - from).max(DAY);
    let mut ads = Vec::new();
    let mut t = from - 5 * DAY;
    while t < to {
        let len = rng.range(14 * DAY, 35 * DAY);
        let creative = *rng.pick(CREATIVES);
        ads.push(Ad::new(&mut rng, ads.len() as u64, creative, t, t + len));
        t += rng.range(6 * DAY, 14 * DAY);
    }
    let mut log = Log::new(ads, BTreeSet::new(), BENCH_RATES);
    let gap = span as f64 / customers.max(1) as f64;
    for i in 0..customers {
        let mut crng = rng.fork(i as u64);
        let start = from + ((i as f64 + crng.unit()) * gap) as i64;
        let story = random_story(&mut crng, &log.ads, start);
        play(&mut log, &mut crng, &story);
    }
    log
}

/// The benchmark log: exactly `lines` lines of customers arriving from `from` to `to` (dates in
/// São Paulo); the log is cut where the lines run out.
pub fn bench(seed: u64, lines: usize, from: NaiveDate, to: NaiveDate) -> Webhooks {
    let from = epoch(from.and_hms_opt(8, 0, 0).unwrap_or_default());
    let to = epoch(to.and_hms_opt(22, 0, 0).unwrap_or_default());
    // a first guess of lines per customer from a small sample, then enough customers for ~3%
    // more lines than asked (the cut lands near `to`)
    let pilot = 200;
    let sample = bench_log(seed ^ 0x9e37, pilot, from, to).events.len() as f64;
    let per = (sample / pilot as f64).max(1.0);
    let mut customers = ((lines as f64 * 1.03) / per).ceil() as usize + 4;
    loop {
        let mut log = bench_log(seed, customers, from, to);
        let mut prng = Rng::new(seed ^ CLOUD_SEED).fork(u64::MAX);
        let planned = layout(&mut log, &mut prng);
        let total = planned.len() + planned.iter().filter(|l| l.retry > 0).count();
        if total >= lines {
            return Webhooks {
                log,
                lines: planned,
                limit: Some(lines),
            };
        }
        customers =
            (customers as f64 * lines as f64 / total.max(1) as f64 * 1.02).ceil() as usize + 4;
    }
}

impl Webhooks {
    /// Customers and purchases of each ad (`source_id`, headline, customers, purchases closed
    /// in the ad's conversation).
    pub fn ads(&self) -> Vec<(String, &'static str, usize, usize)> {
        let log = &self.log;
        let bought = |a: usize| log.sales.iter().filter(|(ad, _)| *ad == Some(a)).count();
        (0..log.ads.len())
            .map(|a| {
                let ad = &log.ads[a];
                (
                    ad.source_id.clone(),
                    ad.creative.headline,
                    log.per_ad[a],
                    bought(a),
                )
            })
            .collect()
    }

    /// Customers in the log.
    pub fn customers(&self) -> usize {
        self.log.customers
    }

    /// The conversations' purchases (for the orders CSV).
    pub fn sales(&self) -> Vec<CloudSale> {
        self.log.sales.iter().map(|(_, s)| s.clone()).collect()
    }

    /// The order the lines are written in: each line at its posting time, and a retried line
    /// again at its retry's time (`true`).
    fn schedule(&self) -> Vec<(u32, bool)> {
        let mut out = Vec::with_capacity(self.lines.len() + self.lines.len() / 32);
        let mut retries: BinaryHeap<Reverse<(i64, u32)>> = BinaryHeap::new();
        for (k, line) in self.lines.iter().enumerate() {
            while let Some(&Reverse((at, r))) = retries.peek() {
                if at > line.posted {
                    break;
                }
                retries.pop();
                out.push((r, true));
            }
            out.push((k as u32, false));
            if line.retry > 0 {
                retries.push(Reverse((line.posted + i64::from(line.retry), k as u32)));
            }
        }
        while let Some(Reverse((_, r))) = retries.pop() {
            out.push((r, true));
        }
        out
    }

    /// Writes the log to `path` as JSON Lines.
    pub fn write(&self, path: &Path) -> Result<CloudTotals> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let file =
            fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        let mut totals = CloudTotals::default();
        let mut buf = String::with_capacity(4_096);
        let limit = self.limit.unwrap_or(usize::MAX);
        for (k, again) in self.schedule().into_iter().take(limit) {
            let line = &self.lines[k as usize];
            self.render(line, &mut buf);
            w.write_all(buf.as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            totals.lines += 1;
            totals.bytes += buf.len();
            if again {
                totals.retries += 1;
                continue;
            }
            for e in [Some(line.a), line.b].into_iter().flatten() {
                match self.log.events[e as usize].what {
                    What::In(_) => totals.messages += 1,
                    What::Status { .. } => totals.statuses += 1,
                    What::Echo(_) => totals.echoes += 1,
                }
            }
        }
        w.flush()
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(totals)
    }
}

// ---- layout and JSON --------------------------------------------------------------------------

/// How a line holds its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One event.
    One,
    /// Two messages (or two statuses) in one `value`.
    SameValue,
    /// Two `changes` in one entry.
    TwoChanges,
}

/// One line of the log.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Its event (index into [`Log::events`]).
    a: u32,
    /// The event posted with it, if any.
    b: Option<u32>,
    /// How they share the line.
    shape: Shape,
    /// When it is posted (epoch milliseconds; the later event's for two).
    posted: i64,
    /// Wrapped as `{"received_at":…,"body":…}`.
    wrap: bool,
    /// Posted again this many milliseconds later (0: never).
    retry: u32,
}

/// Sorts the events by posting time and lays them out as lines: batches, wrappers, retries.
fn layout(log: &mut Log, rng: &mut Rng) -> Vec<Line> {
    log.events.sort_unstable_by_key(|e| (e.posted, e.seq));
    let ev = &log.events;
    let rates = log.rates;
    let mut lines = Vec::with_capacity(ev.len());
    let mut i = 0;
    while i < ev.len() {
        let (a, mut b, mut shape, mut posted) = (i as u32, None, Shape::One, ev[i].posted);
        // messages a customer sends close together are batched more often
        let pair = |x: What, y: What| match (x, y) {
            (What::In(x), What::In(y)) => {
                let (x, y) = (&log.inbound[x as usize], &log.inbound[y as usize]);
                x.number == y.number
                    && !matches!(x.kind, InKind::NumberChange(_))
                    && !matches!(y.kind, InKind::NumberChange(_))
            }
            _ => false,
        };
        let close = i + 1 < ev.len() && ev[i + 1].posted - ev[i].posted <= 60_000;
        let same = close && pair(ev[i].what, ev[i + 1].what);
        if close && rng.chance(if same { rates.batch * 5.0 } else { rates.batch }) {
            b = Some(i as u32 + 1);
            posted = ev[i + 1].posted;
            shape = match (ev[i].what, ev[i + 1].what) {
                _ if same => Shape::SameValue,
                (What::Status { send: x, .. }, What::Status { send: y, .. }) if x != y => {
                    Shape::SameValue
                }
                _ => Shape::TwoChanges,
            };
        }
        i += if b.is_some() { 2 } else { 1 };
        let wrap = rng.chance(rates.wrap);
        let retry = if rng.chance(rates.retry) {
            rng.range(20_000, 900_000) as u32
        } else {
            0
        };
        lines.push(Line {
            a,
            b,
            shape,
            posted,
            wrap,
            retry,
        });
    }
    lines
}

/// Base64 alphabets: standard (ids, digests) and URL-safe (click ids).
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Standard base64 with padding.
fn base64(out: &mut String, bytes: &[u8]) {
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, &b)| n | u32::from(b) << (16 - 8 * k));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(B64[(n >> (18 - 6 * k) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

/// A JSON string literal.
fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `"key":"value",` for a value that needs no escaping.
fn field(out: &mut String, key: &str, value: impl std::fmt::Display) {
    let _ = write!(out, "\"{key}\":\"{value}\",");
}

/// `189.9`: centavos as a JSON number of reais.
fn reais(out: &mut String, cents: u32) {
    let _ = match cents % 100 {
        0 => write!(out, "{}", cents / 100),
        c if c % 10 == 0 => write!(out, "{}.{}", cents / 100, c / 10),
        c => write!(out, "{}.{c:02}", cents / 100),
    };
}

impl Webhooks {
    /// The `wa_id` of a number.
    fn wa(&self, number: u32) -> &str {
        &self.log.numbers[number as usize].wa_id
    }

    /// `wamid.HBg…`: base64 of Meta's id layout around the customer's `wa_id`.
    fn wamid(&self, out: &mut String, id: Wamid) {
        let wa = self.wa(id.number).as_bytes();
        let mut raw = Vec::with_capacity(48);
        raw.extend_from_slice(&[0x1c, 0x18, wa.len() as u8]);
        raw.extend_from_slice(wa);
        let dir = if id.inbound { 0x12 } else { 0x11 };
        raw.extend_from_slice(&[0x15, 0x02, 0x00, dir, 0x18, 0x14]);
        let hex = format!("{:08X}{:012X}", id.serial, id.bits & 0xffff_ffff_ffff);
        raw.extend_from_slice(hex.as_bytes());
        raw.push(0);
        out.push_str("\"wamid.");
        base64(out, &raw);
        out.push('"');
    }

    /// One line of JSON (with its newline) into `out`.
    fn render(&self, line: &Line, out: &mut String) {
        out.clear();
        if line.wrap {
            let at = DateTime::from_timestamp_millis(line.posted).unwrap_or_default();
            out.push_str("{\"received_at\":\"");
            out.push_str(&at.to_rfc3339_opts(SecondsFormat::Millis, true));
            out.push_str("\",\"body\":");
        }
        out.push_str("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"");
        out.push_str(WABA_ID);
        out.push_str("\",\"changes\":[");
        let ev = |k: u32| self.log.events[k as usize];
        match (line.shape, line.b) {
            (Shape::SameValue, Some(b)) => self.change(out, ev(line.a), Some(ev(b))),
            (Shape::TwoChanges, Some(b)) => {
                self.change(out, ev(line.a), None);
                out.push(',');
                self.change(out, ev(b), None);
            }
            _ => self.change(out, ev(line.a), None),
        }
        out.push_str("]}]}");
        if line.wrap {
            out.push('}');
        }
        out.push('\n');
    }

    /// One `changes[]` item: `first` (and `second` in the same value).
    fn change(&self, out: &mut String, first: Event, second: Option<Event>) {
        out.push_str("{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{");
        field(out, "display_phone_number", BUSINESS_NUMBER);
        field(out, "phone_number_id", PHONE_NUMBER_ID);
        out.pop();
        out.push_str("},");
        let field_name = match first.what {
            What::In(m) => {
                let m = &self.log.inbound[m as usize];
                if !matches!(m.kind, InKind::NumberChange(_)) {
                    self.contacts(out, m.number);
                }
                out.push_str("\"messages\":[");
                self.message(out, m);
                if let Some(Event {
                    what: What::In(n), ..
                }) = second
                {
                    out.push(',');
                    self.message(out, &self.log.inbound[n as usize]);
                }
                "messages"
            }
            What::Status { send, ts, state } => {
                out.push_str("\"statuses\":[");
                self.status(out, send, ts, state);
                if let Some(Event {
                    what: What::Status { send, ts, state },
                    ..
                }) = second
                {
                    out.push(',');
                    self.status(out, send, ts, state);
                }
                "messages"
            }
            What::Echo(e) => {
                let e = &self.log.echoes[e as usize];
                self.contacts(out, e.number);
                out.push_str("\"message_echoes\":[{");
                field(out, "from", BUSINESS_NUMBER);
                field(out, "to", self.wa(e.number));
                out.push_str("\"id\":");
                self.wamid(out, e.id);
                out.push(',');
                field(out, "timestamp", e.ts);
                out.push_str("\"type\":\"text\",\"text\":{\"body\":");
                string(out, &e.text);
                out.push_str("}}");
                "smb_message_echoes"
            }
        };
        out.push_str("]},\"field\":\"");
        out.push_str(field_name);
        out.push_str("\"}");
    }

    /// `"contacts":[…],` of a number.
    fn contacts(&self, out: &mut String, number: u32) {
        let n = &self.log.numbers[number as usize];
        out.push_str("\"contacts\":[{\"profile\":{\"name\":");
        string(out, &n.name);
        out.push_str("},");
        field(out, "wa_id", &n.wa_id);
        out.pop();
        out.push_str("}],");
    }

    /// One `messages[]` item.
    fn message(&self, out: &mut String, m: &Inbound) {
        out.push('{');
        if let Some(c) = m.context {
            out.push_str("\"context\":{");
            field(out, "from", BUSINESS_NUMBER);
            out.push_str("\"id\":");
            self.wamid(out, c);
            out.push_str("},");
        }
        if let Some(r) = &m.referral {
            let ad = &self.log.ads[r.ad];
            let c = &ad.creative;
            out.push_str("\"referral\":{");
            field(out, "source_url", &ad.url);
            field(out, "source_id", &ad.source_id);
            field(out, "source_type", "ad");
            out.push_str("\"headline\":");
            string(out, c.headline);
            out.push_str(",\"body\":");
            string(out, c.body);
            out.push(',');
            let media = "https://scontent.xx.fbcdn.net/v/t45.1600-4";
            if c.video {
                field(out, "media_type", "video");
                field(
                    out,
                    "video_url",
                    format_args!("{media}/{}_v.mp4", ad.source_id),
                );
                field(
                    out,
                    "thumbnail_url",
                    format_args!("{media}/{}_t.jpg", ad.source_id),
                );
            } else {
                field(out, "media_type", "image");
                field(
                    out,
                    "image_url",
                    format_args!("{media}/{}_n.jpg", ad.source_id),
                );
            }
            field(out, "ctwa_clid", &r.ctwa_clid);
            out.pop();
            out.push_str("},");
        }
        field(out, "from", self.wa(m.number));
        out.push_str("\"id\":");
        self.wamid(out, m.id);
        out.push(',');
        field(out, "timestamp", m.ts);
        match &m.kind {
            InKind::Text(t) => {
                out.push_str("\"type\":\"text\",\"text\":{\"body\":");
                string(out, t);
                out.push('}');
            }
            InKind::Image(caption) => {
                out.push_str("\"type\":\"image\",\"image\":{");
                if let Some(c) = caption {
                    out.push_str("\"caption\":");
                    string(out, c);
                    out.push(',');
                }
                field(out, "mime_type", "image/jpeg");
                let mut r = Rng::new(m.id.bits);
                let digest: Vec<u8> = (0..32).map(|_| r.next_u64() as u8).collect();
                out.push_str("\"sha256\":\"");
                base64(out, &digest);
                out.push_str("\",");
                field(
                    out,
                    "id",
                    1_000_000_000_000_000 + m.id.bits % 999_999_999_999_999,
                );
                out.pop();
                out.push('}');
            }
            InKind::Button(payload, text) => {
                out.push_str("\"type\":\"button\",\"button\":{");
                field(out, "payload", payload);
                out.push_str("\"text\":");
                string(out, text);
                out.push('}');
            }
            InKind::Choice(id, title) => {
                out.push_str(
                    "\"type\":\"interactive\",\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{",
                );
                field(out, "id", id);
                out.push_str("\"title\":");
                string(out, title);
                out.push_str("}}");
            }
            InKind::Order(items) => {
                out.push_str("\"type\":\"order\",\"order\":{");
                field(out, "catalog_id", CATALOG_ID);
                out.push_str("\"text\":\"\",\"product_items\":[");
                for (k, (sku, qty, price)) in items.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    out.push('{');
                    field(out, "product_retailer_id", sku);
                    let _ = write!(out, "\"quantity\":{qty},\"item_price\":");
                    reais(out, *price);
                    out.push_str(",\"currency\":\"BRL\"}");
                }
                out.push_str("]}");
            }
            InKind::Reaction(to, emoji) => {
                out.push_str("\"type\":\"reaction\",\"reaction\":{\"message_id\":");
                self.wamid(out, *to);
                out.push_str(",\"emoji\":");
                string(out, emoji);
                out.push('}');
            }
            InKind::NumberChange(new) => {
                let (old, new) = (self.wa(m.number), self.wa(*new));
                let name = &self.log.numbers[m.number as usize].name;
                out.push_str("\"system\":{\"body\":");
                string(out, &format!("User {name} changed from {old} to {new}"));
                out.push(',');
                field(out, "wa_id", new);
                out.push_str("\"type\":\"user_changed_number\"},\"type\":\"system\"");
            }
        }
        out.push('}');
    }

    /// One `statuses[]` item: the conversation object and pricing on `sent` and `delivered`
    /// (conversation only where the pricing model shows it), the errors on `failed`.
    fn status(&self, out: &mut String, send: u32, ts: i64, state: State) {
        let s = &self.log.sends[send as usize];
        out.push_str("{\"id\":");
        self.wamid(out, s.id);
        out.push(',');
        let name = match state {
            State::Sent => "sent",
            State::Delivered => "delivered",
            State::Read => "read",
            State::Failed(_) => "failed",
        };
        field(out, "status", name);
        field(out, "timestamp", ts);
        field(out, "recipient_id", self.wa(s.number));
        let agent = AGENTS[usize::from(s.agent)].name;
        let _ = write!(
            out,
            "\"biz_opaque_callback_data\":\"agent={agent};conv=c-{:04}",
            s.conv
        );
        if let Some(t) = s.template {
            let _ = write!(out, ";template={t}");
        }
        out.push('"');
        if let State::Failed(code) = state {
            let (title, details) = match code {
                131_047 => (
                    "Re-engagement message",
                    "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
                ),
                _ => (
                    "Message undeliverable",
                    "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted the new Terms of Service and Privacy Policy; the recipient is using an old WhatsApp version.",
                ),
            };
            let _ = write!(
                out,
                ",\"errors\":[{{\"code\":{code},\"title\":\"{title}\",\"message\":\"{title}\",\"error_data\":{{\"details\":\"{details}\"}},\"href\":\"{ERROR_HREF}\"}}]"
            );
        } else if state != State::Read {
            let category = s.category.as_str();
            if s.cbp || s.category == Category::ReferralConversion {
                let _ = write!(
                    out,
                    ",\"conversation\":{{\"id\":\"{:016x}{:016x}\",",
                    s.window.0,
                    s.window.0.rotate_left(29) ^ 0x5bd1_e995
                );
                if state == State::Sent {
                    field(out, "expiration_timestamp", s.window.1);
                }
                let _ = write!(out, "\"origin\":{{\"type\":\"{category}\"}}}}");
            }
            let billable = !s.free || (s.cbp && s.category != Category::ReferralConversion);
            if s.cbp {
                let _ = write!(
                    out,
                    ",\"pricing\":{{\"billable\":{billable},\"pricing_model\":\"CBP\",\"category\":\"{category}\"}}"
                );
            } else {
                let kind = match (s.category, s.free) {
                    (Category::ReferralConversion, _) => "free_entry_point",
                    (_, true) => "free_customer_service",
                    (_, false) => "regular",
                };
                let _ = write!(
                    out,
                    ",\"pricing\":{{\"billable\":{billable},\"pricing_model\":\"PMP\",\"type\":\"{kind}\",\"category\":\"{category}\"}}"
                );
            }
        }
        out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::{base64, full_number, reais, string};

    #[test]
    fn encodings() {
        let mut s = String::new();
        base64(&mut s, b"Man");
        base64(&mut s, b"Ma");
        base64(&mut s, b"M");
        assert_eq!(s, "TWFuTWE=TQ==");
        let mut s = String::new();
        for c in [18_990, 10_000, 2_995] {
            reais(&mut s, c);
            s.push(' ');
        }
        assert_eq!(s, "189.9 100 29.95 ");
        let mut s = String::new();
        string(&mut s, "a\"b\\c\nç");
        assert_eq!(s, "\"a\\\"b\\\\c\\nç\"");
        assert_eq!(full_number("554188887777"), "5541988887777");
        assert_eq!(full_number("5541988887777"), "5541988887777");
    }
}
