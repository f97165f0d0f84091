//! `chatrev forget --contact X`: removes one person from the store (LGPD Art. 18).

use std::collections::{BTreeSet, HashSet};

use anyhow::{Result, bail};
use clap::Args;

use super::Ctx;
use crate::normalize::identity::{
    IdentityLink, email_key, looks_like_phone, name_key, normalize_phone, phone_key,
};
use crate::privacy::{FORGOTTEN_FILE, PseudonymKey};
use crate::store::messages::Month;
use crate::store::{self, tables};

/// `forget` flags.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  chatrev forget --contact '+55 41 98888-7777'\n  chatrev forget --contact ana@example.com\n  chatrev forget --contact 'Ana Souza'"
)]
pub struct ForgetArgs {
    /// The person: a phone (any format; the Brazilian ninth digit is handled), an e-mail, a
    /// name as the exports show it, or a person key (`tel:+55…`).
    #[arg(long, value_name = "PHONE|EMAIL|NAME")]
    pub contact: String,
}

/// The person key the user means.
fn key_of(contact: &str, default_country: &str) -> String {
    let c = contact.trim();
    if ["tel:", "email:", "name:", "wa:", "conv:"]
        .iter()
        .any(|p| c.starts_with(p))
    {
        return c.to_string();
    }
    if let Some(e) = email_key(c) {
        return e;
    }
    if looks_like_phone(c)
        && let Some(p) = normalize_phone(c, default_country)
    {
        return phone_key(&p);
    }
    name_key(c)
}

/// What a key looks like inside raw text (rejects excerpts): a phone's last eight digits, an
/// e-mail address, a name.
fn needle(key: &str) -> Option<(bool, String)> {
    if let Some(tel) = key.strip_prefix("tel:") {
        let digits: String = tel.chars().filter(char::is_ascii_digit).collect();
        return (digits.len() >= 8).then(|| (true, digits[digits.len() - 8..].to_string()));
    }
    key.split_once(':')
        .map(|(_, v)| (false, v.to_lowercase()))
        .filter(|(_, v)| v.chars().count() >= 3)
}

/// Removes the person and records a tombstone, in one transaction.
pub fn run(args: &ForgetArgs, ctx: &Ctx) -> Result<()> {
    let store = &ctx.store;
    if !store.exists() {
        bail!("no store at {}: nothing to forget", store.dir().display());
    }
    let lock = store.lock_for_write_waiting(Some(|| {
        ctx.info(format!(
            "an ingest is writing to {}; waiting for it to finish",
            store.dir().display()
        ))
    }))?;
    store.prepare_read()?;
    let key = key_of(&args.contact, ctx.config.default_country());
    let identities = tables::identity_map(&store.path(store::IDENTITIES))?;
    let person = identities.resolve(&key).to_string();
    // Every key that names this person.
    let mut keys: HashSet<String> = identities
        .links()
        .into_iter()
        .filter(|l| l.person == person)
        .map(|l| l.alias)
        .collect();
    keys.insert(person.clone());
    keys.insert(key.clone());

    // In month partitions only the months holding the person's keys are read and rewritten,
    // unless the table shrinks back under the partition threshold (then it becomes one file).
    let files = store.message_files()?;
    let partition_rows = ctx.config.store.partition_rows();
    let stored_rows = store.manifest()?.tables.messages;
    let mut months: Option<BTreeSet<Month>> = None;
    if store::messages::is_partitioned(&files) {
        let key_list: Vec<&str> = keys.iter().map(String::as_str).collect();
        months = Some(
            store::messages::months_with_persons(&files, &key_list)?
                .into_iter()
                .collect(),
        );
    }
    let read_files = match &months {
        Some(m) => store::messages::files_of_months(&files, m),
        None => files.clone(),
    };
    let mut messages = store::messages::read(&read_files)?;
    let mut removed_messages = match messages.as_mut() {
        Some(df) => tables::drop_persons(df, &keys)?,
        None => 0,
    };
    if months.is_some() && stored_rows.saturating_sub(removed_messages as u64) <= partition_rows {
        // One file again: every month, merged into the store's order.
        months = None;
        messages = store::messages::read_in_store_order(&files)?;
        removed_messages = match messages.as_mut() {
            Some(df) => tables::drop_persons(df, &keys)?,
            None => 0,
        };
    }
    let rows_after = match (&months, &messages) {
        (Some(_), _) => stored_rows.saturating_sub(removed_messages as u64),
        (None, Some(df)) => df.height() as u64,
        (None, None) => 0,
    };
    let orders_path = store.path(store::ORDERS);
    let orders = tables::read_orders(&orders_path)?;
    let before = orders.len();
    let kept_orders: Vec<_> = orders
        .into_iter()
        .filter(|o| !o.person.as_ref().is_some_and(|p| keys.contains(p)))
        .collect();
    let removed_orders = before - kept_orders.len();
    let links = identities.links();
    let kept_links: Vec<IdentityLink> = links
        .iter()
        .filter(|l| !keys.contains(&l.alias) && !keys.contains(&l.person))
        .cloned()
        .collect();
    let removed_links = links.len() - kept_links.len();
    // Rejected lines that mention the person.
    let needles: Vec<(bool, String)> = keys.iter().filter_map(|k| needle(k)).collect();
    let rejects_path = store.path(store::REJECTS);
    let mut reject_rows: Vec<csv::StringRecord> = Vec::new();
    let mut removed_rejects = 0usize;
    if rejects_path.exists() {
        let mut r = csv::Reader::from_path(&rejects_path)?;
        for rec in r.records() {
            let rec = rec?;
            let excerpt = rec.get(3).unwrap_or("").to_lowercase();
            let digits: String = excerpt.chars().filter(char::is_ascii_digit).collect();
            let mentions = needles.iter().any(|(is_phone, n)| {
                if *is_phone {
                    digits.contains(n.as_str())
                } else {
                    excerpt.contains(n.as_str())
                }
            });
            if mentions {
                removed_rejects += 1;
            } else {
                reject_rows.push(rec);
            }
        }
    }
    if removed_messages + removed_orders + removed_links == 0 {
        bail!(
            "nobody in {} is `{}` (read as {key}); nothing was changed",
            store.dir().display(),
            args.contact
        );
    }
    // Tombstones, so that re-ingesting an old export does not bring the person back.
    let secret = PseudonymKey::load(&ctx.config, store, true)?;
    let mut tombstones: Vec<String> = std::fs::read_to_string(store.path(FORGOTTEN_FILE))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut sorted_keys: Vec<&String> = keys.iter().collect();
    sorted_keys.sort();
    tombstones.extend(sorted_keys.iter().map(|k| secret.tombstone(k)));
    tombstones.sort();
    tombstones.dedup();

    let mut manifest = store.manifest()?;
    let pseudonym = secret.pseudonym(&person);
    for f in &mut manifest.files {
        if let Some(p) = f.options.get_mut("person")
            && p.as_str().is_some_and(|p| keys.contains(p))
        {
            *p = serde_json::Value::String(pseudonym.clone());
        }
    }
    manifest.tables.messages = rows_after;
    manifest.tables.orders = kept_orders.len() as u64;
    manifest.tables.identities = kept_links.len() as u64;
    manifest.tables.rejects = reject_rows.len() as u64;

    let mut tx = store.transaction(&lock);
    match (messages.as_mut(), &months) {
        (Some(df), Some(months)) => store::messages::stage_months(&mut tx, df, months)?,
        (Some(df), None) => {
            store::messages::stage_frame(&mut tx, df, partition_rows)?;
        }
        (None, _) => {}
    }
    if orders_path.exists() {
        let mut df = tables::orders_frame(&kept_orders)?;
        tx.stage(store::ORDERS, |f| tables::write_table(&mut df, f))?;
    }
    let mut ident = tables::identities_frame(&kept_links)?;
    tx.stage(store::IDENTITIES, |f| tables::write_table(&mut ident, f))?;
    if rejects_path.exists() {
        tx.stage(store::REJECTS, |f| {
            let mut w = csv::Writer::from_writer(f);
            w.write_record(["file", "line", "reason", "excerpt"])?;
            for r in &reject_rows {
                w.write_record(r)?;
            }
            w.flush()?;
            Ok(())
        })?;
    }
    tx.stage(FORGOTTEN_FILE, |f| {
        use std::io::Write;
        for t in &tombstones {
            writeln!(f, "{t}")?;
        }
        Ok(())
    })?;
    tx.stage(store::MANIFEST, |f| {
        serde_json::to_writer_pretty(&mut *f, &manifest)?;
        Ok(())
    })?;
    tx.commit()?;
    ctx.info(format!(
        "forgot {pseudonym} ({} key(s)): {removed_messages} message(s), {removed_orders} order(s), {removed_links} identity link(s), {removed_rejects} rejected line(s) that named them; later ingests skip this person",
        keys.len()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_become_keys() {
        assert_eq!(key_of("+55 41 8888-7777", "BR"), "tel:+5541988887777");
        assert_eq!(key_of("(41) 98888-7777", "BR"), "tel:+5541988887777");
        assert_eq!(key_of(" Ana@Example.com ", "BR"), "email:ana@example.com");
        assert_eq!(key_of("Ana  Souza", "BR"), "name:ana souza");
        assert_eq!(key_of("tel:+5511999990000", "BR"), "tel:+5511999990000");
        assert_eq!(
            needle("tel:+5541988887777"),
            Some((true, "88887777".into()))
        );
        assert_eq!(needle("name:ana souza"), Some((false, "ana souza".into())));
    }
}
