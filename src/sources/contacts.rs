//! `--contacts`: a name → phone map from a CSV or a vCard (`.vcf`) file.
//!
//! Pure: text in, [`Contact`]s and [`ContactReject`]s out. Phones and e-mails are kept as
//! written; [`Contact::keys`] turns them into person keys (SPEC §3.5). A bad row or card is a
//! reject with its line number, never an error; only a file that is not a contacts file at
//! all (no header, no name column, no phone/e-mail column, no vCard) is a [`ContactsError`].

use crate::normalize::identity::{email_key, name_key, normalize_phone, phone_key};

/// One person of a contacts file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Display name as written (trimmed; vCard escapes and quoted-printable decoded).
    pub name: String,
    /// Phone numbers as written (not normalised), in file order.
    pub phones: Vec<String>,
    /// E-mail addresses as written (trimmed), in file order.
    pub emails: Vec<String>,
    /// 1-based line of the CSV row or of the card's `BEGIN:VCARD`.
    pub line: u32,
}

impl Contact {
    /// The person keys this contact names: `tel:` keys of the phones that normalise with
    /// `default_country`, then `email:` keys, without duplicates (a vCard's `waid` and its
    /// `TEL` usually give one key).
    pub fn keys(&self, default_country: &str) -> Vec<String> {
        let phones = self
            .phones
            .iter()
            .filter_map(|p| normalize_phone(p, default_country))
            .map(|e| phone_key(&e));
        let emails = self.emails.iter().filter_map(|e| email_key(e));
        let mut out: Vec<String> = Vec::new();
        for k in phones.chain(emails) {
            if !out.contains(&k) {
                out.push(k);
            }
        }
        out
    }

    /// The `name:` key of the contact's display name.
    pub fn name_key(&self) -> String {
        name_key(&self.name)
    }
}

/// A row or card that names no usable contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactReject {
    /// 1-based line of the CSV row or of the card's `BEGIN:VCARD`.
    pub line: u32,
    /// Why: `no name`, `no phone or e-mail`, `card not closed (no END:VCARD)`.
    pub reason: String,
    /// The offending text, cut to 80 characters.
    pub excerpt: String,
}

/// A file that is not a contacts file. The caller adds the file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactsError {
    /// Nothing but blank lines.
    #[error("empty contacts file: no header row")]
    Empty,
    /// The header has no column the name can be read from.
    #[error(
        "no name column (expected one of: {}; or First Name + Last Name / Given Name + Family Name); header: {header}",
        NAME_HEADERS.join(", ")
    )]
    NoNameColumn {
        /// The header row as read.
        header: String,
    },
    /// The header has neither a phone nor an e-mail column.
    #[error(
        "no phone or e-mail column (expected a header containing one of: phone, telefone, celular, whatsapp, mobile, tel, email, e-mail); header: {header}"
    )]
    NoPhoneColumn {
        /// The header row as read.
        header: String,
    },
    /// A `.vcf`/`.vcard` file without a single `BEGIN:VCARD`.
    #[error("not a vCard: no BEGIN:VCARD line")]
    NotVcard,
    /// The CSV reader failed (line 1-based).
    #[error("line {line}: {message}")]
    Csv {
        /// 1-based line where reading failed.
        line: u64,
        /// The reader's message.
        message: String,
    },
}

/// Contacts parsed from one file, and the rows/cards that were rejected.
pub type ParsedContacts = (Vec<Contact>, Vec<ContactReject>);

/// Parses a contacts file: a vCard when `path_name` ends in `.vcf`/`.vcard`
/// (case-insensitive) or the text starts with `BEGIN:VCARD`, else a CSV.
///
/// # Errors
/// [`ContactsError::NotVcard`] for a vCard file without any card; the CSV errors of
/// [`parse_contacts_csv`].
pub fn parse_contacts(path_name: &str, text: &str) -> Result<ParsedContacts, ContactsError> {
    let lower = path_name.to_ascii_lowercase();
    let body = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let is_vcard = lower.ends_with(".vcf")
        || lower.ends_with(".vcard")
        || body
            .get(..11)
            .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD"));
    if is_vcard {
        let (contacts, rejects) = parse_vcard(text);
        if contacts.is_empty() && rejects.is_empty() && !has_begin_vcard(text) {
            return Err(ContactsError::NotVcard);
        }
        Ok((contacts, rejects))
    } else {
        parse_contacts_csv(text)
    }
}

fn has_begin_vcard(text: &str) -> bool {
    text.lines()
        .any(|l| l.trim().eq_ignore_ascii_case("BEGIN:VCARD"))
}

/// Cuts an excerpt to 80 characters.
fn excerpt(s: &str) -> String {
    let s = s.trim_end_matches(['\r', '\n']);
    match s.char_indices().nth(80) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// CSV

/// Headers (folded: lowercase, no accents, `_` as space) that hold the display name, by
/// priority.
const NAME_HEADERS: &[&str] = &[
    "name",
    "nome",
    "nombre",
    "display name",
    "full name",
    "contact",
    "contato",
    "contacto",
    "nome completo",
    "nombre completo",
];
const FIRST_HEADERS: &[&str] = &["first name", "given name", "primeiro nome", "nome proprio"];
const MIDDLE_HEADERS: &[&str] = &["middle name", "additional name", "nome do meio"];
const LAST_HEADERS: &[&str] = &[
    "last name",
    "family name",
    "sobrenome",
    "apellido",
    "apellidos",
];

/// Header words that make a phone/e-mail-looking column a label, not a value
/// (`Phone 1 - Type`, `E-mail 1 - Label`, `Phonetic First Name`).
const LABEL_WORDS: &[&str] = &["type", "label", "tipo", "rotulo", "etiqueta", "phonetic"];

/// Lowercase, strip common Latin accents, `_` → space, collapse whitespace, trim.
fn fold_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    for c in h
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"')
        .chars()
    {
        for l in c.to_lowercase() {
            let l = match l {
                'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'í' | 'ì' | 'î' | 'ï' => 'i',
                'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
                'ú' | 'ù' | 'û' | 'ü' => 'u',
                'ç' => 'c',
                'ñ' => 'n',
                '_' => ' ',
                other => other,
            };
            if l.is_whitespace() {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            } else {
                out.push(l);
            }
        }
    }
    out.trim_end().to_string()
}

fn header_words(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_label(folded: &str) -> bool {
    header_words(folded).iter().any(|w| LABEL_WORDS.contains(w))
}

fn is_phone_header(folded: &str) -> bool {
    if is_label(folded) {
        return false;
    }
    header_words(folded).iter().any(|w| {
        ["phone", "fone", "celular", "whatsapp", "mobile", "movil"]
            .iter()
            .any(|k| w.contains(k))
            || w.starts_with("tel")
            || w.starts_with("cel")
    })
}

fn is_email_header(folded: &str) -> bool {
    !is_label(folded)
        && (folded.contains("email") || folded.contains("e-mail") || folded.contains("e mail"))
}

/// How the name is read from a row.
enum NameSource {
    Column(usize),
    /// First, middle and last name columns, joined with spaces.
    Parts(Vec<usize>),
}

/// Picks `,`, `;` or tab by which occurs most (outside quotes) in the header line.
fn detect_delimiter(header_line: &str) -> u8 {
    let (mut comma, mut semi, mut tab, mut quoted) = (0, 0, 0, false);
    for c in header_line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semi += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

/// Splits a cell that may hold several values: Google's ` ::: `, `;`, `,`, `|`, ` / `, newlines.
fn split_multi(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(":::")
        .flat_map(|p| p.split([';', ',', '|', '\n']))
        .flat_map(|p| p.split(" / "))
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
}

/// Parses a contacts CSV.
///
/// A header row is required; the delimiter (`,`, `;`, or tab) is taken from it (an Excel
/// `sep=;` first line is honoured). The name comes from the first present column of
/// `name`, `nome`, `nombre`, `display name`, `full name`, `contact`, `contato` (headers are
/// compared trimmed, case- and accent-insensitively), else from Google/Outlook
/// `First Name` + `Middle Name` + `Last Name` (or `Given Name` + `Additional Name` +
/// `Family Name`). Phones come from every column whose header contains `phone`, `telefone`,
/// `celular`, `whatsapp`, `mobile` or a word starting `tel`/`cel` (not `… - Type`/`Label`
/// columns); e-mails from headers containing `email`/`e-mail`. A cell may hold several values
/// (` ::: `, `;`, `,`, `|`, ` / `). Rows without a name or without any phone/e-mail are
/// rejects; blank rows are skipped.
///
/// # Errors
/// [`ContactsError::Empty`] without a header row, [`ContactsError::NoNameColumn`] /
/// [`ContactsError::NoPhoneColumn`] when the header lacks them.
pub fn parse_contacts_csv(text: &str) -> Result<ParsedContacts, ContactsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().ok_or(ContactsError::Empty)?;
    let (delimiter, skip_sep) = match first.trim().strip_prefix("sep=") {
        Some(d) if d.len() == 1 => (d.as_bytes()[0], true),
        _ => (detect_delimiter(first), false),
    };
    if skip_sep && lines.next().is_none() {
        return Err(ContactsError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());

    let mut records = reader.records();
    let mut next_record = || -> Option<Result<csv::StringRecord, ContactsError>> {
        records.next().map(|r| {
            r.map_err(|e| ContactsError::Csv {
                line: e.position().map_or(0, |p| p.line()),
                message: e.to_string(),
            })
        })
    };
    let mut header = next_record().ok_or(ContactsError::Empty)??;
    if skip_sep {
        header = next_record().ok_or(ContactsError::Empty)??;
    }
    let folded: Vec<String> = header.iter().map(fold_header).collect();
    let header_text = || {
        excerpt(
            &header
                .iter()
                .collect::<Vec<_>>()
                .join(&(delimiter as char).to_string()),
        )
    };
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| folded.iter().position(|h| h == n))
    };

    let name_source = if let Some(i) = find(NAME_HEADERS) {
        NameSource::Column(i)
    } else {
        let parts: Vec<usize> = [FIRST_HEADERS, MIDDLE_HEADERS, LAST_HEADERS]
            .iter()
            .filter_map(|names| find(names))
            .collect();
        if find(FIRST_HEADERS).is_none() && find(LAST_HEADERS).is_none() {
            return Err(ContactsError::NoNameColumn {
                header: header_text(),
            });
        }
        NameSource::Parts(parts)
    };
    let name_cols: Vec<usize> = match &name_source {
        NameSource::Column(i) => vec![*i],
        NameSource::Parts(p) => p.clone(),
    };
    let phone_cols: Vec<usize> = (0..folded.len())
        .filter(|i| !name_cols.contains(i) && is_phone_header(&folded[*i]))
        .collect();
    let email_cols: Vec<usize> = (0..folded.len())
        .filter(|i| {
            !name_cols.contains(i) && !phone_cols.contains(i) && is_email_header(&folded[*i])
        })
        .collect();
    if phone_cols.is_empty() && email_cols.is_empty() {
        return Err(ContactsError::NoPhoneColumn {
            header: header_text(),
        });
    }

    let newlines: Vec<usize> = memchr_newlines(text);
    let mut contacts = Vec::new();
    let mut rejects = Vec::new();
    while let Some(record) = next_record() {
        let record = record?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // Line numbers from byte offsets: the reader's own line count is off with CRLF.
        let start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        // With CRLF the reported start can sit on the previous line's terminator.
        let start = start
            + text
                .get(start..)
                .map_or(0, |r| r.len() - r.trim_start_matches(['\r', '\n']).len());
        let line = line_of(&newlines, start);
        let row_excerpt = || excerpt(text.get(start..).unwrap_or("").lines().next().unwrap_or(""));
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let name = match &name_source {
            NameSource::Column(i) => cell(*i).to_string(),
            NameSource::Parts(parts) => parts
                .iter()
                .map(|&i| cell(i))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        };
        let phones: Vec<String> = phone_cols
            .iter()
            .flat_map(|&i| split_multi(cell(i)))
            .filter(|p| p.chars().any(|c| c.is_ascii_digit()))
            .map(str::to_string)
            .collect();
        let emails: Vec<String> = email_cols
            .iter()
            .flat_map(|&i| split_multi(cell(i)))
            .filter(|e| e.contains('@'))
            .map(str::to_string)
            .collect();
        let reason = if name.is_empty() {
            Some("no name")
        } else if phones.is_empty() && emails.is_empty() {
            Some("no phone or e-mail")
        } else {
            None
        };
        match reason {
            Some(reason) => rejects.push(ContactReject {
                line,
                reason: reason.to_string(),
                excerpt: row_excerpt(),
            }),
            None => contacts.push(Contact {
                name,
                phones,
                emails,
                line,
            }),
        }
    }
    Ok((contacts, rejects))
}

/// Byte offsets of every line end in `text`: `\n`, and a lone `\r` (old Mac files), which
/// the CSV reader also ends records on.
fn memchr_newlines(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
        .collect()
}

/// 1-based line of byte offset `at`, given the offsets of the newlines.
fn line_of(newlines: &[usize], at: usize) -> u32 {
    u32::try_from(newlines.partition_point(|&n| n < at) + 1).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------
// vCard

/// A property line after unfolding, with the physical line it starts on.
struct Logical {
    line: u32,
    text: String,
}

/// Whether a (partial) property line is quoted-printable encoded (vCard 2.1).
fn is_qp_line(s: &str) -> bool {
    let head = s.split_once(':').map_or(s, |(h, _)| h);
    head.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

/// Joins folded lines (continuations start with a space or tab) and quoted-printable soft
/// line breaks (`=` at line end), keeping start line numbers.
fn unfold(text: &str) -> Vec<Logical> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: Vec<Logical> = Vec::new();
    let mut qp_open = false;
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(cur) = out.last_mut() {
            if qp_open {
                cur.text.push_str(l);
                qp_open = cur.text.ends_with('=');
                if qp_open {
                    cur.text.pop();
                }
                continue;
            }
            if let Some(rest) = l.strip_prefix([' ', '\t']) {
                cur.text.push_str(rest);
                continue;
            }
        }
        if l.trim().is_empty() {
            qp_open = false;
            continue;
        }
        let mut text = l.to_string();
        qp_open = is_qp_line(&text) && text.ends_with('=') && text.contains(':');
        if qp_open {
            text.pop();
        }
        out.push(Logical {
            line: line_no,
            text,
        });
    }
    out
}

/// Splits at `sep` outside double quotes.
fn split_unquoted(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in s.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            parts.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&s[start..]);
    parts
}

/// A parsed property: upper-cased name without group, parameters, raw value.
struct Property<'a> {
    name: String,
    params: Vec<(String, &'a str)>,
    value: &'a str,
}

fn parse_property(line: &str) -> Option<Property<'_>> {
    let mut quoted = false;
    let colon = line.char_indices().find_map(|(i, c)| {
        if c == '"' {
            quoted = !quoted;
        }
        (c == ':' && !quoted).then_some(i)
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = split_unquoted(head, ';').into_iter();
    let name = parts.next()?.trim();
    let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
    let params = parts
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_uppercase(), v.trim().trim_matches('"')),
            None => ("TYPE".to_string(), p.trim()), // vCard 2.1 bare parameter (`TEL;CELL:`)
        })
        .collect();
    Some(Property {
        name,
        params,
        value,
    })
}

impl Property<'_> {
    fn param(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    fn is_qp(&self) -> bool {
        self.params.iter().any(|(k, v)| {
            (k == "ENCODING" || k == "TYPE") && v.eq_ignore_ascii_case("QUOTED-PRINTABLE")
        })
    }

    /// The value with quoted-printable and its charset decoded (no vCard unescaping).
    fn decoded(&self) -> String {
        if !self.is_qp() {
            return self.value.to_string();
        }
        let bytes = qp_decode(self.value);
        let latin1 = self.param("CHARSET").is_some_and(|c| {
            let c = c.to_ascii_uppercase();
            c == "ISO-8859-1" || c == "LATIN1" || c == "WINDOWS-1252" || c == "CP1252"
        });
        if latin1 {
            bytes.iter().map(|&b| char::from(b)).collect()
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

/// Decodes quoted-printable (`=C3=A3` → bytes); malformed escapes are kept literally.
fn qp_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex_val(b[i + 1]), hex_val(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// vCard 3.0/4.0 text unescaping: `\,` `\;` `\\` `\n`; newlines become spaces.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Collapses whitespace runs to one space and trims.
fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `N:Family;Given;Additional;Prefix;Suffix` → `Given Additional Family`.
fn name_from_n(value: &str) -> String {
    let mut comps: Vec<String> = Vec::new();
    let (mut cur, mut escaped) = (String::new(), false);
    for c in value.chars() {
        if escaped {
            cur.push('\\');
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ';' {
            comps.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    comps.push(cur);
    let comp = |i: usize| {
        comps
            .get(i)
            .map(|c| tidy(&unescape(&c.replace(',', " "))))
            .unwrap_or_default()
    };
    [comp(1), comp(2), comp(0)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A card being read.
#[derive(Default)]
struct Card {
    line: u32,
    fn_name: String,
    n_name: String,
    phones: Vec<String>,
    emails: Vec<String>,
    lines: Vec<String>,
}

impl Card {
    fn add(&mut self, prop: &Property<'_>) {
        match prop.name.as_str() {
            "FN" if self.fn_name.is_empty() => {
                self.fn_name = tidy(&unescape(&prop.decoded()));
            }
            "N" if self.n_name.is_empty() => {
                self.n_name = name_from_n(&prop.decoded());
            }
            "TEL" => {
                let v = prop.decoded();
                let v = v.trim();
                let v = v
                    .get(..4)
                    .filter(|p| p.eq_ignore_ascii_case("tel:"))
                    .map_or(v, |_| v[4..].split(';').next().unwrap_or(""))
                    .trim();
                let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                if v.chars().any(|c| c.is_ascii_digit()) {
                    self.phones.push(v.to_string());
                }
                if let Some(waid) = prop.param("WAID").map(str::trim)
                    && !waid.is_empty()
                    && waid.bytes().all(|b| b.is_ascii_digit())
                    && digits(v) != waid
                {
                    self.phones.push(format!("+{waid}"));
                }
            }
            "EMAIL" => {
                let v = unescape(&prop.decoded());
                let v = v.trim();
                let v = v
                    .get(..7)
                    .filter(|p| p.eq_ignore_ascii_case("mailto:"))
                    .map_or(v, |_| &v[7..])
                    .trim();
                if !v.is_empty() {
                    self.emails.push(v.to_string());
                }
            }
            _ => {}
        }
    }

    fn finish(self, closed: bool) -> Result<Contact, ContactReject> {
        let name = if self.fn_name.is_empty() {
            self.n_name
        } else {
            self.fn_name
        };
        let reason = if !closed {
            Some("card not closed (no END:VCARD)")
        } else if name.is_empty() {
            Some("no name (FN or N)")
        } else if self.phones.is_empty() && self.emails.is_empty() {
            Some("no phone or e-mail (TEL or EMAIL)")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(ContactReject {
                line: self.line,
                reason: reason.to_string(),
                excerpt: excerpt(&if self.lines.is_empty() {
                    "BEGIN:VCARD".to_string()
                } else {
                    self.lines.join(" ")
                }),
            }),
            None => Ok(Contact {
                name,
                phones: self.phones,
                emails: self.emails,
                line: self.line,
            }),
        }
    }
}

/// Parses vCard 2.1, 3.0 and 4.0 text: every `BEGIN:VCARD` … `END:VCARD` block is a contact.
///
/// The name is `FN`, else `N` as `Given Additional Family`; phones are every `TEL` (any
/// parameters, group prefixes like `item1.TEL`, `tel:` URIs; WhatsApp's `waid=` parameter adds
/// the id as `+<waid>` when it differs from the value); e-mails every `EMAIL`. Folded lines,
/// CRLF, a BOM, `\,`-style escapes and vCard 2.1 `ENCODING=QUOTED-PRINTABLE` values (with
/// `CHARSET`, soft line breaks) are handled. A card without a name, without any phone or
/// e-mail, or not closed is a reject at its `BEGIN:VCARD` line. Text outside cards is ignored.
pub fn parse_vcard(text: &str) -> ParsedContacts {
    let mut contacts = Vec::new();
    let mut rejects = Vec::new();
    let mut card: Option<Card> = None;
    let mut push = |c: Card, closed: bool| match c.finish(closed) {
        Ok(contact) => contacts.push(contact),
        Err(reject) => rejects.push(reject),
    };
    for logical in unfold(text) {
        let t = logical.text.trim();
        if t.eq_ignore_ascii_case("BEGIN:VCARD") {
            if let Some(open) = card.take() {
                push(open, false);
            }
            card = Some(Card {
                line: logical.line,
                ..Card::default()
            });
            continue;
        }
        if t.eq_ignore_ascii_case("END:VCARD") {
            if let Some(open) = card.take() {
                push(open, true);
            }
            continue;
        }
        let Some(open) = card.as_mut() else { continue };
        let Some(prop) = parse_property(t) else {
            continue;
        };
        if prop.name != "VERSION" && prop.name != "PHOTO" {
            open.lines.push(t.to_string());
        }
        open.add(&prop);
    }
    if let Some(open) = card.take() {
        push(open, false);
    }
    (contacts, rejects)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata(name: &str) -> String {
        let path = format!("{}/testdata/contacts/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn reject_lines(r: &[ContactReject]) -> Vec<(u32, &str)> {
        r.iter().map(|r| (r.line, r.reason.as_str())).collect()
    }

    #[test]
    fn csv_comma_english_header() {
        let text = "Name,Phone,Email\nAna,+55 11 98765-4321,ana@x.com\n\"Souza, Bo\",(41) 8888-7777,\nNo Phone,,\n,11 98765-4321,\n";
        let (c, r) = parse_contacts_csv(text).expect("csv");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].name, "Ana");
        assert_eq!(c[0].phones, ["+55 11 98765-4321"]);
        assert_eq!(c[0].emails, ["ana@x.com"]);
        assert_eq!(c[0].line, 2);
        assert_eq!(c[1].name, "Souza, Bo");
        assert_eq!(c[1].keys("BR"), ["tel:+5541988887777"]);
        assert_eq!(
            reject_lines(&r),
            [(4, "no phone or e-mail"), (5, "no name")]
        );
        assert_eq!(r[0].excerpt, "No Phone,,");
        assert_eq!(r[1].excerpt, ",11 98765-4321,");
    }

    #[test]
    fn csv_semicolon_ptbr_headers_and_multiline_cells() {
        let text = "\u{feff}\"NOME \";Número do Celular;Observação\r\nJoão;(11) 98765-4321;\"linha 1\r\nlinha 2\"\r\nMaria;;x\r\n";
        let (c, r) = parse_contacts_csv(text).expect("csv");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].name, "João");
        assert_eq!(c[0].line, 2);
        // the quoted cell spans lines 2–3, so Maria is on line 4
        assert_eq!(reject_lines(&r), [(4, "no phone or e-mail")]);
    }

    #[test]
    fn csv_name_priority_and_accents() {
        // `nome` beats `contato`; accents in headers are ignored
        let text =
            "Contato,Nóme,Telefone Residencial,WhatsApp\nempresa,Ana,3232-4545,+55 11 98765-4321\n";
        let (c, _) = parse_contacts_csv(text).expect("csv");
        assert_eq!(c[0].name, "Ana");
        assert_eq!(c[0].phones, ["3232-4545", "+55 11 98765-4321"]);
        let text = "Display_Name\tMobile Phone\nBo\t+1 571 370 4480\n";
        let (c, _) = parse_contacts_csv(text).expect("tab csv");
        assert_eq!(c[0].name, "Bo");
        assert_eq!(c[0].keys("BR"), ["tel:+15713704480"]);
        let text = "sep=;\nnombre;móvil\nLuis;612 34 56 78\n";
        let (c, _) = parse_contacts_csv(text).expect("sep line");
        assert_eq!(c[0].keys("ES"), ["tel:+34612345678"]);
        assert_eq!(c[0].line, 3);
    }

    #[test]
    fn csv_google_export() {
        let (c, r) = parse_contacts_csv(&testdata("contacts_google.csv")).expect("google csv");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].name, "Beatriz Oliveira");
        assert_eq!(c[0].phones, ["+55 11 91234-5678", "+55 11 3333-4444"]);
        assert_eq!(c[0].emails, ["bia@example.com"]);
        assert_eq!(
            c[0].keys("BR"),
            [
                "tel:+5511912345678",
                "tel:+551133334444",
                "email:bia@example.com"
            ]
        );
        assert_eq!(c[1].name, "Carlos Eduardo Pereira");
        assert_eq!(c[1].line, 3);
        // the 0800 number does not normalise
        assert_eq!(c[1].keys("BR"), ["tel:+5531987654321"]);
        assert_eq!(reject_lines(&r), [(4, "no phone or e-mail")]);
        // the older Google header
        let text = "Name,Given Name,Family Name,Phone 1 - Type,Phone 1 - Value\nBia Oliveira,Bia,Oliveira,Mobile,11 91234-5678\n";
        let (c, _) = parse_contacts_csv(text).expect("old google");
        assert_eq!(c[0].name, "Bia Oliveira");
        assert_eq!(c[0].phones, ["11 91234-5678"]);
        let text = "Given Name,Family Name,Phone 1 - Value\n,Oliveira,11 91234-5678\n";
        assert_eq!(
            parse_contacts_csv(text).expect("parts").0[0].name,
            "Oliveira"
        );
    }

    #[test]
    fn csv_sample_file() {
        let (c, r) = parse_contacts_csv(&testdata("contacts.csv")).expect("csv");
        let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Ana Souza",
                "João da Silva",
                "Maria Conceição",
                "Loja Parceira Ltda"
            ]
        );
        assert_eq!(
            c[0].keys("BR"),
            [
                "tel:+551132324545",
                "tel:+5511987654321",
                "email:ana.souza@example.com.br"
            ]
        );
        assert_eq!(c[1].keys("BR"), ["tel:+5541988887777"]);
        assert_eq!(c[2].phones, ["+55 21 99876-5432", "+55 21 3456-7890"]);
        assert_eq!(c[3].keys("BR"), ["email:compras@parceira.example.com"]);
        assert_eq!(c[3].name_key(), "name:loja parceira ltda");
        assert_eq!(
            reject_lines(&r),
            [(5, "no name"), (6, "no phone or e-mail")]
        );
    }

    #[test]
    fn csv_errors() {
        assert_eq!(parse_contacts_csv(""), Err(ContactsError::Empty));
        assert_eq!(parse_contacts_csv("\n\n  \n"), Err(ContactsError::Empty));
        let e = parse_contacts_csv("Phone,Email\n1,2\n").expect_err("no name");
        assert!(matches!(e, ContactsError::NoNameColumn { .. }));
        let msg = e.to_string();
        assert!(
            msg.starts_with("no name column (expected one of: name, nome, nombre"),
            "{msg}"
        );
        assert!(msg.ends_with("header: Phone,Email"), "{msg}");
        let e = parse_contacts_csv("Nome;Cidade;Phone 1 - Type\nAna;POA;Mobile\n")
            .expect_err("no phone");
        assert!(matches!(e, ContactsError::NoPhoneColumn { .. }));
        assert!(e.to_string().contains("phone, telefone, celular"));
        // header only: nothing, no error
        assert_eq!(parse_contacts_csv("name,phone\n"), Ok((vec![], vec![])));
        // ragged rows are fine
        let (c, _) =
            parse_contacts_csv("name,phone\nAna\nBo,11 98765-4321,extra,cells\n").expect("ragged");
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn vcard_sample_file() {
        let (c, r) = parse_vcard(&testdata("contacts.vcf"));
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].name, "João Silva de Conceição");
        assert_eq!(c[0].line, 1);
        assert_eq!(c[0].phones, ["+5541988887777", "(41) 3232-1010"]);
        assert_eq!(c[0].keys("BR"), ["tel:+5541988887777", "tel:+554132321010"]);
        assert_eq!(c[1].name, "Ana Paula Souza");
        assert_eq!(c[1].line, 9);
        // the waid is the legacy 12-digit id of the same number: one key
        assert_eq!(c[1].phones, ["+55 11 98765-4321", "+551187654321"]);
        assert_eq!(
            c[1].keys("BR"),
            ["tel:+5511987654321", "email:ana.paula@example.com"]
        );
        assert_eq!(c[2].name, "Rafael Lima");
        assert_eq!(c[2].keys("BR"), ["tel:+5551991234567"]);
        assert_eq!(
            reject_lines(&r),
            [(24, "no phone or e-mail (TEL or EMAIL)")]
        );
        assert_eq!(r[0].excerpt, "FN:Sem Telefone NOTE:nenhum contato");
        assert_eq!(
            parse_contacts("agenda.VCF", &testdata("contacts.vcf"))
                .expect("vcf")
                .0,
            c
        );
    }

    #[test]
    fn vcard_variants() {
        // 2.1 quoted-printable N only, LF endings, bare TEL params, soft line breaks
        let v21 = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=81vila;Jos=C3=\n=A9;;;\nTEL;CELL:011 98765-4321\nEND:VCARD\n";
        let (c, r) = parse_vcard(v21);
        assert!(r.is_empty());
        assert_eq!(c[0].name, "José Ávila");
        // Latin-1 charset
        let latin = "BEGIN:VCARD\nFN;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Jo=E3o\nTEL:+5511987654321\nEND:VCARD\n";
        assert_eq!(parse_vcard(latin).0[0].name, "João");
        // 3.0 folded FN, escapes, waid, EMAIL only, lowercase keywords
        let v30 = "begin:vcard\r\nversion:3.0\r\nfn:Souza\\, Ana\r\n  Maria\r\nitem2.EMAIL;type=INTERNET:ANA@X.COM\r\nend:vcard\r\n";
        let (c, r) = parse_vcard(v30);
        assert!(r.is_empty());
        assert_eq!(c[0].name, "Souza, Ana Maria");
        assert_eq!(c[0].keys("BR"), ["email:ana@x.com"]);
        // waid only (empty value), tab folding
        let waid = "BEGIN:VCARD\nVERSION:3.0\nFN:Bo\nTEL;type=CELL;waid=554188887777:\nEND:VCARD\n";
        assert_eq!(parse_vcard(waid).0[0].keys("BR"), ["tel:+5541988887777"]);
        // 4.0 with mailto and quoted parameters containing ':' and ';'
        let v40 = "BEGIN:VCARD\nVERSION:4.0\nFN;ALTID=\"a;b:c\":Carla\nEMAIL;PREF=1:mailto:carla@x.com\nTEL;VALUE=uri:tel:+1-571-370-4480;ext=12\nEND:VCARD\n";
        let (c, r) = parse_vcard(v40);
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(c[0].name, "Carla");
        assert_eq!(c[0].emails, ["carla@x.com"]);
        assert_eq!(c[0].keys("BR"), ["tel:+15713704480", "email:carla@x.com"]);
    }

    #[test]
    fn vcard_rejects() {
        let text = "junk before\nBEGIN:VCARD\nTEL:+5511987654321\nEND:VCARD\nBEGIN:VCARD\nFN:Ana\nBEGIN:VCARD\nFN:Bo\nTEL:+5511987654321\nEND:VCARD\nBEGIN:VCARD\nFN:Cy\n";
        let (c, r) = parse_vcard(text);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].name, "Bo");
        assert_eq!(c[0].line, 7);
        assert_eq!(
            reject_lines(&r),
            [
                (2, "no name (FN or N)"),
                (5, "card not closed (no END:VCARD)"),
                (11, "card not closed (no END:VCARD)")
            ]
        );
        assert_eq!(r[0].excerpt, "TEL:+5511987654321");
        let long = format!("BEGIN:VCARD\nFN:{}\nEND:VCARD\n", "x".repeat(200));
        assert_eq!(parse_vcard(&long).1[0].excerpt.chars().count(), 80);
    }

    #[test]
    fn dispatch() {
        assert_eq!(
            parse_contacts("x.vcf", "hello"),
            Err(ContactsError::NotVcard)
        );
        assert_eq!(parse_contacts("x.vcard", ""), Err(ContactsError::NotVcard));
        let card = "\u{feff}BEGIN:VCARD\nFN:Ana\nTEL:11 98765-4321\nEND:VCARD\n";
        assert_eq!(parse_contacts("-", card).expect("sniffed").0.len(), 1);
        assert_eq!(
            parse_contacts("x.csv", "name;celular\nAna;11 98765-4321\n")
                .expect("csv")
                .0
                .len(),
            1
        );
        assert_eq!(
            parse_contacts("x.txt", "").expect_err("empty"),
            ContactsError::Empty
        );
    }
}
