//! The `--orders` writer: the chats' purchases as a Shopify admin "Orders export" CSV, plus a few
//! orders of customers who never chatted (unattributable) and one with neither phone nor email.
//!
//! With `--cloud-api`, the purchases of the Cloud API conversations ([`CloudSale`]) join them:
//! built and rendered from RNG streams of their own and merged in by creation time, so the rows
//! of the chats' orders stay byte-for-byte what they are without `--cloud-api`.
//!
//! One row per line item; the order's own columns only on its first row. Money is integer
//! centavos rendered `189.90`; times are the shop's São Paulo wall clock with `-0300`. Every
//! random choice here comes from its own RNG (seeded from the main seed), so the chats stay
//! byte-for-byte what they are without `--orders`.

use std::collections::BTreeSet;

use chrono::{NaiveDateTime, TimeDelta};

use crate::chat::{Chat, PayMethod, Purchase};
use crate::names::{Customer, PRODUCTS, Product};
use crate::rng::Rng;

/// The header of Shopify's "Orders export" (admin → Orders → Export), in its order.
pub const COLUMNS: &[&str] = &[
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
    "Tax 3 Name",
    "Tax 3 Value",
    "Tax 4 Name",
    "Tax 4 Value",
    "Tax 5 Name",
    "Tax 5 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
];

/// XORed into the main seed for the orders' own RNG.
const ORDER_SEED: u64 = 0x6f72_6465_7273_5a50;
/// Sub-stream of the orders' RNG rendering the chats' orders.
const RENDER_STREAM: u64 = 0x0c5f;
/// Sub-streams building and rendering the Cloud API conversations' orders.
const CLOUD_BUILD_STREAM: u64 = 0xc10d_b01d;
const CLOUD_RENDER_STREAM: u64 = 0xc10d_0c5f;
/// The WhatsApp coupon (10% off the products).
pub const ZAP10: Coupon = Coupon {
    code: "ZAP10",
    percent: 10,
};
/// Products at or above this subtotal ship free (as the agents say in the chats).
const FREE_SHIPPING: u32 = 29_900;

/// One chat's customer and sales, as the generator produced them.
#[derive(Debug, Clone)]
pub struct ChatOrders {
    /// The chat's customer.
    pub customer: Customer,
    /// Their line in the contacts file (its index there), when listed.
    pub contact: Option<usize>,
    /// The sales closed in the chat.
    pub purchases: Vec<Purchase>,
}

impl ChatOrders {
    /// The chat's customer and the sales it shows (a chat cut at the export keeps none of the
    /// sales closed after its last message).
    pub fn of(chat: &Chat, contact: Option<usize>) -> Self {
        let last = chat.messages.last().map(|m| m.ts);
        Self {
            customer: chat.customer.clone(),
            contact,
            purchases: chat
                .purchases
                .iter()
                .filter(|p| last.is_some_and(|l| p.ts <= l))
                .cloned()
                .collect(),
        }
    }
}

/// Counts for the summary line.
#[derive(Debug, Default)]
pub struct OrderTotals {
    /// Orders written.
    pub orders: usize,
    /// Line-item rows written.
    pub rows: usize,
    /// Orders of customers who never chatted.
    pub unattributable: usize,
    /// Chat sales left out because another chat already used their order number.
    pub duplicates: usize,
    /// Orders of the Cloud API conversations' sales.
    pub cloud: usize,
}

/// A discount code and the share of the products it takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coupon {
    /// The code the customer typed (`ZAP10`).
    pub code: &'static str,
    /// Percent off every line item.
    pub percent: u32,
}

impl Coupon {
    /// The discount on `cents` worth of products (rounded down).
    fn off(self, cents: u32) -> u32 {
        cents * self.percent / 100
    }
}

/// A sale closed in a Cloud API conversation (`--cloud-api` with `--shop`): the customer checked
/// out through the link the agent sent.
#[derive(Debug, Clone)]
pub struct CloudSale {
    /// The customer.
    pub customer: Customer,
    /// The phone the checkout keeps: the WhatsApp number in E.164 (`+5541988887777`).
    pub phone: String,
    /// Order number (unused by any other order; the customer may quote it in the chat).
    pub number: u32,
    /// When the order was created (São Paulo wall clock).
    pub created: NaiveDateTime,
    /// Product, variant phrase (` no tamanho M` or "") and quantity of each line item.
    pub items: Vec<(Product, String, u32)>,
    /// The ad's coupon, if any.
    pub coupon: Option<Coupon>,
    /// Shipping is free whatever the subtotal (the "Frete grátis" ad).
    pub free_shipping: bool,
    /// How it was paid.
    pub method: PayMethod,
    /// `Paid`, `Pending` (a boleto never paid) or `Refunded`.
    pub status: Status,
}

/// How the customer is reachable in the order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Contact {
    /// A phone (already in its written shape), maybe an email too.
    Phone(String, Option<String>),
    /// Only an email.
    Email(String),
    /// Neither (a counter sale).
    Nothing,
}

/// An order's financial status, as Shopify writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `paid`.
    Paid,
    /// `pending` (a boleto not paid yet).
    Pending,
    /// `refunded`.
    Refunded,
    /// `partially_refunded`.
    PartiallyRefunded,
    /// `voided` (a payment link never paid).
    Voided,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::Pending => "pending",
            Self::Refunded => "refunded",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Voided => "voided",
        }
    }
}

#[derive(Debug, Clone)]
struct Item {
    qty: u32,
    name: String,
    price: u32,
    sku: String,
}

#[derive(Debug, Clone)]
struct Order {
    number: u32,
    created: NaiveDateTime,
    status: Status,
    paid: Option<NaiveDateTime>,
    cancelled: Option<NaiveDateTime>,
    refunded: u32,
    items: Vec<Item>,
    coupon: Option<Coupon>,
    discount: u32,
    shipping: u32,
    method: PayMethod,
    customer: Customer,
    contact: Contact,
    from_chat: bool,
    pickup: bool,
}

impl Order {
    fn products(&self) -> u32 {
        self.items.iter().map(|i| i.qty * i.price).sum()
    }
    fn subtotal(&self) -> u32 {
        self.products() - self.discount
    }
    fn total(&self) -> u32 {
        self.subtotal() + self.shipping
    }
}

/// `189.90`.
pub fn money(cents: u32) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// `2026-11-05 14:03:27 -0300` (São Paulo has had no DST since 2019).
fn time(t: NaiveDateTime) -> String {
    format!("{} -0300", t.format("%Y-%m-%d %H:%M:%S"))
}

/// The phone in one of the shapes a checkout form keeps: `+55 41 98888-7777`,
/// `(41) 98888-7777`, `41988887777` or the legacy `+55 41 8888-7777`.
fn phone_shape(c: &Customer, rng: &mut Rng) -> String {
    let p = c.phone;
    let (a, b) = (p.number / 10_000, p.number % 10_000);
    let legacy = if c.legacy_display { 40 } else { 8 };
    match rng.weighted(&[35, 30, 25, legacy]) {
        0 => p.android(false),
        1 => format!("({}) {a:05}-{b:04}", p.ddd),
        2 => format!("{}{}", p.ddd, p.number),
        _ => p.android(true),
    }
}

fn ascii_lower(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                'á' | 'à' | 'â' | 'ã' | 'Á' | 'Â' | 'Ã' => 'a',
                'é' | 'ê' | 'É' | 'Ê' => 'e',
                'í' | 'Í' => 'i',
                'ó' | 'ô' | 'õ' | 'Ó' | 'Ô' => 'o',
                'ú' | 'ü' | 'Ú' => 'u',
                'ç' | 'Ç' => 'c',
                c => c,
            };
            c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
        })
        .collect()
}

fn email(c: &Customer, rng: &mut Rng) -> String {
    let (first, last) = (ascii_lower(&c.first), ascii_lower(c.last));
    let user = match rng.below(4) {
        0 => format!("{first}.{last}"),
        1 => format!("{first}{last}{}", rng.range(70, 99)),
        2 => format!("{first}_{}", rng.range(1, 999)),
        _ => format!("{}{last}", &first[..1]),
    };
    let domain = *rng.pick(&[
        "gmail.com",
        "gmail.com",
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "yahoo.com.br",
        "icloud.com",
        "uol.com.br",
    ]);
    format!("{user}@{domain}")
}

/// The variant as the catalog labels it (`M`, `Caramelo`, `38`), or "" for none.
fn variant_label(variant: &str) -> String {
    let v = variant
        .trim()
        .trim_start_matches("no tamanho ")
        .trim_start_matches("na cor ")
        .trim_start_matches("em ")
        .trim_start_matches("no ");
    let v = v.strip_prefix("no ").unwrap_or(v);
    let mut cs = v.chars();
    cs.next()
        .map(|f| f.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
}

/// The SKU of a product in a variant phrase (`VESTIDOMID-M`): the shop's `Lineitem sku` and the
/// `product_retailer_id` of its WhatsApp catalog.
pub fn sku(p: &Product, variant: &str) -> String {
    let base: String = ascii_lower(&p.name.replace(' ', ""))
        .chars()
        .take(10)
        .collect();
    let label = variant_label(variant);
    if label.is_empty() {
        base.to_uppercase()
    } else {
        format!("{base}-{}", ascii_lower(&label)).to_uppercase()
    }
}

/// `Vestido Midi Floral - M` from the chat's product and variant phrase.
fn item(p: &Product, variant: &str, qty: u32) -> Item {
    let title: Vec<String> = p
        .name
        .split(' ')
        .map(|w| {
            if w.len() <= 2 || w == "com" {
                w.to_string()
            } else {
                let mut cs = w.chars();
                cs.next()
                    .map(|f| f.to_uppercase().chain(cs).collect())
                    .unwrap_or_default()
            }
        })
        .collect();
    let title = title.join(" ");
    let label = variant_label(variant);
    let name = if label.is_empty() {
        title
    } else {
        format!("{title} - {label}")
    };
    Item {
        qty,
        name,
        price: p.price,
        sku: sku(p, variant),
    }
}

fn gift() -> Item {
    Item {
        qty: 1,
        name: "Brinde - Ecobag Loja Exemplo".into(),
        price: 0,
        sku: "BRINDE-ECOBAG".into(),
    }
}

fn state_name(uf: &str) -> &'static str {
    match uf {
        "SP" => "São Paulo",
        "RJ" => "Rio de Janeiro",
        "MG" => "Minas Gerais",
        "ES" => "Espírito Santo",
        "PR" => "Paraná",
        "SC" => "Santa Catarina",
        "RS" => "Rio Grande do Sul",
        "DF" => "Distrito Federal",
        "GO" => "Goiás",
        "BA" => "Bahia",
        "PE" => "Pernambuco",
        "CE" => "Ceará",
        "RN" => "Rio Grande do Norte",
        "PA" => "Pará",
        "AM" => "Amazonas",
        _ => "",
    }
}

/// Status, paid/cancelled times and refund of a sale created at `created`, `now` being the
/// export time.
fn settle(order: &mut Order, rng: &mut Rng, now: NaiveDateTime, forced: Option<Status>) {
    let boleto = order.method == PayMethod::Boleto;
    let status = forced.unwrap_or_else(|| {
        let recent = now - order.created < TimeDelta::days(2);
        match rng.weighted(&[88, 3, 3, 6]) {
            _ if boleto && (recent || rng.chance(0.4)) => Status::Pending,
            1 => Status::Refunded,
            2 => Status::PartiallyRefunded,
            3 if order.method == PayMethod::Link => Status::Voided,
            _ => Status::Paid,
        }
    });
    order.status = status;
    let pay_delay = secs(rng.range(5, 90));
    match status {
        Status::Pending => {}
        Status::Voided => {
            order.cancelled = Some(order.created + secs(rng.range(1_800, 172_800)));
        }
        Status::Paid | Status::Refunded | Status::PartiallyRefunded => {
            order.paid = Some(order.created + pay_delay);
        }
    }
    order.refunded = match status {
        Status::Refunded => order.total(),
        Status::PartiallyRefunded => {
            let first = order.items.first().map_or(0, |i| i.price);
            match rng.below(3) {
                0 if order.shipping > 0 => order.shipping,
                1 if first < order.total() => first,
                _ => order.total() / 2,
            }
        }
        _ => 0,
    };
    if status == Status::Refunded && rng.chance(0.5) {
        order.cancelled = Some(order.created + secs(rng.range(86_400, 432_000)));
    }
}

fn secs(s: i64) -> TimeDelta {
    TimeDelta::seconds(s)
}

/// Builds the orders: every chat sale (first use of an order number wins), then the
/// unattributable ones, newest first.
fn build(seed: u64, chats: &[ChatOrders], totals: &mut OrderTotals) -> Vec<Order> {
    let rng = Rng::new(seed ^ ORDER_SEED);
    let mut used = BTreeSet::new();
    let mut orders = Vec::new();
    let mut phones = BTreeSet::new();
    for c in chats {
        phones.insert((c.customer.phone.ddd, c.customer.phone.number));
    }
    let times = chats.iter().flat_map(|c| c.purchases.iter().map(|p| p.ts));
    let (Some(first), Some(last)) = (times.clone().min(), times.max()) else {
        return orders;
    };
    let now = last + TimeDelta::hours(12);
    for (i, c) in chats.iter().enumerate() {
        let mut crng = rng.fork(i as u64);
        let cust = &c.customer;
        let mail = email(cust, &mut crng);
        let has_mail = crng.chance(0.7);
        for p in &c.purchases {
            if !used.insert(p.order) {
                totals.duplicates += 1;
                continue;
            }
            let e = has_mail.then(|| mail.clone());
            let contact = if cust.saved_name.is_none() {
                Contact::Phone(phone_shape(cust, &mut crng), e)
            } else if let Some(k) = c.contact {
                // the same string the contacts file has for them
                Contact::Phone(cust.phone.contact_shape(k as u8), e)
            } else {
                Contact::Email(mail.clone())
            };
            let mut items = vec![item(&p.product, &p.variant, p.qty)];
            if crng.chance(0.25) {
                items.push(gift());
            }
            let mut o = Order {
                number: p.order,
                created: p.ts,
                status: Status::Paid,
                paid: None,
                cancelled: None,
                refunded: 0,
                items,
                coupon: None,
                discount: 0,
                shipping: p.shipping,
                method: p.method,
                customer: cust.clone(),
                contact,
                from_chat: true,
                pickup: false,
            };
            debug_assert_eq!(o.total(), p.total);
            settle(&mut o, &mut crng, now, None);
            orders.push(o);
        }
    }
    // Customers who never chatted: the checkout's own traffic.
    let mut orng = rng.fork(u64::MAX);
    let extra = (orders.len() / 5).clamp(6, 200);
    let span = (last - first).num_seconds().max(1);
    let forced = [
        Status::Pending,
        Status::Refunded,
        Status::Voided,
        Status::PartiallyRefunded,
    ];
    for k in 0..extra {
        let cust = loop {
            let c = Customer::random(&mut orng, 0.0);
            if phones.insert((c.phone.ddd, c.phone.number)) {
                break c;
            }
        };
        let number = loop {
            let n = if used.len() >= 8_000 {
                10_000 + used.len() as u32
            } else {
                1_000 + orng.below(9_000) as u32
            };
            if used.insert(n) {
                break n;
            }
        };
        let pickup = k == 0;
        let contact = if pickup {
            Contact::Nothing
        } else if orng.chance(0.25) {
            Contact::Email(email(&cust, &mut orng))
        } else {
            let e = orng.chance(0.8).then(|| email(&cust, &mut orng));
            Contact::Phone(phone_shape(&cust, &mut orng), e)
        };
        let mut items = Vec::new();
        for _ in 0..1 + orng.weighted(&[60, 30, 10]) {
            let p = orng.pick(PRODUCTS);
            let v = p.variant(&mut orng);
            let qty = if orng.chance(0.1) { 2 } else { 1 };
            items.push(item(p, &v, qty));
        }
        let products: u32 = items.iter().map(|i| i.qty * i.price).sum();
        let coupon = orng.chance(0.5).then_some(ZAP10);
        let discount = coupon.map_or(0, |c| items.iter().map(|i| c.off(i.qty * i.price)).sum());
        let shipping = if pickup || products - discount >= FREE_SHIPPING {
            0
        } else {
            cust.city.frete
        };
        let method = match orng.weighted(&[45, 40, 15]) {
            0 => PayMethod::Pix,
            1 => PayMethod::Link,
            _ => PayMethod::Boleto,
        };
        let mut created = first + secs(orng.range(0, span));
        if pickup {
            // a counter sale, in shop hours
            created = created.date().and_hms_opt(10, 0, 0).unwrap_or(created)
                + secs(orng.range(0, 8 * 3_600));
        }
        let mut o = Order {
            number,
            created,
            status: Status::Paid,
            paid: None,
            cancelled: None,
            refunded: 0,
            items,
            coupon,
            discount,
            shipping,
            method,
            customer: cust,
            contact,
            from_chat: false,
            pickup,
        };
        let force = match forced.get(k.wrapping_sub(1)) {
            Some(&Status::Pending) => {
                o.method = PayMethod::Boleto;
                Some(Status::Pending)
            }
            Some(&Status::Voided) => {
                o.method = PayMethod::Link;
                Some(Status::Voided)
            }
            Some(&s) => Some(s),
            None if pickup => Some(Status::Paid),
            None => None,
        };
        settle(&mut o, &mut orng, now, force);
        orders.push(o);
        totals.unattributable += 1;
    }
    orders.sort_by(|a, b| b.created.cmp(&a.created).then(b.number.cmp(&a.number)));
    orders
}

/// A CSV field, quoted when it needs to be.
fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn col(name: &str) -> usize {
    COLUMNS
        .iter()
        .position(|c| *c == name)
        .unwrap_or_else(|| panic!("no Shopify column {name:?}"))
}

/// Streets of the billing and shipping addresses.
const STREETS: &[&str] = &[
    "Rua das Flores",
    "Avenida Brasil",
    "Rua XV de Novembro",
    "Rua Sete de Setembro",
    "Avenida Paulista",
    "Rua São João",
    "Rua Santos Dumont",
    "Alameda Santos",
    "Rua Tiradentes",
    "Avenida Getúlio Vargas",
];

/// Renders one order as its CSV rows (LF line ends, as Shopify writes them). `exported` is the
/// moment of the export: nothing is fulfilled after it.
fn render_order(
    o: &Order,
    exported: NaiveDateTime,
    rng: &mut Rng,
    totals: &mut OrderTotals,
) -> String {
    let mut out = String::new();
    let name = format!("#{}", o.number);
    let c = &o.customer;
    let (phone, mail) = match &o.contact {
        Contact::Phone(p, e) => (p.clone(), e.clone().unwrap_or_default()),
        Contact::Email(e) => (String::new(), e.clone()),
        Contact::Nothing => (String::new(), String::new()),
    };
    let fulfilled = match (o.status, o.paid) {
        (Status::Paid | Status::PartiallyRefunded, Some(p)) if o.pickup => Some(p),
        (Status::Paid | Status::PartiallyRefunded, Some(p)) => {
            let f = p + TimeDelta::hours(20) + secs(rng.range(0, 7_200));
            (f <= exported).then_some(f)
        }
        _ => None,
    };
    let street = format!("{}, {}", rng.pick(STREETS), rng.range(12, 2_400));
    let zip = format!(
        "{:02}{:03}-{:03}",
        c.city.cep,
        rng.below(1_000),
        rng.below(1_000)
    );
    let billing_name = format!("{} {}", c.first, c.last);
    for (k, it) in o.items.iter().enumerate() {
        let mut row = vec![String::new(); COLUMNS.len()];
        let mut set = |n: &str, v: String| row[col(n)] = v;
        set("Name", name.clone());
        set("Lineitem quantity", it.qty.to_string());
        set("Lineitem name", it.name.clone());
        set("Lineitem price", money(it.price));
        set("Lineitem sku", it.sku.clone());
        set("Lineitem requires shipping", (!o.pickup).to_string());
        set("Lineitem taxable", "true".into());
        set(
            "Lineitem fulfillment status",
            if fulfilled.is_some() {
                "fulfilled"
            } else {
                "pending"
            }
            .into(),
        );
        if k == 0 {
            set("Email", mail.clone());
            set("Financial Status", o.status.as_str().into());
            set("Paid at", o.paid.map(time).unwrap_or_default());
            set(
                "Fulfillment Status",
                if fulfilled.is_some() {
                    "fulfilled"
                } else {
                    "unfulfilled"
                }
                .into(),
            );
            set("Fulfilled at", fulfilled.map(time).unwrap_or_default());
            set(
                "Accepts Marketing",
                if rng.chance(0.4) { "yes" } else { "no" }.into(),
            );
            set("Currency", "BRL".into());
            set("Subtotal", money(o.subtotal()));
            set("Shipping", money(o.shipping));
            set("Taxes", "0.00".into());
            set("Total", money(o.total()));
            if let Some(c) = o.coupon {
                set("Discount Code", c.code.into());
            }
            set("Discount Amount", money(o.discount));
            let ship = if o.pickup {
                "Retirada na loja"
            } else if o.shipping == 0 {
                "Frete grátis"
            } else if c.city.days.0 <= 2 {
                "SEDEX"
            } else {
                "PAC"
            };
            set("Shipping Method", ship.into());
            set("Created at", time(o.created));
            set("Billing Name", billing_name.clone());
            if !o.pickup {
                set("Billing Street", street.clone());
                set("Billing Address1", street.clone());
                set("Billing City", c.city.name.into());
                set("Billing Zip", zip.clone());
                set("Billing Province", c.city.uf.into());
                set("Billing Province Name", state_name(c.city.uf).into());
                set("Shipping Name", billing_name.clone());
                set("Shipping Street", street.clone());
                set("Shipping Address1", street.clone());
                set("Shipping City", c.city.name.into());
                set("Shipping Zip", zip.clone());
                set("Shipping Province", c.city.uf.into());
                set("Shipping Country", "BR".into());
                set("Shipping Province Name", state_name(c.city.uf).into());
                set("Shipping Phone", phone.clone());
            }
            set("Billing Country", "BR".into());
            set("Billing Phone", phone.clone());
            if !phone.is_empty() && rng.chance(0.8) {
                set("Phone", phone.clone());
            }
            if o.from_chat && rng.chance(0.3) {
                set("Notes", "Pedido fechado pelo WhatsApp".into());
            }
            if !o.from_chat && !o.pickup && rng.chance(0.5) {
                let src = *rng.pick(&["instagram", "google", "facebook"]);
                set("Note Attributes", format!("utm_source: {src}"));
            }
            set("Cancelled at", o.cancelled.map(time).unwrap_or_default());
            let method = match o.method {
                PayMethod::Pix => "Pix",
                PayMethod::Link => "Cartão de crédito",
                PayMethod::Boleto => "Boleto",
            };
            set("Payment Method", method.into());
            set(
                "Payment Reference",
                format!("c{}.1", rng.range(20_000_000_000, 29_999_999_999)),
            );
            if o.refunded > 0 {
                set("Refunded Amount", money(o.refunded));
            }
            let outstanding = if o.status == Status::Pending {
                o.total()
            } else {
                0
            };
            set("Outstanding Balance", money(outstanding));
            if o.pickup {
                set("Location", "Loja Exemplo - Centro".into());
            }
            set(
                "Id",
                (5_800_000_000_000_u64 + u64::from(o.number) * 100_000 + rng.below(100_000))
                    .to_string(),
            );
            if o.from_chat && rng.chance(0.6) {
                set("Tags", "whatsapp".into());
            }
            set("Risk Level", "Low".into());
            let source = if o.pickup {
                "pos"
            } else if o.from_chat {
                "shopify_draft_order"
            } else {
                "web"
            };
            set("Source", source.into());
        }
        set("Vendor", "Loja Exemplo".into());
        let line_discount = o.coupon.map_or(0, |c| c.off(it.qty * it.price));
        set("Lineitem discount", money(line_discount));
        out.push_str(&row.iter().map(|f| csv(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
        totals.rows += 1;
    }
    totals.orders += 1;
    out
}

/// A rendered order with its creation time and number, for merging by time.
type Rendered = (NaiveDateTime, u32, String);

/// Renders the orders; `exported` is the moment of the export.
fn render(
    orders: &[Order],
    exported: NaiveDateTime,
    rng: &mut Rng,
    totals: &mut OrderTotals,
) -> Vec<Rendered> {
    orders
        .iter()
        .map(|o| (o.created, o.number, render_order(o, exported, rng, totals)))
        .collect()
}

/// Builds the orders of the Cloud API conversations' sales, each from its own RNG stream.
fn build_cloud(seed: u64, sales: &[CloudSale], totals: &mut OrderTotals) -> Vec<Order> {
    let rng = Rng::new(seed ^ ORDER_SEED).fork(CLOUD_BUILD_STREAM);
    let Some(last) = sales.iter().map(|s| s.created).max() else {
        return Vec::new();
    };
    let now = last + TimeDelta::hours(12);
    let mut orders = Vec::with_capacity(sales.len());
    for (i, s) in sales.iter().enumerate() {
        let mut srng = rng.fork(i as u64);
        let items: Vec<Item> = s.items.iter().map(|(p, v, q)| item(p, v, *q)).collect();
        let products: u32 = items.iter().map(|i| i.qty * i.price).sum();
        let discount = s
            .coupon
            .map_or(0, |c| items.iter().map(|i| c.off(i.qty * i.price)).sum());
        let shipping = if s.free_shipping || products - discount >= FREE_SHIPPING {
            0
        } else {
            s.customer.city.frete
        };
        let mail = srng.chance(0.7).then(|| email(&s.customer, &mut srng));
        let mut o = Order {
            number: s.number,
            created: s.created,
            status: Status::Paid,
            paid: None,
            cancelled: None,
            refunded: 0,
            items,
            coupon: s.coupon,
            discount,
            shipping,
            method: s.method,
            customer: s.customer.clone(),
            contact: Contact::Phone(s.phone.clone(), mail),
            from_chat: true,
            pickup: false,
        };
        settle(&mut o, &mut srng, now, Some(s.status));
        orders.push(o);
        totals.cloud += 1;
    }
    orders
}

/// The order numbers taken by the orders [`export`] writes for `chats` (a Cloud API sale must
/// take another).
pub fn numbers(seed: u64, chats: &[ChatOrders]) -> BTreeSet<u32> {
    build(seed, chats, &mut OrderTotals::default())
        .iter()
        .map(|o| o.number)
        .collect()
}

/// The orders CSV text for the chats' sales and the Cloud API conversations' sales, newest
/// first; deterministic for `seed`. The chats' orders render the same rows with or without
/// `cloud`.
pub fn export(
    seed: u64,
    chats: &[ChatOrders],
    cloud: &[CloudSale],
    totals: &mut OrderTotals,
) -> String {
    let orders = build(seed, chats, totals);
    let extra = build_cloud(seed, cloud, totals);
    let base = Rng::new(seed ^ ORDER_SEED);
    let mut rows = Vec::new();
    if let Some(newest) = orders.first().map(|o| o.created) {
        rows = render(&orders, newest, &mut base.fork(RENDER_STREAM), totals);
    }
    if let Some(newest) = orders.iter().chain(&extra).map(|o| o.created).max() {
        let mut rng = base.fork(CLOUD_RENDER_STREAM);
        rows.extend(render(&extra, newest, &mut rng, totals));
    }
    // Stable: the chats' orders keep their order (they were sorted by the same key).
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut out = COLUMNS.join(",");
    out.push('\n');
    for (_, _, text) in rows {
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{COLUMNS, money};

    #[test]
    fn header_and_money() {
        assert_eq!(COLUMNS.len(), 79);
        assert_eq!(COLUMNS[0], "Name");
        assert_eq!(money(18_990), "189.90");
        assert_eq!(money(5), "0.05");
    }
}
