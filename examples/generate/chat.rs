//! The conversation model: one customer's chat with the shop as a list of timestamped messages.
//!
//! Format-free on purpose: `export_txt` renders a [`Chat`] as an "Export chat" text file, and a
//! Cloud API JSONL or Shopify orders writer can render the same [`Chat`] (its [`Purchase`]s are
//! the orders the conversation closed).

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Weekday};

use crate::names::{AGENTS, Agent, Customer, PRODUCTS, Product, brl};
use crate::rng::Rng;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The customer.
    Customer,
    /// A human agent of the shop (text exports show the shop's name and a `*Name*:` signature).
    Agent(Agent),
    /// The shop's automatic greeting.
    Auto,
    /// WhatsApp itself (the encryption notice).
    System,
}

/// A media attachment left out of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// Photo.
    Image,
    /// Voice note.
    Audio,
    /// Video.
    Video,
    /// Sticker.
    Sticker,
    /// PDF or other document (the file name is kept on iOS).
    Document,
}

/// What a message is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Text, one entry per physical line (a multi-line message has several).
    Text(Vec<String>),
    /// A photo, audio, video, sticker or document.
    Media(Media),
    /// A message its sender deleted.
    Deleted,
    /// A missed call from the sender.
    MissedCall {
        /// Video rather than voice.
        video: bool,
    },
    /// The end-to-end encryption notice at the top of every chat.
    E2eNotice,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Wall-clock time as the exporting phone shows it (no zone), to the second.
    pub ts: NaiveDateTime,
    /// Who sent it.
    pub role: Role,
    /// What it is.
    pub body: Body,
}

impl Message {
    /// Physical lines this message takes in a text export.
    pub fn lines(&self) -> usize {
        match &self.body {
            Body::Text(lines) => lines.len(),
            _ => 1,
        }
    }
}

/// How a customer paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayMethod {
    /// Pix (instant transfer).
    Pix,
    /// Payment link (card).
    Link,
    /// Boleto bancário.
    Boleto,
}

/// A sale closed in the chat (when the agent confirmed the payment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    /// When the payment was confirmed.
    pub ts: NaiveDateTime,
    /// Order number quoted in the chat (`#4821`).
    pub order: u32,
    /// Total with shipping, in centavos.
    pub total: u32,
    /// How it was paid.
    pub method: PayMethod,
    /// What was bought (one product per sale).
    pub product: Product,
    /// The variant phrase as the chat says it (` no tamanho M`), or "".
    pub variant: String,
    /// Units bought (1 or 2).
    pub qty: u32,
    /// Shipping included in `total`, in centavos (0 when free).
    pub shipping: u32,
}

/// One customer's chat with the shop.
#[derive(Debug, Clone)]
pub struct Chat {
    /// The customer.
    pub customer: Customer,
    /// Messages in export order (timestamps non-decreasing except rare 1-minute slips).
    pub messages: Vec<Message>,
    /// Sales closed in the chat.
    pub purchases: Vec<Purchase>,
    /// Conversations (sessions) generated.
    pub sessions: usize,
}

impl Chat {
    /// Physical lines of the chat in a text export.
    pub fn lines(&self) -> usize {
        self.messages.iter().map(Message::lines).sum()
    }
}

/// The shop's side of every chat.
#[derive(Debug, Clone)]
pub struct Shop {
    /// Business sender name (`Loja Exemplo`).
    pub name: String,
}

impl Shop {
    /// The greeting the shop's WhatsApp Business app sends automatically.
    pub fn greeting(&self) -> String {
        format!(
            "Olá! Obrigado por entrar em contato com a {}. Em instantes um atendente vai te responder.",
            self.name
        )
    }

    /// Lower-case ASCII slug of the name for URLs and e-mail (`lojaexemplo`).
    fn slug(&self) -> String {
        self.name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    }
}

/// How big a chat should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// Exactly this many physical lines (the last message is cut to fit).
    Lines(usize),
    /// This many conversations, however many lines they take.
    Sessions(usize),
}

/// What to generate for one chat.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Earliest first message.
    pub start: NaiveDateTime,
    /// Sessions are spread to end about here.
    pub end: NaiveDateTime,
    /// Drop everything after `end` (the moment of the export).
    pub cut_at_end: bool,
    /// How big.
    pub size: Size,
    /// Put a date-looking continuation line (`13/01/2023, 14:00 fica bom pra mim?`) into some
    /// multi-line messages.
    pub date_trap: bool,
    /// Whether the shop ever answers this customer (false: greeting at most, then silence).
    pub answered: bool,
    /// Multiplies the rates of deleted messages and missed calls (1 = realistic; the small
    /// `--shop` sample raises it so that every kind shows up).
    pub rare_events: f64,
}

/// Probability that a text message that can run long (openers, questions, quotes) gets 2–4
/// lines; about 8% of all messages.
const P_MULTILINE: f64 = 0.13;
/// Probability that a multi-line customer message carries the date trap.
const P_TRAP: f64 = 0.15;
/// Extra media / deleted / missed-call messages per customer text (with the scripted ones: about
/// 3%, 0.5% and 0.3% of lines).
const P_MEDIA: f64 = 0.018;
const P_DELETED: f64 = 0.009;
const P_CALL: f64 = 0.007;
/// Second and later lines of multi-line customer messages (`{cep}`, `{city}` filled in).
const CUSTOMER_EXTRA: &[&str] = &[
    "É pra presente",
    "Pode entregar no meu trabalho?",
    "{cep}",
    "Obrigada desde já",
    "Preciso até sábado, dá tempo?",
    "{city}",
    "Tem foto de perto?",
    "Se tiver em outra cor também me interessa",
];

/// Second and later lines of multi-line agent messages.
const AGENT_EXTRA: &[&str] = &[
    "Aceitamos pix (5% de desconto), cartão em até 3x sem juros e boleto.",
    "Qualquer dúvida estou à disposição!",
    "Atendimento de segunda a sexta, das 9h às 18h, e sábado das 9h às 13h.",
    "Enviamos para todo o Brasil 🚚",
    "Trocas grátis em até 30 dias.",
];

/// Rare 1-minute backward slips of the clock, as real exports have.
const P_SLIP: f64 = 0.001;

/// Generates one chat.
pub fn generate(rng: &mut Rng, shop: &Shop, customer: Customer, plan: &Plan) -> Chat {
    let window = (plan.end - plan.start).num_seconds().max(3600) as f64;
    let (first_at, sessions_est) = match plan.size {
        Size::Sessions(n) => {
            let need = n as f64 * 1.5 * 86_400.0;
            let slack = (window - need).max(window * 0.1);
            (rng.unit() * slack, n.max(1) as f64)
        }
        Size::Lines(l) => (
            rng.unit() * (window * 0.01).min(43_200.0),
            (l as f64 / 9.0).max(1.0),
        ),
    };
    // Realistic pace (business hours, replies the next morning) when sessions are at least half a
    // day apart; a dense file (the 1,000,000-line benchmark) shrinks every delay instead.
    let budget = window / sessions_est;
    let scale = (budget / 43_200.0).clamp(0.0005, 1.0);
    let now = plan.start + secs(first_at);
    let mut g = Gen {
        rng,
        shop,
        plan,
        cust: customer,
        now,
        last_ts: None,
        msgs: Vec::new(),
        lines: 0,
        full: false,
        scale,
        office: scale >= 1.0,
        purchases: Vec::new(),
        sessions: 0,
        busy: 0.0,
        agent: AGENTS[0],
        product: PRODUCTS[0],
        variant: String::new(),
    };
    g.start_of_day();
    g.push(Role::System, Body::E2eNotice);
    loop {
        match plan.size {
            Size::Lines(_) if g.full => break,
            Size::Sessions(n) if g.sessions >= n || g.full => break,
            _ => {}
        }
        if g.sessions > 0 {
            g.gap();
        }
        let began = g.now;
        g.session();
        g.busy += (g.now - began).num_seconds() as f64;
        g.sessions += 1;
    }
    Chat {
        customer: g.cust,
        messages: g.msgs,
        purchases: g.purchases,
        sessions: g.sessions,
    }
}

fn secs(s: f64) -> TimeDelta {
    TimeDelta::seconds(s.max(0.0) as i64)
}

/// The chat being built.
struct Gen<'a> {
    rng: &'a mut Rng,
    shop: &'a Shop,
    plan: &'a Plan,
    cust: Customer,
    now: NaiveDateTime,
    last_ts: Option<NaiveDateTime>,
    msgs: Vec<Message>,
    lines: usize,
    full: bool,
    /// Every delay is multiplied by this (1 = realistic).
    scale: f64,
    /// Agents keep business hours (realistic pace only).
    office: bool,
    purchases: Vec<Purchase>,
    sessions: usize,
    /// Seconds spent inside sessions so far (to leave room for them in the gaps).
    busy: f64,
    agent: Agent,
    product: Product,
    variant: String,
}

impl Gen<'_> {
    // ---- clock -------------------------------------------------------------------------------

    fn wait(&mut self, seconds: f64) {
        self.now += secs(seconds * self.scale);
    }

    /// Customers write between 7:00 and 23:00.
    fn start_of_day(&mut self) {
        if !self.office {
            return;
        }
        let h = self.now.hour();
        if !(7..23).contains(&h) {
            let day = if h >= 23 {
                self.now.date() + TimeDelta::days(1)
            } else {
                self.now.date()
            };
            self.now =
                day.and_hms_opt(7, 0, 0).unwrap_or(self.now) + secs(self.rng.unit() * 10_800.0);
        }
    }

    fn open(ts: NaiveDateTime) -> bool {
        let h = ts.hour();
        match ts.weekday() {
            Weekday::Sun => false,
            Weekday::Sat => (9..13).contains(&h),
            _ => (9..18).contains(&h),
        }
    }

    fn next_open(ts: NaiveDateTime) -> NaiveDateTime {
        let mut day: NaiveDate = ts.date();
        loop {
            let opening = day.and_hms_opt(9, 0, 0).unwrap_or(ts);
            if opening > ts && Self::open(opening) {
                return opening;
            }
            if opening <= ts && Self::open(ts) {
                return ts;
            }
            day += TimeDelta::days(1);
        }
    }

    /// Gap between conversations: spread the remaining ones over what is left of the window.
    fn gap(&mut self) {
        let left = (self.plan.end - self.now).num_seconds() as f64;
        let remaining = match self.plan.size {
            Size::Sessions(n) => (n - self.sessions) as f64,
            Size::Lines(l) => {
                let per = self.lines as f64 / self.sessions.max(1) as f64;
                ((l - self.lines) as f64 / per.max(1.0)).max(1.0)
            }
        };
        let per_session = self.busy / self.sessions.max(1) as f64;
        let budget = if left > 0.0 {
            (left / (remaining + 0.5) - per_session).max(left / (remaining + 0.5) * 0.2)
        } else {
            3_600.0 * self.scale.max(0.05)
        };
        let gap = if self.office {
            budget.max(7_200.0)
        } else {
            budget
        };
        self.now += secs(gap * self.rng.log_uniform(0.25, 2.5) / 0.98);
        self.start_of_day();
    }

    /// Waits a log-uniform time in `[lo, hi]` seconds (scaled).
    fn wait_log(&mut self, lo: f64, hi: f64) {
        let d = self.rng.log_uniform(lo, hi);
        self.wait(d);
    }

    fn agent_delay(&mut self) {
        let d = if self.rng.chance(0.06) {
            self.rng.log_uniform(10_800.0, 72_000.0)
        } else {
            self.rng.log_uniform(20.0, 5_400.0)
        };
        self.wait(d);
        if self.office && !Self::open(self.now) && !(self.now.hour() < 22 && self.rng.chance(0.12))
        {
            self.now = Self::next_open(self.now) + secs(self.rng.log_uniform(60.0, 2_400.0));
        }
    }

    fn customer_delay(&mut self) {
        let d = match self.rng.weighted(&[85, 10, 5]) {
            0 => self.rng.log_uniform(15.0, 3_600.0),
            1 => self.rng.log_uniform(3_600.0, 28_800.0),
            _ => self.rng.log_uniform(50_000.0, 100_000.0),
        };
        self.wait(d);
        self.start_of_day();
    }

    fn typing(&mut self) {
        let d = self.rng.log_uniform(4.0, 90.0);
        self.wait(d);
    }

    // ---- messages ----------------------------------------------------------------------------

    fn push(&mut self, role: Role, mut body: Body) {
        if self.full || (self.plan.cut_at_end && self.now > self.plan.end) {
            self.full = true;
            return;
        }
        let mut n = match &body {
            Body::Text(l) => l.len(),
            _ => 1,
        };
        if let Size::Lines(limit) = self.plan.size {
            let room = limit - self.lines;
            if let Body::Text(l) = &mut body
                && n > room
            {
                l.truncate(room);
                n = room;
            }
            self.full = self.lines + n >= limit;
        }
        let ts = match self.last_ts {
            Some(last) if self.rng.chance(P_SLIP) => last - TimeDelta::minutes(1),
            _ => self.now,
        };
        self.last_ts = Some(ts.max(self.last_ts.unwrap_or(ts)));
        self.lines += n;
        self.msgs.push(Message { ts, role, body });
    }

    /// A customer text, sometimes with a photo, a deleted message or a missed call around it.
    /// A one-line customer text.
    fn customer(&mut self, text: String) {
        self.customer_msg(text, false);
    }

    /// A customer text that may run over several lines.
    fn customer_ml(&mut self, text: String) {
        self.customer_msg(text, true);
    }

    fn customer_msg(&mut self, text: String, ml: bool) {
        if self.rng.chance(P_CALL * self.plan.rare_events) {
            let video = self.rng.chance(0.2);
            self.push(Role::Customer, Body::MissedCall { video });
            self.typing();
        }
        if self.rng.chance(P_MEDIA) {
            let media = match self.rng.weighted(&[60, 25, 8, 4, 3]) {
                0 => Media::Image,
                1 => Media::Audio,
                2 => Media::Sticker,
                3 => Media::Video,
                _ => Media::Document,
            };
            self.push(Role::Customer, Body::Media(media));
            self.typing();
        }
        let lines = if ml {
            self.multiline(text, true)
        } else {
            vec![text]
        };
        self.push(Role::Customer, Body::Text(lines));
        if self.rng.chance(P_DELETED * self.plan.rare_events) {
            self.typing();
            self.push(Role::Customer, Body::Deleted);
        }
    }

    /// An agent text (signed when rendered), sometimes with a product photo first.
    fn agent(&mut self, text: String) {
        self.agent_msg(text, false);
    }

    /// An agent text that may run over several lines.
    fn agent_ml(&mut self, text: String) {
        self.agent_msg(text, true);
    }

    fn agent_msg(&mut self, text: String, ml: bool) {
        if self.rng.chance(P_MEDIA * 0.6) {
            self.push(Role::Agent(self.agent), Body::Media(Media::Image));
            self.typing();
        }
        let lines = if ml {
            self.multiline(text, false)
        } else {
            vec![text]
        };
        self.push(Role::Agent(self.agent), Body::Text(lines));
        if self.rng.chance(P_DELETED * 0.3 * self.plan.rare_events) {
            self.typing();
            self.push(Role::Agent(self.agent), Body::Deleted);
        }
    }

    fn multiline(&mut self, text: String, customer: bool) -> Vec<String> {
        let mut lines = vec![text];
        if !self.rng.chance(P_MULTILINE) {
            return lines;
        }
        if customer && self.plan.date_trap && self.rng.chance(P_TRAP) {
            if self.rng.chance(0.5) {
                lines.push("Posso retirar aí na loja?".to_string());
            }
            lines.push(self.trap_line());
            return lines;
        }
        let extra = self.rng.range(1, 3) as usize;
        let pool = if customer {
            CUSTOMER_EXTRA.len()
        } else {
            AGENT_EXTRA.len()
        } as u64;
        let first = self.rng.below(pool) as usize;
        for k in 0..extra {
            if k > 0 && self.rng.chance(0.08) {
                lines.push(String::new());
            }
            let idx = (first + k) % pool as usize;
            let l = if customer {
                self.customer_extra(idx)
            } else {
                AGENT_EXTRA[idx].to_string()
            };
            lines.push(l);
        }
        lines
    }

    /// `13/01/2023, 14:00 fica bom pra mim?`: a body line that looks like a header.
    fn trap_line(&mut self) -> String {
        let day = self.now.date() + TimeDelta::days(self.rng.range(1, 6));
        let hour = self.rng.range(9, 18);
        let tail = *self.rng.pick(&[
            "fica bom pra mim?",
            "pode ser?",
            "consigo retirar?",
            "alguém vai estar aí?",
        ]);
        format!(
            "{:02}/{:02}/{}, {hour}:00 {tail}",
            day.day(),
            day.month(),
            day.year()
        )
    }

    fn customer_extra(&mut self, idx: usize) -> String {
        match CUSTOMER_EXTRA[idx] {
            "{cep}" => format!("Meu CEP é {}", self.cep()),
            "{city}" => format!("Moro em {}", self.cust.city.name),
            t => t.to_string(),
        }
    }

    /// A CEP in the customer's city (first two digits right, the rest random).
    fn cep(&mut self) -> String {
        let c = self.cust.city.cep;
        format!(
            "{c:02}{:03}-{:03}",
            self.rng.below(1_000),
            self.rng.below(1_000)
        )
    }

    fn hello(&mut self) -> &'static str {
        let tod = match self.now.hour() {
            0..12 => "Bom dia",
            12..18 => "Boa tarde",
            _ => "Boa noite",
        };
        let options = ["Oi", "Olá", "Oii", tod, tod];
        options[self.rng.below(options.len() as u64) as usize]
    }

    /// `, Mariana` when the shop knows the name, else "".
    fn vocative(&self) -> String {
        match &self.cust.saved_name {
            Some(_) => format!(", {}", self.cust.first),
            None => String::new(),
        }
    }

    fn thanks(female: bool) -> &'static str {
        if female { "Obrigada" } else { "Obrigado" }
    }

    // ---- conversations -----------------------------------------------------------------------

    fn session(&mut self) {
        self.agent = *self.rng.pick(AGENTS);
        self.product = *self.rng.pick(PRODUCTS);
        self.variant = self.product.variant(self.rng);
        if self.sessions > 0 && self.plan.answered && self.rng.chance(0.1) {
            self.business_first();
            return;
        }
        let kind = self.rng.weighted(&[36, 22, 13, 12, 13]);
        if kind == 3 && self.purchases.is_empty() {
            return self.question();
        }
        match kind {
            0..=2 => {
                self.opener();
                if !self.first_reply() {
                    return;
                }
                self.quote();
                match kind {
                    0 => self.purchase(),
                    1 => self.thinking(),
                    _ => {} // the customer never comes back
                }
            }
            3 => self.after_sales(),
            _ => self.question(),
        }
    }

    fn opener(&mut self) {
        let hello = self.hello();
        let (art, name, v) = (self.product.art(), self.product.name, self.variant.clone());
        let de = self.product.de();
        let text = match self.rng.below(7) {
            0 => format!("{hello}! Vocês têm {art} {name}{v}?"),
            1 => format!("{hello}! Quanto custa {art} {name}?"),
            2 => format!("{hello}, ainda tem {art} {name}{v}?"),
            3 => format!("{hello}! Vi {art} {name} no Instagram, ainda está disponível?"),
            4 => format!("{hello}, tudo bem? Queria saber o valor {de} {name}{v}"),
            5 => format!(
                "{hello}! {} {name} ainda tem{v}?",
                capitalize(self.product.this())
            ),
            _ => format!("{hello}, vi o anúncio {de} {name}. Qual o preço?"),
        };
        self.customer_ml(text);
        if self.rng.chance(0.2) {
            self.typing();
            let t = (*self
                .rng
                .pick(&["Quanto fica?", "Tem pronta entrega?", "Vocês entregam?"]))
            .to_string();
            self.customer(t);
        }
    }

    /// The greeting and the first human answer; false when nobody answers this time.
    fn first_reply(&mut self) -> bool {
        let closed = self.office && !Self::open(self.now);
        if self.rng.chance(if closed { 0.85 } else { 0.2 }) {
            self.now += TimeDelta::seconds(self.rng.range(1, 4)); // automatic: seconds, at any pace
            self.push(Role::Auto, Body::Text(vec![self.shop.greeting()]));
        }
        if !self.plan.answered || self.rng.chance(0.04) {
            if self.rng.chance(0.5) {
                self.wait_log(1_800.0, 20_000.0);
                self.start_of_day();
                let t =
                    (*self
                        .rng
                        .pick(&["??", "Oi, alguém?", "Alguém pode me responder?", "Oii"]))
                    .to_string();
                self.customer(t);
            }
            return false;
        }
        self.agent_delay();
        true
    }

    fn quote(&mut self) {
        let voc = self.vocative();
        let hello = self.hello();
        let (art, name, v) = (
            capitalize(self.product.art()),
            self.product.name,
            self.variant.clone(),
        );
        let price = brl(self.product.price);
        if self.rng.chance(0.08) {
            self.agent(format!("{hello}{voc}! {art} {name}{v} acabou, mas chega mais na semana que vem. Quer que eu te avise?"));
            self.customer_delay();
            self.customer("Quero sim, por favor".into());
            return;
        }
        let text = match self.rng.below(3) {
            0 => format!("Oi{voc}! Tudo bem? Temos sim! {art} {name}{v} sai por {price}."),
            1 => format!(
                "{hello}{voc}! Temos sim 😊 {art} {name} está {price}, e no pix tem 5% de desconto."
            ),
            _ => format!("{hello}! Temos{v}, sim. Fica {price} à vista ou em até 3x sem juros."),
        };
        self.agent_ml(text);
        self.customer_delay();
        if self.rng.chance(0.7) {
            let (city, uf) = (self.cust.city.name, self.cust.city.uf);
            let q = match self.rng.below(4) {
                0 => format!("E o frete pra {city}?"),
                1 => format!("Quanto fica o frete para {city}/{uf}?"),
                2 => format!("Vocês entregam em {city}? Qual o prazo?"),
                _ => {
                    let cep = self.cep();
                    format!("Qual o frete pro CEP {cep}?")
                }
            };
            self.customer_ml(q);
            self.agent_delay();
            let c = self.cust.city;
            let a = if self.product.price >= 29_900 {
                format!("Acima de R$ 299,00 o frete é grátis pra {} 😉", c.name)
            } else if self.rng.chance(0.5) {
                format!(
                    "O frete para {} fica {}, entrega em {} a {} dias úteis.",
                    c.name,
                    brl(c.frete),
                    c.days.0,
                    c.days.1
                )
            } else {
                format!(
                    "Para {} o frete sai {} e chega em até {} dias úteis 🚚",
                    c.name,
                    brl(c.frete),
                    c.days.1
                )
            };
            self.agent_ml(a);
            self.customer_delay();
        }
    }

    fn purchase(&mut self) {
        let qty = if self.rng.chance(0.12) { 2 } else { 1 };
        let d = if qty == 2 {
            "Quero 2, faz um precinho?"
        } else {
            *self.rng.pick(&[
                "Fechado! Vou querer",
                "Pode ser, quero sim",
                "Ok, vou levar",
                "Beleza, me passa o total",
            ])
        };
        self.customer_ml(d.to_string());
        self.agent_delay();
        let frete = if self.product.price * qty >= 29_900 {
            0
        } else {
            self.cust.city.frete
        };
        let total = self.product.price * qty + frete;
        if self.rng.chance(0.75) {
            self.agent_ml(format!(
                "O total fica {} com frete. Posso gerar o link de pagamento?",
                brl(total)
            ));
        } else {
            self.agent_ml(format!(
                "Fica {} com o frete. Pix, cartão ou boleto?",
                brl(total)
            ));
        }
        self.customer_delay();
        let method = match self.rng.weighted(&[45, 35, 12, 8]) {
            0 => {
                let t = *self
                    .rng
                    .pick(&["Prefiro pix", "Vou pagar no pix", "Pode ser pix?"]);
                self.customer(t.into());
                PayMethod::Pix
            }
            1 => {
                let t = *self.rng.pick(&["Pode sim!", "Pode gerar", "Manda o link"]);
                self.customer(t.into());
                PayMethod::Link
            }
            2 => {
                self.customer("Tem boleto?".into());
                PayMethod::Boleto
            }
            _ => {
                self.customer("Parcela no cartão?".into());
                self.agent_delay();
                let list = vec![
                    "Formas de pagamento:".to_string(),
                    "- Pix com 5% de desconto".to_string(),
                    "- Cartão em até 3x sem juros (pelo link)".to_string(),
                    "- Boleto à vista".to_string(),
                ];
                self.push(Role::Agent(self.agent), Body::Text(list));
                self.customer_delay();
                self.customer("Então manda o link".into());
                PayMethod::Link
            }
        };
        self.agent_delay();
        let slug = self.shop.slug();
        let code = self.rng.next_u64() % 0xFF_FFFF;
        let pay = match method {
            PayMethod::Pix => {
                if self.rng.chance(0.5) {
                    format!(
                        "Segue o pix: 12.345.678/0001-90 (CNPJ, {} Ltda). Assim que pagar me manda o comprovante, por favor.",
                        self.shop.name
                    )
                } else {
                    format!("Segue o pix: pix@{slug}.com.br. Depois me manda o comprovante 😊")
                }
            }
            PayMethod::Link => format!(
                "Segue o link de pagamento: https://pag.{slug}.com.br/p/{code:06x} (vale por 24h)"
            ),
            PayMethod::Boleto => format!(
                "Segue o boleto, vence em 3 dias úteis: https://pag.{slug}.com.br/b/{code:06x}"
            ),
        };
        self.agent_ml(pay);
        if !self.rng.chance(0.85) {
            return; // never paid
        }
        match method {
            PayMethod::Boleto => self.wait_log(7_200.0, 150_000.0),
            _ => self.wait_log(60.0, 7_200.0),
        }
        self.start_of_day();
        match (self.rng.below(3), method) {
            (0, _) => {
                self.customer("Paguei! Segue o comprovante".into());
                self.typing();
                self.push(Role::Customer, Body::Media(Media::Image));
            }
            (1, PayMethod::Pix) => {
                self.push(Role::Customer, Body::Media(Media::Image));
                self.typing();
                self.customer("Fiz o pix agora".into());
            }
            (1, PayMethod::Boleto) => self.customer("Paguei o boleto hoje cedo".into()),
            _ => self.customer("Pronto, pago ✅".into()),
        }
        self.agent_delay();
        let order = 1_000 + self.rng.below(9_000) as u32;
        let voc = self.vocative();
        let thanks = Self::thanks(self.agent.female);
        let text = if self.rng.chance(0.6) {
            format!("Recebido{voc}! {thanks} 😊 Seu pedido #{order} já está sendo separado.")
        } else {
            format!(
                "Pagamento confirmado! Pedido #{order}, envio em até 1 dia útil. Te mando o rastreio por aqui."
            )
        };
        self.agent_ml(text);
        self.purchases.push(Purchase {
            ts: self.now,
            order,
            total,
            method,
            product: self.product,
            variant: self.variant.clone(),
            qty,
            shipping: frete,
        });
        if self.rng.chance(0.6) {
            self.customer_delay();
            let t = if self.cust.female {
                *self
                    .rng
                    .pick(&["Obrigada!!", "Obrigada 🙏", "Valeu!", "👍"])
            } else {
                *self
                    .rng
                    .pick(&["Obrigado!", "Valeu!", "Show, obrigado", "👍"])
            };
            self.customer(t.into());
            if self.rng.chance(0.4) {
                self.agent_delay();
                self.agent("Nós que agradecemos! Qualquer coisa é só chamar.".into());
            }
        }
    }

    fn thinking(&mut self) {
        let t = *self.rng.pick(&[
            "Vou pensar e te aviso",
            "Vou ver com meu marido e te falo",
            "Deixa eu ver aqui e te chamo",
            "Ok, obrigada! Depois te chamo",
            "Tá um pouco caro pra mim agora, depois eu vejo",
        ]);
        self.customer(t.into());
        if self.rng.chance(0.6) {
            self.agent_delay();
            let a = *self.rng.pick(&[
                "Combinado! Fico à disposição 😊",
                "Tá bom! Qualquer dúvida é só chamar.",
            ]);
            self.agent(a.into());
        }
    }

    fn question(&mut self) {
        let hello = self.hello();
        let (q, a) = match self.rng.below(4) {
            0 => (
                "Qual o horário de vocês?",
                "Atendemos de segunda a sexta das 9h às 18h e sábado das 9h às 13h.",
            ),
            1 => (
                "Vocês têm loja física?",
                "Temos sim! Rua Augusta, 1500 - Consolação, São Paulo. Aberta de segunda a sábado.",
            ),
            2 => (
                "Como funciona a troca?",
                "A primeira troca é grátis em até 30 dias, é só manter a etiqueta.",
            ),
            _ => (
                "Aceitam cartão?",
                "Aceitamos cartão em até 3x sem juros, pix (5% de desconto) e boleto.",
            ),
        };
        self.customer_ml(format!("{hello}! {q}"));
        if !self.first_reply() {
            return;
        }
        self.agent(a.into());
        if self.rng.chance(0.5) {
            self.customer_delay();
            let t = Self::thanks(self.cust.female);
            self.customer(format!("{t}!"));
        }
    }

    fn after_sales(&mut self) {
        let order = self.purchases.last().map_or(1_234, |p| p.order);
        let hello = self.hello();
        let exchange = self.rng.chance(0.3);
        if exchange {
            let (art, name) = (capitalize(self.product.art()), self.product.name);
            self.customer_ml(format!(
                "{hello}! {art} {name} do pedido #{order} ficou pequeno, consigo trocar?"
            ));
        } else if self.rng.chance(0.5) {
            self.customer_ml(format!(
                "{hello}, meu pedido #{order} ainda não chegou, consegue ver pra mim?"
            ));
        } else {
            self.customer_ml(format!(
                "{hello}! Qual o código de rastreio do pedido #{order}?"
            ));
        }
        if !self.first_reply() {
            return;
        }
        let voc = self.vocative();
        if exchange {
            self.agent_ml(format!("Oi{voc}! Consegue sim, a primeira troca é grátis. Vou te mandar a etiqueta de postagem por aqui."));
            self.typing();
            self.push(Role::Agent(self.agent), Body::Media(Media::Document));
        } else {
            self.agent(format!("Oi{voc}! Vou verificar, só um minuto."));
            self.wait_log(60.0, 900.0);
            let code = 100_000_000 + self.rng.below(900_000_000);
            self.agent_ml(format!(
                "Código de rastreio: BR{code}BR. Está em trânsito para {}, deve chegar em até {} dias úteis.",
                self.cust.city.name, self.cust.city.days.1
            ));
        }
        if self.rng.chance(0.7) {
            self.customer_delay();
            let t = Self::thanks(self.cust.female);
            self.customer(format!("{t}!"));
        }
    }

    /// The shop writes first: back in stock, a coupon, a follow-up.
    fn business_first(&mut self) {
        if self.office && !Self::open(self.now) {
            self.now = Self::next_open(self.now) + secs(self.rng.log_uniform(60.0, 7_200.0));
        }
        let voc = self.vocative();
        let (art, name, v) = (self.product.art(), self.product.name, self.variant.clone());
        let text = match self.rng.below(3) {
            0 => format!("Oi{voc}! Passando pra avisar que {art} {name} voltou ao estoque{v} 😊"),
            1 => "Oi! Essa semana tem 15% de desconto em toda a loja com o cupom BLACK15 🖤 Posso te ajudar?".to_string(),
            _ => format!("Oi{voc}! Vi que você se interessou {} {name}. Ficou alguma dúvida?", if self.product.female { "pela" } else { "pelo" }),
        };
        self.agent_ml(text);
        if self.rng.chance(0.45) {
            return;
        }
        self.customer_delay();
        let t = *self.rng.pick(&[
            "Oba! Quanto fica?",
            "Quero sim! Qual o valor?",
            "Oi! Ainda tem?",
        ]);
        self.customer(t.into());
        self.agent_delay();
        self.quote();
        if self.rng.chance(0.6) {
            self.purchase()
        } else {
            self.thinking()
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
