//! Person keys and phone normalisation (SPEC §3.5).
//!
//! A person's key is `tel:+<E.164>` when a phone is known, else `wa:<BSUID>`, else
//! `email:<lowercased>`, else `name:<normalised display name>`. [`IdentityMap`] merges keys
//! that belong to one person (contacts, `user_changed_number`, payloads with both ids).
//!
//! Phones are normalised without a phone-metadata library: separators and invisible marks
//! are removed, a national number takes the calling code of the default country, and
//! Brazilian mobiles written without the ninth digit are given it (INPUTS.md §4.2).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// A country the phone normaliser knows: ISO code, calling code, trunk prefix and the
/// range of lengths of a national significant number (without trunk prefix).
struct Country {
    iso: &'static [&'static str],
    calling_code: &'static str,
    trunk: Option<&'static str>,
    nsn_len: std::ops::RangeInclusive<usize>,
}

/// Countries with their calling codes. Lengths are deliberately generous: they only decide
/// whether a number written without `+` already carries its country code.
const COUNTRIES: &[Country] = &[
    Country {
        iso: &["BR"],
        calling_code: "55",
        trunk: Some("0"),
        nsn_len: 10..=11,
    },
    Country {
        iso: &["US", "CA"],
        calling_code: "1",
        trunk: Some("1"),
        nsn_len: 10..=10,
    },
    Country {
        iso: &["PT"],
        calling_code: "351",
        trunk: None,
        nsn_len: 9..=9,
    },
    Country {
        iso: &["ES"],
        calling_code: "34",
        trunk: None,
        nsn_len: 9..=9,
    },
    Country {
        iso: &["AR"],
        calling_code: "54",
        trunk: Some("0"),
        nsn_len: 10..=11,
    },
    Country {
        iso: &["MX"],
        calling_code: "52",
        trunk: None,
        nsn_len: 10..=10,
    },
    Country {
        iso: &["CO"],
        calling_code: "57",
        trunk: None,
        nsn_len: 10..=10,
    },
    Country {
        iso: &["CL"],
        calling_code: "56",
        trunk: None,
        nsn_len: 9..=9,
    },
    Country {
        iso: &["PE"],
        calling_code: "51",
        trunk: Some("0"),
        nsn_len: 8..=9,
    },
    Country {
        iso: &["UY"],
        calling_code: "598",
        trunk: Some("0"),
        nsn_len: 8..=8,
    },
    Country {
        iso: &["PY"],
        calling_code: "595",
        trunk: Some("0"),
        nsn_len: 9..=9,
    },
    Country {
        iso: &["DE"],
        calling_code: "49",
        trunk: Some("0"),
        nsn_len: 6..=11,
    },
    Country {
        iso: &["FR"],
        calling_code: "33",
        trunk: Some("0"),
        nsn_len: 9..=9,
    },
    Country {
        iso: &["IT"],
        calling_code: "39",
        trunk: None,
        nsn_len: 6..=11,
    },
    Country {
        iso: &["GB", "UK"],
        calling_code: "44",
        trunk: Some("0"),
        nsn_len: 9..=10,
    },
    Country {
        iso: &["IN"],
        calling_code: "91",
        trunk: Some("0"),
        nsn_len: 10..=10,
    },
];

fn country(iso: &str) -> Option<&'static Country> {
    let iso = iso.trim();
    COUNTRIES
        .iter()
        .find(|c| c.iso.iter().any(|i| i.eq_ignore_ascii_case(iso)))
}

/// The international calling code (digits, no `+`) of an ISO 3166 alpha-2 country code
/// (case-insensitive), for the countries the normaliser knows; `None` otherwise.
pub fn calling_code(iso_country: &str) -> Option<&'static str> {
    country(iso_country).map(|c| c.calling_code)
}

/// Bidi and zero-width marks WhatsApp and phones put around names and numbers.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Characters a phone number may be written with besides digits and a leading `+`.
fn is_phone_separator(c: char) -> bool {
    c.is_whitespace()
        || is_invisible(c)
        || matches!(
            c,
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '.' | '(' | ')'
        )
}

/// A trailing extension introduced by a word: `ramal 2`, `ext. 12`, `extensão: 3`.
static EXTENSION_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\s,;]*(?:ramal|ext(?:ension|ens[aã]o)?\.?|r\.)\s*:?\s*\d{1,6}\s*$")
        .expect("valid regex")
});

/// A trailing extension introduced by `x` or `#` right after a digit or a space: `x12`, `# 3`.
static EXTENSION_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)([\d\s])\s*[x#]\s*\d{1,6}\s*$").expect("valid regex"));

fn strip_extension(s: &str) -> String {
    if let Some(m) = EXTENSION_WORD.find(s) {
        return s[..m.start()].to_string();
    }
    if let Some(sep) = EXTENSION_MARK.captures(s).and_then(|c| c.get(1)) {
        return s[..sep.end()].to_string();
    }
    s.to_string()
}

/// Strips a case-insensitive ASCII prefix.
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

/// Strips a case-insensitive ASCII suffix.
fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    if s.is_char_boundary(cut) && s[cut..].eq_ignore_ascii_case(suffix) {
        Some(&s[..cut])
    } else {
        None
    }
}

/// Normalises a phone number to E.164 (`+<digits>`), or `None` when the text is not a phone.
///
/// Accepted shapes: `+55 11 98765-4321`, `0055…` (`00` means `+`), `whatsapp:+55…`,
/// `55…@s.whatsapp.net`, `55…@c.us` (WhatsApp addresses are always international, whatever
/// the default country), `tel:+55…`, national numbers such as
/// `(11) 98765-4321`, `011 98765-4321`, `0 15 11 98765-4321` (trunk `0` and carrier code),
/// `0xx11 98765-4321`, and Cloud API ids like `554188887777`. Invisible bidi marks, (narrow)
/// no-break spaces, spaces, `-`, U+2011, `.`, `(` and `)` are ignored; a trailing extension
/// (`ramal 2`, `ext. 12`, `x12`) is dropped. Text with other letters or symbols, or with
/// fewer than 8 or more than 15 digits, is not a phone.
///
/// A number without `+`/`00` takes the calling code of `default_country` (ISO 3166 alpha-2,
/// case-insensitive; see [`calling_code`]); with an unknown country such a number is `None`.
/// A national number that already starts with the country's calling code and is too long to
/// be national (`5541988887777` with `BR`) is read as international.
///
/// Brazil: `+55` + area code (11–99) + 8 digits starting with 6–9 (a mobile written without
/// the ninth digit) becomes the 13-digit form with `9` inserted after the area code;
/// landlines (first digit 2–5) are left alone. The function is idempotent.
pub fn normalize_phone(raw: &str, default_country: &str) -> Option<String> {
    let mut s = raw.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    // WhatsApp addresses always carry the full international number.
    let mut wa_address = false;
    for prefix in ["whatsapp:", "tel:"] {
        if let Some(rest) = strip_prefix_ci(s, prefix) {
            s = rest.trim_start();
            wa_address |= prefix == "whatsapp:";
        }
    }
    for suffix in ["@s.whatsapp.net", "@c.us"] {
        if let Some(rest) = strip_suffix_ci(s, suffix) {
            s = rest.trim_end();
            wa_address = true;
        }
    }
    let s = strip_extension(s);

    // Keep digits, a leading '+' and the `0xx` carrier placeholder; drop separators.
    let compact: String = s.chars().filter(|&c| !is_phone_separator(c)).collect();
    let compact = match strip_prefix_ci(&compact, "0xx") {
        Some(rest) => format!("0{rest}"),
        None => compact,
    };
    let (plus, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !(8..=15).contains(&digits.len()) {
        return None;
    }

    let international: String = if plus || wa_address {
        digits.to_string()
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else {
        national_to_international(digits, country(default_country)?)?
    };
    let international = strip_brazil_trunk_after_cc(international);
    if international.starts_with('0') || !(8..=15).contains(&international.len()) {
        return None;
    }
    // Brazilian area codes are 11–99: `+55 0…` left after the trunk `0` is not a phone (and
    // taking it would not be idempotent: a second pass would strip the next `0`).
    if international.starts_with("550") {
        return None;
    }
    Some(format!("+{}", brazil_ninth_digit(&international)))
}

/// `+55 (011) 98765-4321`: a trunk `0` written after the country code is dropped.
fn strip_brazil_trunk_after_cc(digits: String) -> String {
    if let Some(rest) = digits.strip_prefix("550")
        && (10..=11).contains(&rest.len())
    {
        return format!("55{rest}");
    }
    digits
}

/// Turns a number written without `+`/`00` into international digits (no `+`).
fn national_to_international(digits: &str, c: &Country) -> Option<String> {
    if c.calling_code == "55" {
        return brazil_national(digits);
    }
    let mut n = digits;
    if let Some(trunk) = c.trunk
        && let Some(rest) = n.strip_prefix(trunk)
        && c.nsn_len.contains(&rest.len())
    {
        n = rest;
    }
    if c.nsn_len.contains(&n.len()) {
        return Some(format!("{}{n}", c.calling_code));
    }
    if let Some(rest) = digits.strip_prefix(c.calling_code)
        && c.nsn_len.contains(&rest.len())
    {
        return Some(digits.to_string());
    }
    None
}

/// Brazil: `11987654321`, `011…` (trunk), `0 15 11…` (trunk + carrier code), or `55…`
/// (12–13 digits: already international, e.g. a Cloud API `wa_id`).
fn brazil_national(digits: &str) -> Option<String> {
    let n = if let Some(rest) = digits.strip_prefix('0') {
        if (12..=13).contains(&rest.len()) {
            &rest[2..] // carrier selection code
        } else {
            rest
        }
    } else if (12..=13).contains(&digits.len()) && digits.starts_with("55") {
        return Some(digits.to_string());
    } else {
        digits
    };
    let b = n.as_bytes();
    if !(10..=11).contains(&n.len()) || b[0] == b'0' || b[1] == b'0' {
        return None; // no area code (11–99), or a 0800-style service number
    }
    Some(format!("55{n}"))
}

/// Inserts Brazil's ninth digit into `55` + area + 8-digit mobile (first digit 6–9).
fn brazil_ninth_digit(digits: &str) -> String {
    let b = digits.as_bytes();
    if digits.len() == 12
        && digits.starts_with("55")
        && (b'1'..=b'9').contains(&b[2])
        && (b'1'..=b'9').contains(&b[3])
        && (b'6'..=b'9').contains(&b[4])
    {
        return format!("{}9{}", &digits[..4], &digits[4..]);
    }
    digits.to_string()
}

/// The person key of an E.164 phone: `tel:+5541988887777`. A missing `+` is added.
pub fn phone_key(e164: &str) -> String {
    let e164 = e164.trim();
    if e164.starts_with('+') {
        format!("tel:{e164}")
    } else {
        format!("tel:+{e164}")
    }
}

/// The person key of an e-mail address: `email:<trimmed, lowercased>` (a `mailto:` prefix is
/// dropped), or `None` when the text does not look like an address (one `@`, a non-empty
/// local part, a dotted domain, no spaces or brackets).
pub fn email_key(raw: &str) -> Option<String> {
    let s = raw.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    let s = strip_prefix_ci(s, "mailto:").unwrap_or(s).trim();
    let lower = s.to_lowercase();
    let (local, domain) = lower.split_once('@')?;
    let bad = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '@' | '<' | '>' | ',' | ';' | '(' | ')' | '[' | ']' | '"' | ':'
            )
    };
    if local.is_empty()
        || local.chars().any(bad)
        || domain.chars().any(bad)
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return None;
    }
    Some(format!("email:{lower}"))
}

/// The person key of a WhatsApp business-scoped user id (BSUID): `wa:<id>` (trimmed).
pub fn wa_key(bsuid: &str) -> String {
    format!("wa:{}", bsuid.trim())
}

/// A display name as keys and comparisons see it: invisible marks removed, every kind of
/// whitespace (NBSP, NNBSP, tabs…) as one space, trimmed, lowercased.
pub fn normalize_name(display: &str) -> String {
    let mut out = String::with_capacity(display.len());
    let mut pending_space = false;
    for c in display.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The person key of a display name: `name:<`[`normalize_name`]`>` (`"  Ana\u{a0}Maria "` →
/// `name:ana maria`).
pub fn name_key(display: &str) -> String {
    format!("name:{}", normalize_name(display))
}

/// Whether a chat sender name is a phone number, as WhatsApp shows contacts that are not in
/// the address book: Android `+55 51 9287-1880`, `+1 (571) 370-4480`; iOS
/// `\u{202a}+55\u{a0}61\u{a0}8121\u{2011}3457\u{202c}`. Only digits, an optional leading `+`
/// and separators (spaces of any kind, `-`, U+2011, `(`, `)`, `.`, invisible marks) with 8–15
/// digits qualify; `Ana 2` or `Loja 24h` do not.
pub fn looks_like_phone(author: &str) -> bool {
    let s = author.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    let s = s.strip_prefix('+').unwrap_or(s);
    if !s.starts_with(|c: char| c.is_ascii_digit() || c == '(') {
        return false;
    }
    let mut digits = 0usize;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits += 1;
        } else if !is_phone_separator(c) {
            return false;
        }
    }
    (8..=15).contains(&digits)
}

/// The person key of a chat sender: [`phone_key`] when the name [`looks_like_phone`] and
/// normalises, else [`name_key`].
pub fn person_key_for_author(author: &str, default_country: &str) -> String {
    if looks_like_phone(author)
        && let Some(e164) = normalize_phone(author, default_country)
    {
        return phone_key(&e164);
    }
    name_key(author)
}

/// Where an identity link came from.
pub const LINK_SOURCES: [&str; 3] = ["contacts", "cloud-api", "export"];

/// One stored identity link: `alias` is the same person as `person` (the canonical key).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdentityLink {
    /// A non-canonical key (`name:ana`, `tel:+55…` of an old number, `wa:…`).
    pub alias: String,
    /// The canonical key of the person.
    pub person: String,
    /// One of [`LINK_SOURCES`]: `contacts`, `cloud-api` or `export`.
    pub source: &'static str,
}

impl IdentityLink {
    /// The `&'static` spelling of a source name read back from the store, if it is one of
    /// [`LINK_SOURCES`].
    pub fn source_from_str(s: &str) -> Option<&'static str> {
        LINK_SOURCES.iter().copied().find(|x| *x == s)
    }
}

/// Rank of a key's kind in canonical choice: `tel:` < `wa:` < `email:` < `name:` < other.
fn key_rank(key: &str) -> u8 {
    if key.starts_with("tel:") {
        0
    } else if key.starts_with("wa:") {
        1
    } else if key.starts_with("email:") {
        2
    } else if key.starts_with("name:") {
        3
    } else {
        4
    }
}

/// Keys merged into persons with union-find semantics.
///
/// The canonical key of a person is its best key by kind (`tel:` over `wa:` over `email:`
/// over `name:`), ties broken by which key was seen first.
#[derive(Debug, Clone, Default)]
pub struct IdentityMap {
    index: HashMap<String, usize>,
    keys: Vec<String>,
    /// Source of the first link that mentioned each key.
    sources: Vec<&'static str>,
    parent: Vec<usize>,
    size: Vec<usize>,
    /// At a root: index of the set's canonical key.
    canon: Vec<usize>,
}

impl IdentityMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rebuilds a map from stored links; [`IdentityMap::links`] of the result equals `links`
    /// (as a set) when they came from a map. Each link is made person-first: a key's first
    /// appearance decides ties between keys of one kind, so alias-first would make the alias
    /// canonical on every reload and flip such persons between ingests.
    pub fn from_links(links: &[IdentityLink]) -> Self {
        let mut map = Self::new();
        for l in links {
            map.link(&l.person, &l.alias, l.source);
        }
        map
    }

    fn intern(&mut self, key: &str, source: &'static str) -> usize {
        if let Some(&i) = self.index.get(key) {
            return i;
        }
        let i = self.keys.len();
        self.index.insert(key.to_string(), i);
        self.keys.push(key.to_string());
        self.sources.push(source);
        self.parent.push(i);
        self.size.push(1);
        self.canon.push(i);
        i
    }

    fn find(&self, mut i: usize) -> usize {
        while self.parent[i] != i {
            i = self.parent[i];
        }
        i
    }

    fn find_compress(&mut self, i: usize) -> usize {
        let root = self.find(i);
        let mut j = i;
        while self.parent[j] != root {
            let next = self.parent[j];
            self.parent[j] = root;
            j = next;
        }
        root
    }

    fn better(&self, a: usize, b: usize) -> usize {
        if (key_rank(&self.keys[a]), a) <= (key_rank(&self.keys[b]), b) {
            a
        } else {
            b
        }
    }

    /// Records that keys `a` and `b` are the same person (`source`: one of [`LINK_SOURCES`]).
    /// Linking a key to itself just registers it.
    pub fn link(&mut self, a: &str, b: &str, source: &'static str) {
        let ia = self.intern(a, source);
        let ib = self.intern(b, source);
        let (ra, rb) = (self.find_compress(ia), self.find_compress(ib));
        if ra == rb {
            return;
        }
        let (big, small) = if self.size[ra] >= self.size[rb] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small] = big;
        self.size[big] += self.size[small];
        self.canon[big] = self.better(self.canon[ra], self.canon[rb]);
    }

    /// The canonical key of `key`'s person; a key never linked is its own person.
    pub fn resolve<'a>(&'a self, key: &'a str) -> &'a str {
        match self.index.get(key) {
            Some(&i) => &self.keys[self.canon[self.find(i)]],
            None => key,
        }
    }

    /// Every key known to the map, with its canonical key when that differs, sorted by
    /// (person, alias).
    pub fn links(&self) -> Vec<IdentityLink> {
        let mut out: Vec<IdentityLink> = (0..self.keys.len())
            .filter_map(|i| {
                let c = self.canon[self.find(i)];
                (c != i).then(|| IdentityLink {
                    alias: self.keys[i].clone(),
                    person: self.keys[c].clone(),
                    source: self.sources[i],
                })
            })
            .collect();
        out.sort_by(|x, y| (&x.person, &x.alias).cmp(&(&y.person, &y.alias)));
        out
    }

    /// Every key of the persons of `keys`: each key itself, its canonical key and every key
    /// linked to it. Rows stored under any earlier resolution of a key carry one of these (links
    /// only ever join keys), so they find a message's stored copies.
    pub fn keys_of_persons<'a>(&self, keys: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut out: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut roots: std::collections::HashSet<usize> = std::collections::HashSet::new();
        for key in keys {
            match self.index.get(key) {
                Some(&i) => {
                    roots.insert(self.find(i));
                }
                None => {
                    out.insert(key.to_string());
                }
            }
        }
        if !roots.is_empty() {
            for i in 0..self.keys.len() {
                if roots.contains(&self.find(i)) {
                    out.insert(self.keys[i].clone());
                }
            }
        }
        let mut out: Vec<String> = out.into_iter().collect();
        out.sort();
        out
    }

    /// Number of keys in the map.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the map holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn br(s: &str) -> Option<String> {
        normalize_phone(s, "BR")
    }

    #[test]
    fn keys_of_persons_are_whole_linked_groups() {
        let mut map = IdentityMap::new();
        map.link("name:maria silva", "tel:+5511987654321", "contacts");
        map.link("tel:+5511987654321", "wa:5511987654321", "cloud-api");
        map.link("name:joão", "tel:+5521999990000", "contacts");
        let keys = map.keys_of_persons(["name:maria silva", "tel:+5599000000000"]);
        assert_eq!(
            keys,
            [
                "name:maria silva",
                "tel:+5511987654321",
                "tel:+5599000000000",
                "wa:5511987654321"
            ]
        );
        assert!(map.keys_of_persons([]).is_empty());
    }

    #[test]
    fn brazil_mobile_shapes_agree() {
        let want = Some("+5541988887777".to_string());
        for raw in [
            "+5541988887777",
            "+55 41 98888-7777",
            "+554188887777",
            "whatsapp:+5541988887777",
            "WhatsApp:+554188887777",
            "5541988887777@s.whatsapp.net",
            "554188887777@c.us",
            "554188887777",
            "5541988887777",
            "(41) 98888-7777",
            "(41) 8888-7777",
            "41 98888-7777",
            "41988887777",
            "041 98888-7777",
            "0 41 98888-7777",
            "0 15 41 98888-7777",
            "0xx41 98888-7777",
            "(0xx41) 8888-7777",
            "0055 41 98888 7777",
            "+55 (041) 98888-7777",
            "tel:+55-41-98888-7777",
            "+55.41.98888.7777",
            "\u{202a}+55\u{a0}41\u{a0}98888\u{2011}7777\u{202c}",
            "\u{feff}+55\u{202f}41 98888-7777\u{200e}",
            "(41) 98888-7777 ramal 2",
            "(41) 98888-7777, ramal: 12",
            "41 98888-7777 ext. 12",
            "41 98888-7777 x12",
            "41 98888-7777x12",
            "  +55 41 98888-7777  ",
        ] {
            assert_eq!(br(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn whatsapp_addresses_are_international() {
        for c in ["US", "PT", "ZZ", ""] {
            assert_eq!(
                normalize_phone("554188887777@s.whatsapp.net", c).as_deref(),
                Some("+5541988887777")
            );
            assert_eq!(
                normalize_phone("15713704480@c.us", c).as_deref(),
                Some("+15713704480")
            );
        }
    }

    /// Fuzz finding (fuzz target `phone`, 2 crashes, minimized): `+55 00 38…` normalised to
    /// `+5503886672337`, which a second pass turned into `+5538986672337`. No Brazilian area
    /// code starts with 0, so such a number is not a phone at all.
    #[test]
    fn brazil_zero_area_code_is_no_phone_and_normalising_is_idempotent() {
        for (raw, country) in [
            ("whatsapp:+55003886672337", "US"),
            ("whatsapp:+55003\t\t\t 5(8672337", "US"),
            ("+55 0 03 8866-72337", "BR"),
            ("+550388667233", "ZZ"),
        ] {
            assert_eq!(normalize_phone(raw, country), None, "{raw:?}");
        }
        // One trunk `0` before a real area code is still dropped.
        assert_eq!(br("+55 0 41 98888-7777").as_deref(), Some("+5541988887777"));
        assert_eq!(br("+5503886672337").as_deref(), Some("+5538986672337"));
    }

    #[test]
    fn sao_paulo_national_forms() {
        let want = Some("+5511987654321".to_string());
        for raw in [
            "(11) 98765-4321",
            "11 98765-4321",
            "011 98765-4321",
            "0 11 98765-4321",
            "0xx11 98765-4321",
        ] {
            assert_eq!(br(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn ninth_digit_only_for_mobiles() {
        // landline (first digit 2–5) stays 12 digits
        assert_eq!(br("+554132345678").as_deref(), Some("+554132345678"));
        assert_eq!(br("(41) 3234-5678").as_deref(), Some("+554132345678"));
        assert_eq!(br("+555122345678").as_deref(), Some("+555122345678"));
        // mobile first digits 6..9 all get the 9
        assert_eq!(br("+551161234567").as_deref(), Some("+5511961234567"));
        assert_eq!(br("+551171234567").as_deref(), Some("+5511971234567"));
        // 13 digits unchanged even when "9 + landline digits"
        assert_eq!(br("+5541932345678").as_deref(), Some("+5541932345678"));
        // other countries never get a 9
        assert_eq!(br("+351912345678").as_deref(), Some("+351912345678"));
    }

    #[test]
    fn international_and_other_countries() {
        assert_eq!(br("+1 (571) 370-4480").as_deref(), Some("+15713704480"));
        assert_eq!(br("001 571 370 4480").as_deref(), Some("+15713704480"));
        assert_eq!(br("0041 44 668 18 00").as_deref(), Some("+41446681800"));
        assert_eq!(br("+254 714 431590").as_deref(), Some("+254714431590"));
        assert_eq!(
            normalize_phone("(571) 370-4480", "US").as_deref(),
            Some("+15713704480")
        );
        assert_eq!(
            normalize_phone("1-571-370-4480", "us").as_deref(),
            Some("+15713704480")
        );
        assert_eq!(
            normalize_phone("912 345 678", "PT").as_deref(),
            Some("+351912345678")
        );
        assert_eq!(
            normalize_phone("351912345678", "PT").as_deref(),
            Some("+351912345678")
        );
        assert_eq!(
            normalize_phone("612 34 56 78", "es").as_deref(),
            Some("+34612345678")
        );
        assert_eq!(
            normalize_phone("030 1234567", "DE").as_deref(),
            Some("+49301234567")
        );
        assert_eq!(
            normalize_phone("06 12 34 56 78", "FR").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalize_phone("07911 123456", "GB").as_deref(),
            Some("+447911123456")
        );
        assert_eq!(
            normalize_phone("06 1234 5678", "IT").as_deref(),
            Some("+390612345678")
        );
        assert_eq!(
            normalize_phone("098 765 432", "UY").as_deref(),
            Some("+59898765432")
        );
        assert_eq!(
            normalize_phone("55 1234 5678", "MX").as_deref(),
            Some("+525512345678")
        );
        assert_eq!(
            normalize_phone("98765 43210", "IN").as_deref(),
            Some("+919876543210")
        );
        // unknown default country: only explicit international numbers
        assert_eq!(
            normalize_phone("+5541988887777", "ZZ").as_deref(),
            Some("+5541988887777")
        );
        assert_eq!(
            normalize_phone("0055 41 98888 7777", "").as_deref(),
            Some("+5541988887777")
        );
        assert_eq!(normalize_phone("41 98888-7777", "ZZ"), None);
        assert_eq!(calling_code("br"), Some("55"));
        assert_eq!(calling_code("CA"), Some("1"));
        assert_eq!(calling_code("XX"), None);
    }

    #[test]
    fn not_phones() {
        for raw in [
            "",
            "+",
            "Ana",
            "Loja 24h",
            "abc 98765-4321",
            "1234567",
            "+1234567",
            "+1234567890123456",
            "98765-4321",
            "0800 123 4567",
            "4004-1234",
            "+55 41 98888-7777 / 3333",
            "5541988887777@g.us",
            "+0 41 98888 7777",
            "41 98888+7777",
            "whatsapp:",
            "ramal 2",
            "2026-11-24 14:32",
        ] {
            assert_eq!(br(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn normalize_is_idempotent_on_examples() {
        for raw in [
            "554188887777",
            "(41) 3234-5678",
            "+1 (571) 370-4480",
            "0041 44 668 18 00",
        ] {
            let once = br(raw).expect("phone");
            assert_eq!(br(&once).as_deref(), Some(once.as_str()));
            assert_eq!(normalize_phone(&once, "US").as_deref(), Some(once.as_str()));
        }
    }

    #[test]
    fn keys() {
        assert_eq!(phone_key("+5541988887777"), "tel:+5541988887777");
        assert_eq!(phone_key("5541988887777"), "tel:+5541988887777");
        assert_eq!(
            email_key("  Ana.Souza@Example.COM ").as_deref(),
            Some("email:ana.souza@example.com")
        );
        assert_eq!(
            email_key("mailto:bo@loja.com.br").as_deref(),
            Some("email:bo@loja.com.br")
        );
        assert_eq!(email_key("ana"), None);
        assert_eq!(email_key("ana@localhost"), None);
        assert_eq!(email_key("a b@x.com"), None);
        assert_eq!(email_key("a@b@x.com"), None);
        assert_eq!(email_key("@x.com"), None);
        assert_eq!(wa_key(" BR.1234abcd "), "wa:BR.1234abcd");
        assert_eq!(name_key("  Ana\u{a0}Maria  "), "name:ana maria");
        assert_eq!(
            name_key("\u{202a}João\u{202f}DA  Silva\u{202c}"),
            "name:joão da silva"
        );
        assert_eq!(name_key("ÁGUA\tViva\n"), "name:água viva");
        assert_eq!(name_key(""), "name:");
    }

    #[test]
    fn phone_like_authors() {
        for a in [
            "+55 51 9287-1880",
            "+1 (571) 370-4480",
            "+254 714 431590",
            "\u{202a}+55\u{a0}61\u{a0}8121\u{2011}3457\u{202c}",
            "+40 521 028 61 88",
            "+55 61 8121-3457",
            "+410123456789",
        ] {
            assert!(looks_like_phone(a), "{a:?}");
        }
        for a in [
            "Ana 2",
            "Loja 24h",
            "Ana",
            "",
            "+",
            "24/11/2026",
            "+55 51",
            "Ana +55 51 9287-1880",
            "123",
        ] {
            assert!(!looks_like_phone(a), "{a:?}");
        }
    }

    #[test]
    fn author_keys() {
        assert_eq!(
            person_key_for_author("\u{202a}+55\u{a0}61\u{a0}8121\u{2011}3457\u{202c}", "BR"),
            "tel:+5561981213457"
        );
        assert_eq!(
            person_key_for_author("+55 51 9287-1880", "BR"),
            "tel:+5551992871880"
        );
        assert_eq!(
            person_key_for_author("+1 (571) 370-4480", "BR"),
            "tel:+15713704480"
        );
        assert_eq!(
            person_key_for_author(" Ana  Souza ", "BR"),
            "name:ana souza"
        );
        assert_eq!(person_key_for_author("Loja 24h", "BR"), "name:loja 24h");
        // looks like a phone but does not normalise (no area code): a name key
        assert_eq!(person_key_for_author("9287-18801", "BR"), "name:9287-18801");
    }

    #[test]
    fn map_transitive_merge_and_canonical_choice() {
        let mut m = IdentityMap::new();
        m.link("name:ana", "email:ana@x.com", "contacts");
        m.link("email:ana@x.com", "wa:BR.1", "cloud-api");
        assert_eq!(m.resolve("name:ana"), "wa:BR.1");
        m.link("wa:BR.1", "tel:+5541988887777", "cloud-api");
        m.link("tel:+5541988887777", "tel:+5541977776666", "cloud-api");
        for k in [
            "name:ana",
            "email:ana@x.com",
            "wa:BR.1",
            "tel:+5541988887777",
            "tel:+5541977776666",
        ] {
            assert_eq!(m.resolve(k), "tel:+5541988887777", "{k}");
        }
        assert_eq!(m.resolve("name:bo"), "name:bo");
        let links = m.links();
        assert_eq!(links.len(), 4);
        assert!(links.iter().all(|l| l.person == "tel:+5541988887777"));
        let aliases: Vec<&str> = links.iter().map(|l| l.alias.as_str()).collect();
        assert_eq!(
            aliases,
            [
                "email:ana@x.com",
                "name:ana",
                "tel:+5541977776666",
                "wa:BR.1"
            ]
        );
        assert_eq!(links[1].source, "contacts");
        assert_eq!(links[3].source, "cloud-api");
        assert_eq!(m.len(), 5);
    }

    #[test]
    fn map_first_tel_wins_and_sets_join() {
        let mut m = IdentityMap::new();
        m.link("tel:+2", "name:b", "export");
        m.link("tel:+1", "name:a", "export");
        assert_eq!(m.resolve("name:a"), "tel:+1");
        assert_eq!(m.resolve("name:b"), "tel:+2");
        // joining the two sets: tel:+2 was added first
        m.link("name:a", "name:b", "contacts");
        assert_eq!(m.resolve("tel:+1"), "tel:+2");
        assert_eq!(m.resolve("name:a"), "tel:+2");
        m.link("name:a", "name:a", "contacts");
        assert_eq!(m.links().len(), 3);
        // rebuild from links: same answers
        let again = IdentityMap::from_links(&m.links());
        assert_eq!(again.links(), m.links());
        for k in ["tel:+1", "tel:+2", "name:a", "name:b"] {
            assert_eq!(again.resolve(k), m.resolve(k));
        }
        assert_eq!(
            IdentityLink::source_from_str("cloud-api"),
            Some("cloud-api")
        );
        assert_eq!(IdentityLink::source_from_str("x"), None);
    }

    #[test]
    fn map_long_chain() {
        let mut m = IdentityMap::new();
        for i in 0..200 {
            m.link(&format!("name:{i}"), &format!("name:{}", i + 1), "export");
        }
        assert_eq!(m.resolve("name:200"), "name:0");
        m.link("name:150", "email:z@x.io", "contacts");
        assert_eq!(m.resolve("name:7"), "email:z@x.io");
        assert_eq!(m.links().len(), 201);
        assert!(IdentityMap::new().is_empty());
    }
}
