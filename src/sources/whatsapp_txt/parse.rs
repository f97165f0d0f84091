//! The two passes over an export: template detection, then every line against
//! that template; then date order, timestamps and the continuation fix-ups.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use chrono::{NaiveDateTime, TimeDelta, Timelike};
use rayon::prelude::*;

use super::date_order::{self, Layout, Stamp};
use super::header::{self, Family, Shape};
use super::markers;
use super::{ExportError, ExportMessage, LineReject, ParseOptions, ParsedExport};
use crate::model::Kind;

/// How many header-looking lines template detection looks at.
const DETECT_HEADERS: usize = 200;
/// Without any header in this many non-empty lines the file is not an export.
const DETECT_NON_EMPTY: usize = 50;
/// An authorless, unknown line dated this far outside the time window of the
/// messages around it is a pasted date, not a message (quirk q04).
const FAR_OUTSIDE_DAYS: i64 = 7;

const BEFORE_FIRST: &str = "text before the first message";

/// How far the main pass reads between two calls of [`parse_export_releasing`]'s `release`.
pub const RELEASE_STEP: usize = 4 << 20;

/// A text is read in pieces, one a thread, when each piece is at least this long.
const PIECE_MIN: usize = 8 << 20;

/// What a parse calls as it leaves text behind (see [`parse_export_releasing`]).
pub type Release<'a> = dyn Fn(Range<usize>) + Sync + 'a;

/// Physical lines as byte ranges: `\r\n`, `\n` and bare `\r` end a line; the
/// empty piece after a final line break is not a line.
struct Lines<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Iterator for Lines<'_> {
    type Item = (usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        let start = self.pos;
        if start >= self.b.len() {
            return None;
        }
        match memchr::memchr2(b'\n', b'\r', &self.b[start..]) {
            Some(i) => {
                let end = start + i;
                self.pos = end + 1;
                if self.b[end] == b'\r' && self.b.get(end + 1) == Some(&b'\n') {
                    self.pos += 1;
                }
                Some((start, end))
            }
            None => {
                self.pos = self.b.len();
                Some((start, self.b.len()))
            }
        }
    }
}

fn lines(text: &str) -> Lines<'_> {
    lines_in(text, 0..text.len())
}

/// The lines of `text[range]` (which starts at a line start), at their positions in `text`.
fn lines_in(text: &str, range: Range<usize>) -> Lines<'_> {
    Lines {
        b: &text.as_bytes()[..range.end],
        pos: range.start,
    }
}

fn blank(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_whitespace)
}

/// Picks the header shape: the first non-empty line's when it is a header (every real export
/// starts with a message, so header-looking lines pasted into bodies later can never outvote
/// it), else the most common shape among the first candidate lines (earliest wins a tie).
fn detect(text: &str) -> Result<(Shape, Family), ExportError> {
    let not_export = || ExportError::NotAnExport("no dated line in the first 50 lines".to_string());
    let b = text.as_bytes();
    let mut tally: Vec<(Shape, Family, usize)> = Vec::new();
    let mut non_empty = 0usize;
    let mut found = 0usize;
    for (s, e) in lines(text) {
        let line = &b[s..e];
        if blank(line) {
            continue;
        }
        non_empty += 1;
        if let Some(sc) = header::scan(line) {
            if non_empty == 1 {
                return Ok((sc.shape, sc.family));
            }
            found += 1;
            match tally.iter_mut().find(|t| t.0 == sc.shape) {
                Some(t) => t.2 += 1,
                None => tally.push((sc.shape, sc.family, 1)),
            }
            if found >= DETECT_HEADERS {
                break;
            }
        } else if found == 0 && non_empty >= DETECT_NON_EMPTY {
            return Err(not_export());
        }
    }
    let mut best: Option<&(Shape, Family, usize)> = None;
    for t in &tally {
        if best.is_none_or(|b| t.2 > b.2) {
            best = Some(t);
        }
    }
    best.map(|t| (t.0, t.1)).ok_or_else(not_export)
}

/// What the main pass keeps of a header line besides its [`ExportMessage`]:
/// the raw date components (the order is not known yet) and what a later
/// demotion to a continuation line needs.
struct Aux {
    stamp: Stamp,
    second: u32,
    raw: (usize, usize),
    /// Length of the header line's own body inside the text (continuations follow).
    head_len: usize,
    /// Authorless and not a known WhatsApp line: a candidate pasted date (q04).
    unknown: bool,
}

/// Sender as displayed, without invisible marks: LRE…RLO/PDF, LRM/RLM,
/// isolates and BOM removed, NBSP/NNBSP → space, U+2011 → '-', trimmed.
pub(crate) fn normalize_author(s: &str) -> String {
    if s.is_ascii() {
        return s.trim().to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{202a}'..='\u{202e}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}' => {}
            '\u{a0}' | '\u{202f}' => out.push(' '),
            '\u{2011}' => out.push('-'),
            c => out.push(c),
        }
    }
    let t = out.trim();
    if t.len() == out.len() {
        out
    } else {
        t.to_string()
    }
}

/// The senders of one file, each normalised once and stored once: a chat has a handful of
/// senders over hundreds of thousands of messages, and every message shares its sender's `Arc`.
#[derive(Default)]
struct Authors<'a> {
    /// Raw sender text as the header shows it → the sender (None when nothing is left of it).
    raw: Vec<(&'a str, Option<Arc<str>>)>,
    /// The same for files with more senders than are worth a linear search.
    many: HashMap<&'a str, Option<Arc<str>>>,
    /// Normalised sender → its one `Arc` (raw spellings differ by invisible marks).
    by_name: HashMap<String, Arc<str>>,
}

impl<'a> Authors<'a> {
    /// Raw senders looked up with a linear search before the map.
    const LINEAR: usize = 16;

    fn get(&mut self, raw: &'a str) -> Option<Arc<str>> {
        if let Some((_, a)) = self.raw.iter().find(|(r, _)| *r == raw) {
            return a.clone();
        }
        if let Some(a) = self.many.get(raw) {
            return a.clone();
        }
        let name = normalize_author(raw);
        let author = (!name.is_empty()).then(|| {
            self.by_name
                .entry(name)
                .or_insert_with_key(|n| Arc::from(n.as_str()))
                .clone()
        });
        if self.raw.len() < Self::LINEAR {
            self.raw.push((raw, author.clone()));
        } else {
            self.many.insert(raw, author.clone());
        }
        author
    }
}

/// Whether the bytes hold a quote of some kind (", ', “, ”, „, «, »).
fn has_quote(b: &[u8]) -> bool {
    b.iter().enumerate().any(|(i, &c)| match c {
        b'"' | b'\'' => true,
        0xE2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x9C..=0x9E)),
        0xC2 => matches!(b.get(i + 1), Some(0xAB | 0xBB)),
        _ => false,
    })
}

/// Splits the text after a header into author and body and classifies it.
fn read_rest<'a>(
    rest: &'a str,
    authors: &mut Authors<'a>,
) -> (Option<Arc<str>>, String, Kind, bool) {
    let rb = rest.as_bytes();
    let mut split = None;
    let mut from = 0;
    while let Some(i) = memchr::memchr(b':', &rb[from..]) {
        let i = from + i;
        if i + 1 == rb.len() {
            split = Some((i, i + 1));
            break;
        }
        if rb[i + 1] == b' ' {
            split = Some((i, i + 2));
            break;
        }
        from = i + 1;
    }
    let authorless = |rest: &str, known: Option<bool>| {
        let known = known.unwrap_or_else(|| markers::is_known_line(rest));
        (
            None,
            markers::strip_leading_marks(rest).to_string(),
            Kind::System,
            !known,
        )
    };
    let Some((i, body_start)) = split else {
        return authorless(rest, None);
    };
    // A system text can hold ": " inside quotes (`X changed the subject from
    // "Loja" to "Promo: 50% off"`): check before taking `X changed…` as author.
    if has_quote(&rb[..i]) && markers::system_before(rest, i) {
        return authorless(rest, Some(true));
    }
    let Some(author) = authors.get(&rest[..i]) else {
        return authorless(rest, None);
    };
    let body = &rest[body_start..];
    let stripped = markers::strip_leading_marks(body);
    let kind = markers::classify_body(stripped, stripped.len() != body.len());
    (Some(author), stripped.to_string(), kind, false)
}

/// Appends a demoted header line (and its continuation lines) to the message
/// before it, or rejects its lines when there is none.
fn demote(
    text: &str,
    line: u32,
    raw: (usize, usize),
    body: &str,
    head_len: usize,
    out: &mut [ExportMessage],
    rejects: &mut Vec<LineReject>,
) {
    let raw_line = &text[raw.0..raw.1];
    let tail = body.get(head_len..).unwrap_or("");
    if let Some(prev) = out.last_mut() {
        prev.text.push('\n');
        prev.text.push_str(raw_line);
        prev.text.push_str(tail);
        return;
    }
    let mut n = line;
    for l in std::iter::once(raw_line).chain(tail.split('\n').skip(1)) {
        if !blank(l.as_bytes()) {
            rejects.push(LineReject {
                line: n,
                reason: BEFORE_FIRST.to_string(),
                excerpt: l.to_string(),
            });
        }
        n = n.saturating_add(1);
    }
}

/// What the main pass over the lines produces.
struct Pass {
    msgs: Vec<ExportMessage>,
    /// The line data of the messages, piece by piece (see [`read_lines_in_pieces`]): together,
    /// in order, one for each message. Not joined into one vector: that cost a copy of all of
    /// it, alive beside the pieces.
    aux: Vec<Vec<Aux>>,
    rejects: Vec<LineReject>,
    line_no: u32,
    /// Continuation lines that are complete headers, with an author, of another shape:
    /// (line, scan). Candidates for [`misplaced_headers`].
    foreign: Vec<(u32, header::Scan)>,
}

/// Reads every line against the template `shape`. Lines listed in `skip` (ascending, with
/// their reason) are rejected, and so are the continuation lines that follow them.
fn read_lines(text: &str, shape: Shape, skip: &[(u32, String)], release: &Release) -> Pass {
    read_piece(text, 0..text.len(), text.len(), shape, skip, release)
}

/// [`read_lines`] without rejected lines, in (at most) `pieces` pieces read in parallel. Each
/// piece starts at a header line of `shape`, which starts a message wherever it is, so the
/// pieces' passes joined (their line numbers counted on) are the pass over the whole text.
fn read_lines_in_pieces(text: &str, shape: Shape, pieces: usize, release: &Release) -> Pass {
    let mut starts = vec![0];
    for k in 1..pieces {
        let last = starts[starts.len() - 1];
        match next_header_start(text, (text.len() / pieces * k).max(last), shape) {
            Some(p) if p > last => starts.push(p),
            _ => break,
        }
    }
    if starts.len() == 1 {
        return read_lines(text, shape, &[], release);
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    let ranges: Vec<Range<usize>> = starts.iter().zip(ends).map(|(&a, b)| a..b).collect();
    let passes: Vec<Pass> = ranges
        .into_par_iter()
        .enumerate()
        .map(|(k, r)| {
            // The first piece's vectors get room for the whole text: the others move in.
            let room = if k == 0 { text.len() } else { r.len() };
            read_piece(text, r, room, shape, &[], release)
        })
        .collect();
    let mut passes = passes.into_iter();
    let mut whole = passes.next().expect("two pieces at least");
    for piece in passes {
        // Its lines are numbered from 1: on after the pieces before it.
        let before = whole.line_no;
        let after = |line: u32| line.saturating_add(before);
        whole.msgs.extend(piece.msgs.into_iter().map(|mut m| {
            m.line = after(m.line);
            m
        }));
        whole.rejects.extend(piece.rejects.into_iter().map(|mut r| {
            r.line = after(r.line);
            r
        }));
        whole
            .foreign
            .extend(piece.foreign.into_iter().map(|(l, sc)| (after(l), sc)));
        whole.aux.extend(piece.aux);
        whole.line_no = after(piece.line_no);
    }
    whole
}

/// The start of the first line after the one holding `from` that is a header of `shape`.
fn next_header_start(text: &str, from: usize, shape: Shape) -> Option<usize> {
    let b = text.as_bytes();
    let mut pos = from;
    loop {
        let i = pos + memchr::memchr2(b'\n', b'\r', &b[pos..])?;
        let start = if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
        if start >= b.len() {
            return None;
        }
        let end = memchr::memchr2(b'\n', b'\r', &b[start..]).map_or(b.len(), |j| start + j);
        if header::scan(&b[start..end]).is_some_and(|sc| sc.shape == shape) {
            return Some(start);
        }
        pos = start;
    }
}

/// The main pass over the lines of `text[range]` (from a line start), numbered from 1;
/// positions are in `text`. Its vectors get room for `room` bytes of text.
fn read_piece(
    text: &str,
    range: Range<usize>,
    room: usize,
    shape: Shape,
    skip: &[(u32, String)],
    release: &Release,
) -> Pass {
    let b = text.as_bytes();
    let precision_s = if shape.seconds { 1 } else { 60 };
    let cap = room / 64 + 1;
    let mut msgs: Vec<ExportMessage> = Vec::with_capacity(cap);
    let mut aux: Vec<Aux> = Vec::with_capacity(cap);
    let mut rejects: Vec<LineReject> = Vec::new();
    let mut foreign: Vec<(u32, header::Scan)> = Vec::new();
    let mut line_no: u32 = 0;
    let mut skip = skip.iter().peekable();
    // The rejected header whose continuation lines are being read, if any.
    let mut in_rejected: Option<u32> = None;
    let mut authors = Authors::default();
    let mut released = range.start;
    for (s, e) in lines_in(text, range) {
        line_no = line_no.saturating_add(1);
        if s >= released + RELEASE_STEP {
            release(released..s);
            released = s;
        }
        let lb = &b[s..e];
        if let Some((_, reason)) = skip.next_if(|(l, _)| *l == line_no) {
            in_rejected = Some(line_no);
            rejects.push(LineReject {
                line: line_no,
                reason: reason.clone(),
                excerpt: text[s..e].to_string(),
            });
            continue;
        }
        let scanned = header::scan(lb);
        if let Some(sc) = scanned
            && sc.shape == shape
        {
            in_rejected = None;
            let (author, body, kind, unknown) = read_rest(&text[s + sc.rest..e], &mut authors);
            aux.push(Aux {
                stamp: Stamp {
                    comps: sc.comps,
                    minute_of_day: sc.hour * 60 + sc.minute,
                },
                second: sc.second,
                raw: (s, e),
                head_len: body.len(),
                unknown,
            });
            msgs.push(ExportMessage {
                line: line_no,
                local: NaiveDateTime::MIN,
                precision_s,
                author,
                text: body,
                kind,
            });
        } else if let Some(first) = in_rejected {
            if !blank(lb) {
                rejects.push(LineReject {
                    line: line_no,
                    reason: format!("continuation of rejected line {first}"),
                    excerpt: text[s..e].to_string(),
                });
            }
        } else if let Some(last) = msgs.last_mut() {
            if let Some(sc) = scanned
                && read_rest(&text[s + sc.rest..e], &mut authors).0.is_some()
            {
                foreign.push((line_no, sc));
            }
            last.text.push('\n');
            last.text.push_str(&text[s..e]);
        } else if !blank(lb) {
            // Blank lines before the first message carry nothing and are skipped.
            rejects.push(LineReject {
                line: line_no,
                reason: BEFORE_FIRST.to_string(),
                excerpt: text[s..e].to_string(),
            });
        }
    }
    Pass {
        msgs,
        aux: vec![aux],
        rejects,
        line_no,
        foreign,
    }
}

impl Pass {
    /// The line data of every message, in order.
    fn aux(&self) -> impl Iterator<Item = &Aux> + Clone {
        self.aux.iter().flatten()
    }
}

/// The wall-clock time of date components under a reading; None when impossible.
fn stamp_time(
    layout: Layout,
    comps: &[u32; 3],
    day_first: bool,
    minute_of_day: u32,
    second: u32,
) -> Option<NaiveDateTime> {
    layout
        .date(comps, day_first)?
        .and_hms_opt(minute_of_day / 60, minute_of_day % 60, second)
}

/// Continuation lines that are messages in a foreign header: a complete header with an author
/// in another export's shape, or in this file's shape with a date impossible in its day/month
/// order (`11/25/2026` in a day-first file). Bodies legitimately hold such lines: copied or
/// forwarded messages (FORMATS.md §5) — but a copy is of a message that already existed, so it
/// is dated no later than the message it is pasted into. A header dated after the previous
/// message's minute and no later than the next message (or within [`FAR_OUTSIDE_DAYS`] when
/// none follows), under every reading of its date, sits where a message of this chat would: it
/// is rejected (with the reason naming this file's format), not folded into the previous
/// message's text. Ascending by line.
fn misplaced_headers(
    pass: &Pass,
    layout: Layout,
    day_first: bool,
    shape: &Shape,
    family: header::Family,
) -> Vec<(u32, String)> {
    let invalid_authored = pass.msgs.iter().zip(pass.aux()).filter(|(m, a)| {
        m.author.is_some()
            && stamp_time(
                layout,
                &a.stamp.comps,
                day_first,
                a.stamp.minute_of_day,
                a.second,
            )
            .is_none()
    });
    if pass.foreign.is_empty() && invalid_authored.clone().next().is_none() {
        return Vec::new();
    }
    let template = header::describe(shape, family, day_first);
    // Valid messages: (line, time), ascending by line.
    let valid: Vec<(u32, NaiveDateTime)> = pass
        .msgs
        .iter()
        .zip(pass.aux())
        .filter_map(|(m, a)| {
            let t = stamp_time(
                layout,
                &a.stamp.comps,
                day_first,
                a.stamp.minute_of_day,
                a.second,
            )?;
            Some((m.line, t))
        })
        .collect();
    // Compared by the minute: a copy made within the minute of the message it is pasted into
    // may carry seconds that message's header lacks.
    let minute = |t: NaiveDateTime| t.with_second(0).unwrap_or(t);
    let fits = |line: u32, t: NaiveDateTime| {
        let i = valid.partition_point(|(l, _)| *l < line);
        let Some(&(_, prev)) = i.checked_sub(1).and_then(|p| valid.get(p)) else {
            return false;
        };
        let hi = match valid.get(i) {
            Some(&(_, next)) => Some(next),
            None => prev.checked_add_signed(TimeDelta::days(FAR_OUTSIDE_DAYS)),
        };
        minute(t) > minute(prev) && hi.is_some_and(|hi| t <= hi)
    };
    let mut out: Vec<(u32, String)> = Vec::new();
    for (m, a) in invalid_authored {
        let other = stamp_time(
            layout,
            &a.stamp.comps,
            !day_first,
            a.stamp.minute_of_day,
            a.second,
        );
        if other.is_some_and(|t| fits(m.line, t)) {
            out.push((
                m.line,
                format!("date impossible in this file's day/month order; expected {template}"),
            ));
        }
    }
    for (line, sc) in &pass.foreign {
        // Another export's day/month order is unknown: every possible reading must fit (a copy
        // of an older message, read the wrong way round, must not pass for a newer one).
        let l = Layout::new(sc.shape.year_index());
        let of_day = sc.hour * 60 + sc.minute;
        let readings: Vec<NaiveDateTime> = [day_first, !day_first]
            .into_iter()
            .filter_map(|df| stamp_time(l, &sc.comps, df, of_day, sc.second))
            .collect();
        if !readings.is_empty() && readings.iter().all(|t| fits(*line, *t)) {
            out.push((
                *line,
                format!("a message header in another export format; expected {template}"),
            ));
        }
    }
    out.sort_by_key(|(l, _)| *l);
    out
}

/// Parses one export (see the module docs and SPEC §3.1).
pub fn parse_export(text: &str, opts: &ParseOptions) -> Result<ParsedExport, ExportError> {
    parse_export_releasing(text, opts, &|_| {})
}

/// [`parse_export`], calling `release(range)` as the main pass leaves each [`RELEASE_STEP`] of
/// the text behind: those bytes are copied into messages and not needed soon (see
/// `InputFileText::release`); later steps may read them again. A long text is read in pieces on
/// several threads, which call `release` at once.
pub fn parse_export_releasing(
    text: &str,
    opts: &ParseOptions,
    release: &Release,
) -> Result<ParsedExport, ExportError> {
    let pieces = rayon::current_num_threads().min(text.len() / PIECE_MIN);
    parse_in_pieces(text, opts, pieces, release)
}

/// [`parse_export_releasing`] with the main pass in at most `pieces` pieces.
pub(super) fn parse_in_pieces(
    text: &str,
    opts: &ParseOptions,
    pieces: usize,
    release: &Release,
) -> Result<ParsedExport, ExportError> {
    let full_len = text.len();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = full_len - text.len();
    let release = |r: Range<usize>| release(r.start + bom..r.end + bom);
    if text.is_empty() {
        return Err(ExportError::NotAnExport("empty file".to_string()));
    }
    let (shape, family) = detect(text)?;

    // Pass 2: every line against the one template. Messages get their
    // timestamp once the date order is known.
    let mut pass = read_lines_in_pieces(text, shape, pieces.max(1), &release);

    let layout = Layout::new(shape.year_index());
    let (day_first, date_order, date_order_basis) =
        date_order::decide(pass.aux().map(|a| a.stamp), layout, opts.date_order)?;

    // Headers that are not this file's but are messages all the same (another export's
    // shape, or a date impossible in this file's order) are rejected, not folded into the
    // message before them; then the lines are read again without them.
    let misplaced = misplaced_headers(&pass, layout, day_first, &shape, family);
    if !misplaced.is_empty() {
        pass = read_lines(text, shape, &misplaced, &|_| {});
    }
    let Pass {
        mut msgs,
        mut aux,
        mut rejects,
        line_no,
        ..
    } = pass;

    // Timestamps. A header whose date is impossible under the chosen order is
    // a continuation line after all (rare: only then is the vector rebuilt).
    // (any invalid, any unknown), in parallel over the messages, piece by piece (each piece's
    // line data beside its stretch of the messages).
    let mut stretches: Vec<(&mut [ExportMessage], &[Aux])> = Vec::with_capacity(aux.len());
    let mut rest = msgs.as_mut_slice();
    for piece in &aux {
        let (stretch, tail) = rest.split_at_mut(piece.len());
        stretches.push((stretch, piece));
        rest = tail;
    }
    let (any_invalid, any_unknown) = (stretches.into_par_iter())
        .flat_map(|(stretch, piece)| {
            (stretch.par_iter_mut().zip(piece.par_iter())).with_min_len(1 << 14)
        })
        .map(|(m, a)| {
            let minute = a.stamp.minute_of_day;
            let flags = match layout
                .date(&a.stamp.comps, day_first)
                .and_then(|d| d.and_hms_opt(minute / 60, minute % 60, a.second))
            {
                Some(local) => {
                    m.local = local;
                    (false, a.unknown)
                }
                None => (true, false),
            };
            if !markers::is_single_line(&m.text, a.head_len) {
                m.kind = markers::finish_kind(m.kind, &m.text);
            }
            flags
        })
        .reduce(|| (false, false), |x, y| (x.0 || y.0, x.1 || y.1));
    if any_invalid {
        let valid: Vec<bool> = msgs.iter().map(|m| m.local != NaiveDateTime::MIN).collect();
        let mut kept: Vec<ExportMessage> = Vec::with_capacity(msgs.len());
        let mut kept_aux: Vec<Aux> = Vec::with_capacity(msgs.len());
        for ((m, a), ok) in msgs.into_iter().zip(aux.into_iter().flatten()).zip(valid) {
            if ok {
                kept.push(m);
                kept_aux.push(a);
            } else {
                demote(
                    text,
                    m.line,
                    a.raw,
                    &m.text,
                    a.head_len,
                    &mut kept,
                    &mut rejects,
                );
            }
        }
        msgs = kept;
        aux = vec![kept_aux];
    }

    // Quirk q04: a body line such as `13/01/2023 14:00 - fica bom pra mim?`
    // matches the template, has no author and is no WhatsApp line. When its
    // date lies far outside the window spanned by the messages before and after
    // it, it is text the sender typed or pasted: merge it back into the
    // previous message. A real system line sits inside that window (or is a
    // known WhatsApp string and never a candidate).
    if any_unknown {
        let times: Vec<NaiveDateTime> = msgs.iter().map(|m| m.local).collect();
        let far = TimeDelta::days(FAR_OUTSIDE_DAYS);
        let mut kept: Vec<ExportMessage> = Vec::with_capacity(msgs.len());
        for (i, (m, a)) in msgs.into_iter().zip(aux.iter().flatten()).enumerate() {
            let outside = a.unknown
                && match (kept.last(), times.get(i + 1)) {
                    (Some(prev), Some(next)) => {
                        let lo = prev.local.min(*next).checked_sub_signed(far);
                        let hi = prev.local.max(*next).checked_add_signed(far);
                        lo.is_some_and(|lo| m.local < lo) || hi.is_some_and(|hi| m.local > hi)
                    }
                    _ => false,
                };
            if outside {
                demote(
                    text,
                    m.line,
                    a.raw,
                    &m.text,
                    a.head_len,
                    &mut kept,
                    &mut rejects,
                );
            } else {
                kept.push(m);
            }
        }
        msgs = kept;
    }

    Ok(ParsedExport {
        messages: msgs,
        rejects,
        template: header::describe(&shape, family, day_first),
        date_order,
        date_order_basis,
        lines: line_no as usize,
    })
}
