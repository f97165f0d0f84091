//! The `--shop` preset: the committed sample data of `examples/chats/` — "Loja Exemplo", 40 chats
//! over three weeks (2026-11-02 to 2026-11-22), Android pt-BR and iOS 24h exports, a few zipped.

use chrono::NaiveDate;

use crate::chat::{Plan, Size};
use crate::export_txt::Format;
use crate::names::Customer;
use crate::rng::Rng;

/// One chat of the preset.
#[derive(Debug, Clone)]
pub struct ShopChat {
    /// Export format.
    pub format: Format,
    /// Written as `WhatsApp Chat - X.zip` with `_chat.txt` inside.
    pub zip: bool,
    /// The customer.
    pub customer: Customer,
    /// What to generate.
    pub plan: Plan,
    /// Listed in the contacts file (only customers the export shows by name).
    pub in_contacts: bool,
}

/// Number of chats.
const CHATS: usize = 40;
/// iOS 24h chats (the rest are Android pt-BR), of which `ZIPPED` are zipped.
const IOS: usize = 14;
const ZIPPED: usize = 5;
/// Chats whose customer never gets a human answer.
const UNANSWERED: usize = 4;
/// Named customers listed in `contacts.csv`.
const CONTACTS: usize = 10;

/// The preset's chats, deterministic for `rng`'s seed.
pub fn chats(rng: &mut Rng) -> Vec<ShopChat> {
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
    let start = day(2).and_hms_opt(8, 0, 0).unwrap_or_default();
    let end = day(22).and_hms_opt(22, 0, 0).unwrap_or_default();
    let mut order: Vec<usize> = (0..CHATS).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    let mut names = std::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(CHATS);
    let mut contacts = 0;
    for (i, &rank) in order.iter().enumerate() {
        let mut crng = rng.fork(i as u64);
        let customer = loop {
            let c = Customer::random(&mut crng, 0.75);
            if names.insert(c.file_name()) {
                break c;
            }
        };
        let sessions = 1 + crng.weighted(&[35, 30, 20, 15]);
        let in_contacts = customer.saved_name.is_some() && contacts < CONTACTS && rank % 2 == 0;
        contacts += usize::from(in_contacts);
        out.push(ShopChat {
            format: if rank < IOS {
                Format::Ios24h
            } else {
                Format::AndroidBr
            },
            zip: rank < ZIPPED,
            customer,
            plan: Plan {
                start,
                end,
                cut_at_end: true,
                size: Size::Sessions(sessions),
                date_trap: true,
                answered: !(IOS..IOS + UNANSWERED).contains(&rank),
                rare_events: 5.0,
            },
            in_contacts,
        });
    }
    out
}
