//! Privacy by default (SPEC §7): per-person rows show `p_<12 hex of HMAC-SHA256(key, person)>`.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{Context, Result, bail};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::config::Config;
use crate::store::Store;

/// File holding the key the store created for itself.
pub const STORE_KEY_FILE: &str = "pseudonym.key";

/// The secret that turns person keys into stable pseudonyms.
#[derive(Clone)]
pub struct PseudonymKey(Vec<u8>);

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudonymKey(…)")
    }
}

impl PseudonymKey {
    /// From raw bytes (tests, `$CHATREV_KEY`).
    pub fn from_bytes(bytes: &[u8]) -> Result<PseudonymKey> {
        if bytes.is_empty() {
            bail!("the pseudonym key is empty");
        }
        Ok(PseudonymKey(bytes.to_vec()))
    }

    /// The key from config `privacy.key_file`, else `$CHATREV_KEY`, else the store's own key,
    /// created once (32 random bytes, mode 0600) when `create` is true.
    pub fn load(config: &Config, store: &Store, create: bool) -> Result<PseudonymKey> {
        if let Some(file) = &config.privacy.key_file {
            let path = config.resolve(file);
            let bytes = fs::read(&path)
                .with_context(|| format!("cannot read privacy.key_file {}", path.display()))?;
            return Self::from_bytes(trim_newline(&bytes))
                .with_context(|| format!("privacy.key_file {}", path.display()));
        }
        if let Some(k) = std::env::var_os("CHATREV_KEY").filter(|k| !k.is_empty()) {
            return Self::from_bytes(k.as_encoded_bytes());
        }
        let path = store.path(STORE_KEY_FILE);
        if path.exists() {
            return Self::from_bytes(
                &fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?,
            );
        }
        if !create {
            bail!("no pseudonym key: {} does not exist", path.display());
        }
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)
            .map_err(|e| anyhow::anyhow!("no randomness for the pseudonym key: {e}"))?;
        write_new_private(&path, &key)?;
        Self::from_bytes(&key)
    }

    /// The tombstone of a forgotten person key: all 64 hex digits of
    /// HMAC-SHA256(key, `forget|` + key). The store keeps these, never the keys.
    pub fn tombstone(&self, person: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC takes keys of any length");
        mac.update(b"forget|");
        mac.update(person.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// `p_` + the first 12 hex digits of HMAC-SHA256(key, person key).
    pub fn pseudonym(&self, person: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC takes keys of any length");
        mac.update(person.as_bytes());
        let tag = mac.finalize().into_bytes();
        format!("p_{}", &hex::encode(&tag[..6]))
    }
}

/// File of the store listing forgotten persons' tombstones, one per line.
pub const FORGOTTEN_FILE: &str = "forgotten.txt";

/// The persons `chatrev forget` removed: ingests drop anything that resolves to one of them.
#[derive(Debug, Clone, Default)]
pub struct Forgotten {
    key: Option<PseudonymKey>,
    tombstones: std::collections::HashSet<String>,
}

impl Forgotten {
    /// The store's tombstones (none when nobody was forgotten).
    pub fn load(config: &Config, store: &Store) -> Result<Forgotten> {
        let path = store.path(FORGOTTEN_FILE);
        if !path.exists() {
            return Ok(Forgotten::default());
        }
        let text =
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let key = PseudonymKey::load(config, store, false)
            .context("persons were forgotten, but the pseudonym key that names them is missing")?;
        Ok(Forgotten {
            key: Some(key),
            tombstones: text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }

    /// Whether `person` (any key: `tel:…`, `email:…`, `name:…`) was forgotten.
    pub fn contains(&self, person: &str) -> bool {
        match &self.key {
            Some(k) if !self.tombstones.is_empty() => {
                self.tombstones.contains(&k.tombstone(person))
            }
            _ => false,
        }
    }

    /// Nobody was forgotten.
    pub fn is_empty(&self) -> bool {
        self.tombstones.is_empty()
    }
}

fn trim_newline(b: &[u8]) -> &[u8] {
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &b[..end]
}

/// Creates a file that did not exist, readable by its owner only.
fn write_new_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_keyed_and_short() {
        let k = PseudonymKey::from_bytes(b"secret").unwrap();
        let p = k.pseudonym("tel:+5511987654321");
        assert_eq!(p.len(), 2 + 12);
        assert!(p.starts_with("p_"));
        assert_eq!(p, k.pseudonym("tel:+5511987654321"));
        assert_ne!(p, k.pseudonym("tel:+5511987654322"));
        assert_ne!(
            p,
            PseudonymKey::from_bytes(b"other")
                .unwrap()
                .pseudonym("tel:+5511987654321")
        );
        // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?") starts 5bdcc146bf60.
        let jefe = PseudonymKey::from_bytes(b"Jefe").unwrap();
        assert_eq!(
            jefe.pseudonym("what do ya want for nothing?"),
            "p_5bdcc146bf60"
        );
    }

    #[test]
    fn store_key_is_created_once_with_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::at(tmp.path());
        let cfg = Config::default();
        // SAFETY-free: only reads the environment; a set CHATREV_KEY would win, so skip then.
        if std::env::var_os("CHATREV_KEY").is_some() {
            return;
        }
        assert!(PseudonymKey::load(&cfg, &store, false).is_err());
        let a = PseudonymKey::load(&cfg, &store, true)
            .unwrap()
            .pseudonym("x");
        let b = PseudonymKey::load(&cfg, &store, true)
            .unwrap()
            .pseudonym("x");
        assert_eq!(a, b);
        let mode = fs::metadata(store.path(STORE_KEY_FILE))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
}
