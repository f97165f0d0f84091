//! Header recognition: one byte-level scanner that reads a line's header and
//! reports its *shape* (the template features) together with the values.
//!
//! Template detection tallies the shapes of the first candidate lines and keeps
//! the most common one; the main pass then accepts a line as a header only when
//! its shape equals that template (FORMATS.md §8.3). The scanner never slices a
//! `str`: it works on bytes and only reports offsets that sit right after an
//! ASCII byte or after a complete multi-byte sequence it recognised, so the
//! offset of the text after the header is always a char boundary.

/// Class of one date component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Comp {
    /// One or two digits: a day, a month or a two-digit year.
    Small,
    /// Four digits: a year (Gregorian, or Buddhist with ` BE`).
    Year4,
    /// A Japanese era year such as `R4` or `H31`.
    Era,
}

/// What separates the date from the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum DtSep {
    /// `, ` (also the Arabic comma U+060C followed by a space).
    Comma,
    /// A single space.
    Space,
    /// ` klo ` (Finnish).
    Klo,
    /// ` à ` (old French Android).
    A,
}

/// What separates the header from the author/body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum HdrSep {
    /// ` - ` (Android).
    Dash,
    /// `. - ` (a dot after the time, seen in one chat-miner fixture).
    DotDash,
    /// `] ` (iOS, the header is bracketed).
    Bracket,
    /// `: ` (iOS 2016, older Android).
    Colon,
    /// A single space (Czech/Slovak `13. 6. 2018. 21:25:15 a: m`).
    Space,
}

/// The template features of one header line. Two lines belong to the same
/// template exactly when their shapes are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Shape {
    pub bracket: bool,
    pub time_first: bool,
    pub date_sep: u8,
    pub date_sep_space: bool,
    pub date_trailing_dot: bool,
    pub comps: [Comp; 3],
    pub buddhist: bool,
    pub dt_sep: DtSep,
    pub time_sep: u8,
    pub seconds: bool,
    pub ampm: bool,
    pub hdr_sep: HdrSep,
}

impl Shape {
    /// Index of the year component: the 4-digit or era component, else the last one.
    pub fn year_index(&self) -> usize {
        self.comps
            .iter()
            .position(|c| *c != Comp::Small)
            .unwrap_or(2)
    }
}

/// The 12-hour marker family a line used (for the template description only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Family {
    None,
    UpperAmPm,
    LowerAmPm,
    DottedAmPm,
    SpacedDottedAmPm,
    English,
    German,
    Arabic,
    Portuguese,
    Spanish,
}

impl Family {
    /// How the marker is written in a template description.
    pub fn label(self) -> &'static str {
        match self {
            Family::None => "",
            Family::UpperAmPm => "AM",
            Family::LowerAmPm => "am",
            Family::DottedAmPm => "a.m.",
            Family::SpacedDottedAmPm => "a. m.",
            Family::English => "in the morning",
            Family::German => "vorm.",
            Family::Arabic => "\u{0635}",
            Family::Portuguese => "da manhã",
            Family::Spanish => "de la mañana",
        }
    }
}

/// Which half of the day a 12-hour marker names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    /// AM, morning, vorm., ص, da manhã, da madrugada.
    Am,
    /// PM, afternoon, evening, nachm., م, da tarde.
    Pm,
    /// "at night" / "da noite" / "de la noche": 6–11 are evening hours, 12 and 1–5 early morning.
    Night,
}

/// One scanned header line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scan {
    pub shape: Shape,
    /// Date components in file order; era and Buddhist years already Gregorian,
    /// two-digit years still two-digit (the caller adds 2000).
    pub comps: [u32; 3],
    /// Hour on the 24-hour clock.
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub family: Family,
    /// Byte offset of the text after the header separator.
    pub rest: usize,
}

/// Skips invisible marks: LRM, RLM, LRE…RLO (U+202A–U+202E), LRI…PDI
/// (U+2066–U+2069) and BOM/ZWNBSP (U+FEFF).
#[inline]
pub(crate) fn skip_marks(b: &[u8], mut p: usize) -> usize {
    loop {
        match (b.get(p), b.get(p + 1), b.get(p + 2)) {
            (Some(0xE2), Some(0x80), Some(0x8E | 0x8F | 0xAA..=0xAE))
            | (Some(0xE2), Some(0x81), Some(0xA6..=0xA9))
            | (Some(0xEF), Some(0xBB), Some(0xBF)) => p += 3,
            _ => return p,
        }
    }
}

/// One space-like character inside a header: space, NBSP, NNBSP or thin space.
/// Returns the offset after it.
#[inline]
fn space_like(b: &[u8], p: usize) -> Option<usize> {
    match (b.get(p), b.get(p + 1), b.get(p + 2)) {
        (Some(b' '), _, _) => Some(p + 1),
        (Some(0xC2), Some(0xA0), _) => Some(p + 2),
        (Some(0xE2), Some(0x80), Some(0xAF | 0x89)) => Some(p + 3),
        _ => None,
    }
}

/// One digit: ASCII, Arabic-Indic (U+0660–0669) or Persian (U+06F0–06F9).
#[inline]
fn digit(b: &[u8], p: usize) -> Option<(u32, usize)> {
    let c = *b.get(p)?;
    if c.is_ascii_digit() {
        return Some((u32::from(c - b'0'), p + 1));
    }
    let d = *b.get(p + 1)?;
    match (c, d) {
        (0xD9, 0xA0..=0xA9) => Some((u32::from(d - 0xA0), p + 2)),
        (0xDB, 0xB0..=0xB9) => Some((u32::from(d - 0xB0), p + 2)),
        _ => None,
    }
}

/// A run of 1..=`max` digits. Fails when the run is longer than `max`, so
/// huge digit runs never overflow.
#[inline]
fn number(b: &[u8], mut p: usize, max: u32) -> Option<(u32, u32, usize)> {
    let mut value = 0u32;
    let mut n = 0u32;
    while let Some((d, q)) = digit(b, p) {
        if n == max {
            return None;
        }
        value = value * 10 + d;
        n += 1;
        p = q;
    }
    if n == 0 { None } else { Some((value, n, p)) }
}

/// One date component: digits or a Japanese era year.
fn component(b: &[u8], p: usize) -> Option<(u32, Comp, usize)> {
    let base = match b.get(p) {
        Some(b'R') => Some(2018),
        Some(b'H') => Some(1988),
        Some(b'S') => Some(1925),
        Some(b'T') => Some(1911),
        _ => None,
    };
    if let Some(base) = base {
        let (n, _, q) = number(b, p + 1, 2)?;
        if n == 0 {
            return None;
        }
        return Some((base + n, Comp::Era, q));
    }
    let (v, n, q) = number(b, p, 4)?;
    match n {
        1 | 2 => Some((v, Comp::Small, q)),
        4 => Some((v, Comp::Year4, q)),
        _ => None,
    }
}

struct DateParts {
    comps: [u32; 3],
    classes: [Comp; 3],
    sep: u8,
    sep_space: bool,
    trailing_dot: bool,
    buddhist: bool,
}

fn date(b: &[u8], p: usize) -> Option<(DateParts, usize)> {
    let p = skip_marks(b, p);
    let (c1, k1, p) = component(b, p)?;
    let p = skip_marks(b, p);
    let sep = *b.get(p)?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    let mut p = p + 1;
    let sep_space = if let Some(q) = space_like(b, p) {
        p = q;
        true
    } else {
        false
    };
    let p = skip_marks(b, p);
    let (c2, k2, p) = component(b, p)?;
    let p = skip_marks(b, p);
    if b.get(p) != Some(&sep) {
        return None;
    }
    let mut p = p + 1;
    if let Some(q) = space_like(b, p) {
        if !sep_space {
            return None;
        }
        p = q;
    } else if sep_space {
        return None;
    }
    let p = skip_marks(b, p);
    let (c3, k3, mut p) = component(b, p)?;
    let classes = [k1, k2, k3];
    if classes.iter().filter(|c| **c != Comp::Small).count() > 1 {
        return None;
    }
    let mut comps = [c1, c2, c3];
    let mut trailing_dot = false;
    if sep == b'.' && b.get(p) == Some(&b'.') && space_like(b, p + 1).is_some() {
        trailing_dot = true;
        p += 1;
    }
    let mut buddhist = false;
    if let Some(q) = space_like(b, p)
        && b.get(q) == Some(&b'B')
        && b.get(q + 1) == Some(&b'E')
    {
        let yi = classes.iter().position(|c| *c == Comp::Year4)?;
        comps[yi] = comps[yi].checked_sub(543)?;
        buddhist = true;
        p = q + 2;
    }
    Some((
        DateParts {
            comps,
            classes,
            sep,
            sep_space,
            trailing_dot,
            buddhist,
        },
        p,
    ))
}

struct TimeParts {
    hour: u32,
    minute: u32,
    second: u32,
    sep: u8,
    seconds: bool,
    meridiem: Option<(Meridiem, Family)>,
}

/// A 12-hour marker at `p` (no leading space).
fn marker(b: &[u8], p: usize) -> Option<(Meridiem, Family, usize)> {
    let rest = b.get(p..)?;
    const WORDS: &[(&str, Meridiem, Family)] = &[
        ("in the morning", Meridiem::Am, Family::English),
        ("in the afternoon", Meridiem::Pm, Family::English),
        ("in the evening", Meridiem::Pm, Family::English),
        ("at night", Meridiem::Night, Family::English),
        ("vorm.", Meridiem::Am, Family::German),
        ("nachm.", Meridiem::Pm, Family::German),
        ("da manhã", Meridiem::Am, Family::Portuguese),
        ("da madrugada", Meridiem::Am, Family::Portuguese),
        ("da tarde", Meridiem::Pm, Family::Portuguese),
        ("da noite", Meridiem::Night, Family::Portuguese),
        ("de la mañana", Meridiem::Am, Family::Spanish),
        ("de la madrugada", Meridiem::Am, Family::Spanish),
        ("de la tarde", Meridiem::Pm, Family::Spanish),
        ("de la noche", Meridiem::Night, Family::Spanish),
        ("\u{0635}", Meridiem::Am, Family::Arabic),
        ("\u{0645}", Meridiem::Pm, Family::Arabic),
    ];
    let first = *rest.first()?;
    if matches!(first, b'a' | b'A' | b'p' | b'P') {
        let mer = if first == b'a' || first == b'A' {
            Meridiem::Am
        } else {
            Meridiem::Pm
        };
        let mut q = p + 1;
        match b.get(q) {
            Some(b'm' | b'M') => {
                let upper = first.is_ascii_uppercase();
                q += 1;
                if b.get(q).is_some_and(|c| c.is_ascii_alphabetic()) {
                    return None;
                }
                let fam = if upper {
                    Family::UpperAmPm
                } else {
                    Family::LowerAmPm
                };
                return Some((mer, fam, q));
            }
            Some(b'.') => {
                q += 1;
                let mut fam = Family::DottedAmPm;
                if let Some(r) = space_like(b, q) {
                    q = r;
                    fam = Family::SpacedDottedAmPm;
                }
                if !matches!(b.get(q), Some(b'm' | b'M')) {
                    return None;
                }
                q += 1;
                if b.get(q) == Some(&b'.') {
                    q += 1;
                }
                return Some((mer, fam, q));
            }
            _ => {}
        }
    }
    for (w, mer, fam) in WORDS {
        if rest.starts_with(w.as_bytes()) {
            return Some((*mer, *fam, p + w.len()));
        }
    }
    None
}

fn two_digits(b: &[u8], p: usize) -> Option<(u32, usize)> {
    let (v, n, q) = number(b, p, 2)?;
    if n == 2 { Some((v, q)) } else { None }
}

fn time(b: &[u8], p: usize) -> Option<(TimeParts, usize)> {
    let p = skip_marks(b, p);
    let (hour, _, p) = number(b, p, 2)?;
    let sep = *b.get(p)?;
    if sep != b':' && sep != b'.' {
        return None;
    }
    let (minute, mut p) = two_digits(b, p + 1)?;
    let mut second = 0;
    let mut seconds = false;
    if b.get(p) == Some(&sep)
        && let Some((s, q)) = two_digits(b, p + 1)
    {
        second = s;
        seconds = true;
        p = q;
    }
    let p0 = skip_marks(b, p);
    let mut meridiem = None;
    let mut p = p0;
    if let Some(q) = space_like(b, p0) {
        let q = skip_marks(b, q);
        if let Some((m, f, r)) = marker(b, q) {
            meridiem = Some((m, f));
            p = r;
        }
    } else if let Some((m, f, r)) = marker(b, p0) {
        meridiem = Some((m, f));
        p = r;
    }
    Some((
        TimeParts {
            hour,
            minute,
            second,
            sep,
            seconds,
            meridiem,
        },
        p,
    ))
}

/// Converts a clock hour to the 24-hour clock. Hand-edited impossible hours in
/// 12-hour files (`23:59 PM`, `00:04 AM`) are taken as already 24-hour.
fn to_24h(hour: u32, meridiem: Option<Meridiem>) -> Option<u32> {
    let h = match meridiem {
        None => hour,
        Some(_) if hour > 12 => hour,
        Some(Meridiem::Am) => hour % 12,
        Some(Meridiem::Pm) => hour % 12 + 12,
        Some(Meridiem::Night) => {
            if (6..12).contains(&hour) {
                hour + 12
            } else {
                hour % 12
            }
        }
    };
    (h <= 23).then_some(h)
}

/// The header separator after the time (or after the date, time-first).
fn header_sep(b: &[u8], p: usize, bracket: bool) -> Option<(HdrSep, usize)> {
    let p = skip_marks(b, p);
    if bracket {
        if b.get(p) != Some(&b']') {
            return None;
        }
        let q = p + 1;
        return Some((HdrSep::Bracket, space_like(b, q).unwrap_or(q)));
    }
    let dash_after = |q: usize| -> Option<usize> {
        if b.get(q) != Some(&b'-') {
            return None;
        }
        if q + 1 == b.len() {
            return Some(q + 1);
        }
        space_like(b, q + 1)
    };
    if let Some(q) = space_like(b, p)
        && let Some(r) = dash_after(q)
    {
        return Some((HdrSep::Dash, r));
    }
    if b.get(p) == Some(&b'.')
        && let Some(q) = space_like(b, p + 1)
        && let Some(r) = dash_after(q)
    {
        return Some((HdrSep::DotDash, r));
    }
    if b.get(p) == Some(&b':') {
        if p + 1 == b.len() {
            return Some((HdrSep::Colon, p + 1));
        }
        if let Some(q) = space_like(b, p + 1) {
            return Some((HdrSep::Colon, q));
        }
        return None;
    }
    space_like(b, p).map(|q| (HdrSep::Space, q))
}

/// The date/time separator after the date (date-first).
fn dt_sep(b: &[u8], p: usize) -> Option<(DtSep, usize)> {
    let p = skip_marks(b, p);
    match (b.get(p), b.get(p + 1)) {
        (Some(b','), _) => return space_like(b, p + 1).map(|q| (DtSep::Comma, q)),
        (Some(0xD8), Some(0x8C)) => return space_like(b, p + 2).map(|q| (DtSep::Comma, q)),
        _ => {}
    }
    let q = space_like(b, p)?;
    let rest = b.get(q..)?;
    if rest.starts_with(b"klo ") {
        return Some((DtSep::Klo, q + 4));
    }
    if rest.starts_with("à ".as_bytes()) {
        return Some((DtSep::A, q + 3));
    }
    Some((DtSep::Space, q))
}

/// Reads the header of one line, whatever its shape. Returns `None` when the
/// line does not start with a well-formed header (bad hour/minute included).
pub(crate) fn scan(b: &[u8]) -> Option<Scan> {
    let mut p = skip_marks(b, 0);
    let first = *b.get(p)?;
    let bracket = first == b'[';
    if bracket {
        p = skip_marks(b, p + 1);
    } else if !(first.is_ascii_digit() || first == 0xD9 || first == 0xDB) {
        return None;
    }
    // Time first (Vietnamese iOS `[21:41:35, 3/27/22]`): a number followed by ':'.
    let time_first = {
        let q = skip_marks(b, p);
        match number(b, q, 2) {
            Some((_, _, r)) => b.get(r) == Some(&b':'),
            None => false,
        }
    };
    let (d, t, dt, p) = if time_first {
        let (t, p) = time(b, p)?;
        let p = skip_marks(b, p);
        if b.get(p) != Some(&b',') {
            return None;
        }
        let p = space_like(b, p + 1)?;
        let (d, p) = date(b, p)?;
        (d, t, DtSep::Comma, p)
    } else {
        let (d, p) = date(b, p)?;
        let (dt, p) = dt_sep(b, p)?;
        let (t, p) = time(b, p)?;
        (d, t, dt, p)
    };
    let (hdr_sep, rest) = header_sep(b, p, bracket)?;
    let hour = to_24h(t.hour, t.meridiem.map(|m| m.0))?;
    if t.minute > 59 || t.second > 59 {
        return None;
    }
    Some(Scan {
        shape: Shape {
            bracket,
            time_first,
            date_sep: d.sep,
            date_sep_space: d.sep_space,
            date_trailing_dot: d.trailing_dot,
            comps: d.classes,
            buddhist: d.buddhist,
            dt_sep: dt,
            time_sep: t.sep,
            seconds: t.seconds,
            ampm: t.meridiem.is_some(),
            hdr_sep,
        },
        comps: d.comps,
        hour,
        minute: t.minute,
        second: t.second,
        family: t.meridiem.map_or(Family::None, |m| m.1),
        rest,
    })
}

/// Readable template, e.g. `ios "[dd/mm/yyyy, HH:mm:ss] "`. `day_first` tells
/// which of the two non-year components is the day.
pub(crate) fn describe(shape: &Shape, family: Family, day_first: bool) -> String {
    let yi = shape.year_index();
    let mut names: [&str; 3] = ["", "", ""];
    let mut small_seen = 0;
    for (i, name) in names.iter_mut().enumerate() {
        if i == yi {
            *name = match shape.comps[i] {
                Comp::Small => "yy",
                Comp::Year4 => "yyyy",
                Comp::Era => "Ey",
            };
        } else {
            let is_day = (small_seen == 0) == day_first;
            *name = if is_day { "dd" } else { "mm" };
            small_seen += 1;
        }
    }
    let sep = char::from(shape.date_sep);
    let sep = if shape.date_sep_space {
        format!("{sep} ")
    } else {
        sep.to_string()
    };
    let mut date = names.join(&sep);
    if shape.date_trailing_dot {
        date.push('.');
    }
    if shape.buddhist {
        date.push_str(" BE");
    }
    let ts = char::from(shape.time_sep);
    let hour = if shape.ampm { "h" } else { "HH" };
    let mut time = format!("{hour}{ts}mm");
    if shape.seconds {
        time.push(ts);
        time.push_str("ss");
    }
    if shape.ampm {
        time.push(' ');
        time.push_str(family.label());
    }
    let dt = match shape.dt_sep {
        DtSep::Comma => ", ",
        DtSep::Space => " ",
        DtSep::Klo => " klo ",
        DtSep::A => " à ",
    };
    let body = if shape.time_first {
        format!("{time}, {date}")
    } else {
        format!("{date}{dt}{time}")
    };
    let (platform, open, close) = match shape.hdr_sep {
        HdrSep::Bracket => ("ios", "[", "] "),
        HdrSep::Dash => ("android", "", " - "),
        HdrSep::DotDash => ("android", "", ". - "),
        HdrSep::Colon => ("legacy", "", ": "),
        HdrSep::Space => ("other", "", " "),
    };
    format!("{platform} \"{open}{body}{close}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(line: &str) -> Scan {
        scan(line.as_bytes()).unwrap_or_else(|| panic!("no header in {line:?}"))
    }

    fn rest(line: &str) -> &str {
        &line[s(line).rest..]
    }

    #[test]
    fn android_12h_and_24h() {
        let a = s("1/29/18, 12:24 PM - Mallory: Hey! :)");
        assert_eq!(a.comps, [1, 29, 18]);
        assert_eq!((a.hour, a.minute), (12, 24));
        assert_eq!(a.shape.hdr_sep, HdrSep::Dash);
        assert!(a.shape.ampm);
        assert_eq!(
            rest("1/29/18, 12:24 PM - Mallory: Hey! :)"),
            "Mallory: Hey! :)"
        );
        let b = s("1/30/18, 12:00 AM - Alice: x");
        assert_eq!(b.hour, 0);
        let c = s("1/29/18, 23:59 PM - Bob: x");
        assert_eq!(c.hour, 23);
        let d = s("1/30/18, 00:04 AM - Bob: x");
        assert_eq!(d.hour, 0);
        assert_eq!(d.minute, 4);
    }

    #[test]
    fn nnbsp_and_nbsp_markers() {
        let a = s("1/4/23, 7:02\u{202f}PM - x");
        assert_eq!(a.hour, 19);
        let b = s("20/6/2017 8:28 p.\u{a0}m. - Michelle: test");
        assert_eq!(b.hour, 20);
        assert_eq!(b.shape.dt_sep, DtSep::Space);
        assert_eq!(b.family, Family::SpacedDottedAmPm);
        let c = s("09/10/2023, 11:11\u{202f}am - +44 7123 456789: <Media omitted>");
        assert_eq!(c.hour, 11);
        assert_eq!(c.family, Family::LowerAmPm);
    }

    #[test]
    fn bracketed_ios_with_marks() {
        let line = "\u{200e}[\u{feff}29.01.18, 12:24:03 PM] Dave: x";
        let a = s(line);
        assert!(a.shape.bracket);
        assert!(a.shape.seconds);
        assert_eq!(a.hour, 12);
        assert_eq!(rest(line), "Dave: x");
    }

    #[test]
    fn arabic_digits_rlm_and_comma() {
        let line = "[\u{0662}\u{0667}\u{200f}/\u{0663}\u{200f}/\u{0662}\u{0660}\u{0662}\u{0662}\u{060c} \u{0669}:\u{0664}\u{0661}:\u{0663}\u{0665}\u{00a0}\u{0645}] Dmitry S: Hello World";
        let a = s(line);
        assert_eq!(a.comps, [27, 3, 2022]);
        assert_eq!((a.hour, a.minute, a.second), (21, 41, 35));
        assert_eq!(a.shape.dt_sep, DtSep::Comma);
        assert_eq!(rest(line), "Dmitry S: Hello World");
    }

    #[test]
    fn persian_digits() {
        let a = s("۲۰۲۱/۵/۳۰، ۱۸:۴۴ - Sattar-b: سلام");
        assert_eq!(a.comps, [2021, 5, 30]);
        assert_eq!((a.hour, a.minute), (18, 44));
    }

    #[test]
    fn eras_and_time_first() {
        assert_eq!(s("[3/27/R4, 21:41:35] a: b").comps, [3, 27, 2022]);
        assert_eq!(s("[3/27/H31, 21:41:35] a: b").comps, [3, 27, 2019]);
        let b = s("[3/27/2565 BE, 21:41:35] a: b");
        assert_eq!(b.comps, [3, 27, 2022]);
        assert!(b.shape.buddhist);
        let v = s("[21:41:35, 3/27/22] Dmitry S: Hello");
        assert!(v.shape.time_first);
        assert_eq!(v.comps, [3, 27, 22]);
        assert_eq!(v.hour, 21);
    }

    #[test]
    fn odd_separators() {
        assert_eq!(s("13.6.2018 klo 21.25.15 - a: m").shape.dt_sep, DtSep::Klo);
        assert_eq!(s("12/07/2017 à 22:35 - x").shape.dt_sep, DtSep::A);
        assert_eq!(
            s("2022/12/24, 13:01. - John: x").shape.hdr_sep,
            HdrSep::DotDash
        );
        assert_eq!(s("4/26/16, 16:23:03: a: b").shape.hdr_sep, HdrSep::Colon);
        assert_eq!(s("09/12/2012 17:03: a: b").shape.hdr_sep, HdrSep::Colon);
        let cz = s("13. 6. 2018. 21:25:15 a: m");
        assert!(cz.shape.date_sep_space && cz.shape.date_trailing_dot);
        assert_eq!(cz.shape.hdr_sep, HdrSep::Space);
        assert_eq!(rest("13. 6. 2018. 21:25:15 a: m"), "a: m");
        assert_eq!(s("03/01/2021, 9:15 in the morning - W: x").hour, 9);
        assert_eq!(s("03/01/2021, 9:15 in the evening - W: x").hour, 21);
        assert_eq!(s("03/01/2021, 12:15 at night - W: x").hour, 0);
        assert_eq!(s("03/01/2021, 11:15 at night - W: x").hour, 23);
        assert_eq!(s("29.01.18, 5:00 nachm. - W: x").hour, 17);
        assert_eq!(s("29/01/18 5:00 da tarde - W: x").hour, 17);
    }

    #[test]
    fn rejects() {
        for line in [
            "",
            "hello",
            "01.04.2015 - 16:00:27; ME: Und",
            "1/29/18, 25:00 - x",
            "1/29/18, 12:60 - x",
            "123456789012/1/1, 10:00 - x",
            "[1/2/20, 10:00:00 x",
            "1/2/2020/, 10:00 - x",
            "\u{200e}",
        ] {
            assert!(scan(line.as_bytes()).is_none(), "{line:?}");
        }
    }

    #[test]
    fn describe_templates() {
        let a = s("[14/10/2021, 3:34:09\u{202f}PM] x: y");
        assert_eq!(
            describe(&a.shape, a.family, true),
            "ios \"[dd/mm/yyyy, h:mm:ss AM] \""
        );
        let b = s("1/29/18, 12:24 - M: x");
        assert_eq!(
            describe(&b.shape, b.family, false),
            "android \"mm/dd/yy, HH:mm - \""
        );
    }
}
