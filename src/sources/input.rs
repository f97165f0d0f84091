//! Finding and reading input files: folders are walked, zips opened, `-` is stdin, bytes are
//! decoded as UTF-8 (lossily, counting what was replaced) and hashed for the manifest.

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

/// One input file's text.
#[derive(Debug)]
pub struct InputText {
    /// Display path (`dir/x.zip!_chat.txt` for a zip member, `-` for stdin).
    pub file: String,
    /// Name used to find a chat title (the zip's name for `_chat.txt` members).
    pub name_for_title: String,
    /// The decoded text.
    pub text: InputFileText,
    /// Bytes that were not valid UTF-8 and were replaced by U+FFFD.
    pub replaced_bytes: usize,
    /// SHA-256 of the file's bytes (the zip's for a member).
    pub sha256: FileHash,
    /// Size of the file (the zip's for a member).
    pub bytes: u64,
}

/// Expands paths into the files to read: folders are walked (sorted, hidden entries and
/// `__MACOSX` skipped) keeping names that end in one of `exts`; files and `-` pass through.
pub fn expand(paths: &[PathBuf], exts: &[&str]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(p.clone());
        } else if p.is_dir() {
            let before = out.len();
            walk(p, exts, &mut out)?;
            if out.len() == before {
                bail!(
                    "{}: a folder with no {} file in it",
                    p.display(),
                    exts.join(" or ")
                );
            }
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            bail!("{}: no such file or folder", p.display());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("cannot read folder {}", dir.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "__MACOSX" {
            continue;
        }
        let path = e.path();
        if path.is_dir() {
            walk(&path, exts, out)?;
        } else if exts.iter().any(|x| name.to_lowercase().ends_with(x)) {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads raw bytes of a path, or all of stdin for `-`.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        return Ok(buf);
    }
    fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// SHA-256 of bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A SHA-256 computed on a thread of its own while the run goes on: hashing a large input is
/// sequential (about 1.2 GB/s here), so it is overlapped with parsing and writing instead of
/// coming first. Used when the manifest shows the file cannot be one already ingested.
pub struct PendingSha(std::thread::JoinHandle<String>);

impl PendingSha {
    /// Starts hashing the bytes that `bytes` gives.
    pub fn start<B: AsRef<[u8]> + Send + 'static>(bytes: B) -> PendingSha {
        PendingSha(std::thread::spawn(move || sha256_hex(bytes.as_ref())))
    }

    /// The hex digest, once computed.
    pub fn wait(self) -> String {
        self.0
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// A file's SHA-256 for the manifest (hex): known, or being computed beside the run.
#[derive(Debug)]
pub enum FileHash {
    /// Computed when the file was read.
    Known(String),
    /// Being computed on a thread of its own.
    Pending(PendingSha),
}

impl FileHash {
    /// The digest of a mapped file: computed beside the run when `defer(size)` says so (the
    /// caller knows the file is new), else now.
    fn of_map(map: &SharedMap, defer: impl FnOnce(u64) -> bool) -> FileHash {
        if defer(map.0.len() as u64) {
            FileHash::Pending(PendingSha::start(map.clone()))
        } else {
            FileHash::Known(sha256_hex(map.as_ref()))
        }
    }

    /// The digest when it is already known.
    pub fn known(&self) -> Option<&str> {
        match self {
            FileHash::Known(sha) => Some(sha),
            FileHash::Pending(_) => None,
        }
    }

    /// The digest, waiting for it when it is being computed.
    pub fn wait(self) -> String {
        match self {
            FileHash::Known(sha) => sha,
            FileHash::Pending(pending) => pending.wait(),
        }
    }
}

impl std::fmt::Debug for PendingSha {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PendingSha")
    }
}

/// Cuts `bytes` into pieces of at least `piece` bytes that end after a `\n` (the last one at the
/// end): the piece bounds, from 0 to `bytes.len()`. For reading a large file in parallel.
pub fn pieces_at_line_ends(bytes: &[u8], piece: usize) -> Vec<(usize, usize)> {
    let mut cuts = vec![0];
    let mut at = piece;
    while at < bytes.len() {
        match memchr::memchr(b'\n', &bytes[at..]) {
            Some(i) => {
                cuts.push(at + i + 1);
                at += i + 1 + piece;
            }
            None => break,
        }
    }
    if cuts.last() != Some(&bytes.len()) || bytes.is_empty() {
        cuts.push(bytes.len());
    }
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Whether bytes are UTF-8, checked in parallel pieces cut after line ends (a `\n` byte is never
/// inside a multi-byte character, so each piece is whole characters).
pub fn is_utf8(bytes: &[u8]) -> bool {
    use rayon::prelude::*;
    pieces_at_line_ends(bytes, 8 << 20)
        .par_iter()
        .all(|&(a, b)| simdutf8::basic::from_utf8(&bytes[a..b]).is_ok())
}

/// A read-only map of a file, shared with the thread that hashes it.
#[derive(Debug, Clone)]
pub struct SharedMap(Arc<memmap2::Mmap>);

impl AsRef<[u8]> for SharedMap {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Decodes UTF-8, replacing invalid sequences; returns the text and the replaced byte count.
///
/// A UTF-16 file (a byte-order mark `FF FE` or `FE FF`, as Windows tools save "Unicode" text) is
/// decoded as UTF-16; its unpaired surrogates count as replaced.
pub fn decode_lossy(bytes: Vec<u8>) -> (String, usize) {
    let utf16 = match bytes.get(..2) {
        Some([0xff, 0xfe]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xfe, 0xff]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(unit) = utf16 {
        let units = bytes[2..].chunks_exact(2).map(|c| unit([c[0], c[1]]));
        let mut replaced = bytes[2..].len() % 2;
        let text = char::decode_utf16(units)
            .map(|r| {
                r.unwrap_or_else(|_| {
                    replaced += 2;
                    char::REPLACEMENT_CHARACTER
                })
            })
            .collect();
        return (text, replaced);
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, 0),
        Err(e) => {
            let bytes = e.into_bytes();
            let replaced = bytes.utf8_chunks().map(|c| c.invalid().len()).sum();
            (String::from_utf8_lossy(&bytes).into_owned(), replaced)
        }
    }
}

/// The text of an input file: the file mapped into memory when it is valid UTF-8 as stored
/// (no copy, no zeroed pages), else a decoded copy.
#[derive(Debug, Clone)]
pub enum InputFileText {
    /// The file itself.
    Mapped(SharedMap),
    /// Gunzipped, read from stdin, or repaired UTF-8.
    Owned(String),
}

impl InputFileText {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            // Checked to be UTF-8 when mapped.
            // SAFETY: a map is only made a `Mapped` text after `is_utf8` accepted its bytes.
            // (Like `str::from_utf8`'s result, the text assumes nobody rewrites the file while
            // it is mapped; checking again here would only move that moment.)
            InputFileText::Mapped(m) => unsafe { std::str::from_utf8_unchecked(m.as_ref()) },
            InputFileText::Owned(s) => s,
        }
    }

    /// Says that the bytes of `range` in the text will not be read again soon: a mapped file's
    /// pages wholly inside it leave the process's resident memory (they stay in the page cache
    /// and come back from it, unchanged, if read again). Owned text is left as it is. A parser
    /// that copies what it keeps calls this behind its cursor, so that the file and the parse
    /// are not both resident at their full size.
    pub fn release(&self, range: std::ops::Range<usize>) {
        if let InputFileText::Mapped(m) = self {
            let start = range.start.div_ceil(RELEASE_PAGE) * RELEASE_PAGE;
            let end = range.end.min(m.0.len()) / RELEASE_PAGE * RELEASE_PAGE;
            if start < end {
                // SAFETY: the map is read-only and file-backed, so MADV_DONTNEED drops no data:
                // a later read of these pages gets the file's bytes again from the page cache.
                // A failure only leaves the pages resident.
                let _ = unsafe {
                    m.0.unchecked_advise_range(
                        memmap2::UncheckedAdvice::DontNeed,
                        start,
                        end - start,
                    )
                };
            }
        }
    }
}

/// Granularity of [`InputFileText::release`]: a multiple of every page size in use.
const RELEASE_PAGE: usize = 64 * 1024;

/// A text file as read by [`read_text_maybe_gz`].
#[derive(Debug)]
pub struct TextFile {
    /// The text.
    pub text: InputFileText,
    /// Bytes that were not valid UTF-8 and were replaced by U+FFFD.
    pub replaced_bytes: usize,
    /// SHA-256 of the bytes as stored.
    pub sha256: FileHash,
    /// Size of the file as stored.
    pub bytes: u64,
}

/// The file mapped into memory when it is a non-empty, valid UTF-8 file that does not start
/// with `magic` (a zip's or a gzip's); None otherwise (and for stdin).
fn map_text(path: &Path, magic: &[u8]) -> Result<Option<SharedMap>> {
    if path.as_os_str() == "-" {
        return Ok(None);
    }
    let file = fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let size = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size == 0 {
        return Ok(None);
    }
    // SAFETY: the map is read-only and lives while the text is used; an input changed by
    // another process meanwhile can only change what is read, which any reader risks.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok((!map.starts_with(magic) && is_utf8(&map)).then(|| SharedMap(Arc::new(map))))
}

/// Reads a text file (or stdin), gunzipping it when it is gzip (the gzip magic bytes); a plain
/// UTF-8 file is mapped, not copied, and hashed beside the run when `defer_hash(size)` says so
/// (see [`FileHash`]).
pub fn read_text_maybe_gz(path: &Path, defer_hash: impl FnOnce(u64) -> bool) -> Result<TextFile> {
    if let Some(map) = map_text(path, &[0x1f, 0x8b])? {
        return Ok(TextFile {
            bytes: map.0.len() as u64,
            sha256: FileHash::of_map(&map, defer_hash),
            text: InputFileText::Mapped(map),
            replaced_bytes: 0,
        });
    }
    let bytes = read_bytes(path)?;
    let sha256 = sha256_hex(&bytes);
    let size = bytes.len() as u64;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(bytes.len() * 4);
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .with_context(|| format!("{}: not a readable gzip file", path.display()))?;
        out
    } else {
        bytes
    };
    let (text, replaced_bytes) = decode_lossy(bytes);
    Ok(TextFile {
        text: InputFileText::Owned(text),
        replaced_bytes,
        sha256: FileHash::Known(sha256),
        bytes: size,
    })
}

/// Reads a chat export: a `.txt` (or stdin) as is, or the chat text inside a `.zip`
/// (`_chat.txt`, else `WhatsApp Chat…txt`, else the only `.txt`; media and `__MACOSX/` ignored).
///
/// A valid UTF-8 `.txt` is mapped, not copied, and hashed beside the run when `defer_hash(size)`
/// says so (see [`FileHash`]).
pub fn read_chat(path: &Path, defer_hash: impl FnOnce(u64) -> bool) -> Result<InputText> {
    let display = path.display().to_string();
    let named_zip = display.to_lowercase().ends_with(".zip");
    if !named_zip && let Some(map) = map_text(path, b"PK\x03\x04")? {
        return Ok(InputText {
            name_for_title: display.clone(),
            file: display,
            bytes: map.0.len() as u64,
            sha256: FileHash::of_map(&map, defer_hash),
            text: InputFileText::Mapped(map),
            replaced_bytes: 0,
        });
    }
    let bytes = read_bytes(path)?;
    let size = bytes.len() as u64;
    let is_zip = bytes.starts_with(b"PK\x03\x04") || named_zip;
    if !is_zip {
        // Not valid UTF-8 as stored (or stdin): hashed as stored, then decoded.
        let sha256 = FileHash::Known(sha256_hex(&bytes));
        let (text, replaced_bytes) = decode_lossy(bytes);
        return Ok(InputText {
            name_for_title: display.clone(),
            file: display,
            text: InputFileText::Owned(text),
            replaced_bytes,
            sha256,
            bytes: size,
        });
    }
    let sha256 = FileHash::Known(sha256_hex(&bytes));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .with_context(|| format!("{display}: not a readable zip archive"))?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let texts: Vec<&String> = names
        .iter()
        .filter(|n| {
            let base = n.rsplit('/').next().unwrap_or(n);
            n.to_lowercase().ends_with(".txt")
                && !n.starts_with("__MACOSX/")
                && !base.starts_with("._")
        })
        .collect();
    // A phone's export holds one chat; several are a hand-made zip whose chats would be
    // silently dropped.
    let chats: Vec<&&String> = texts
        .iter()
        .filter(|n| {
            let base = n.rsplit('/').next().unwrap_or(n);
            base == "_chat.txt" || base.contains("WhatsApp Chat")
        })
        .collect();
    if chats.len() > 1 {
        bail!(
            "{display}: the zip holds {} chats ({}); export or zip each chat on its own",
            chats.len(),
            chats
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let member = texts
        .iter()
        .find(|n| n.rsplit('/').next() == Some("_chat.txt"))
        .or_else(|| texts.iter().find(|n| n.contains("WhatsApp")))
        .or_else(|| {
            if texts.len() == 1 {
                texts.first()
            } else {
                None
            }
        })
        .map(|s| s.to_string());
    let Some(member) = member else {
        bail!(
            "{display}: not a WhatsApp export: the zip holds no _chat.txt (found {} .txt files)",
            texts.len()
        );
    };
    let mut raw = Vec::new();
    archive
        .by_name(&member)
        .with_context(|| format!("{display}: cannot open {member}"))?
        .read_to_end(&mut raw)
        .with_context(|| format!("{display}: cannot unpack {member}"))?;
    let (text, replaced_bytes) = decode_lossy(raw);
    let name_for_title = if member.ends_with("_chat.txt") {
        display.clone()
    } else {
        member.clone()
    };
    Ok(InputText {
        file: format!("{display}!{member}"),
        name_for_title,
        text: InputFileText::Owned(text),
        replaced_bytes,
        sha256,
        bytes: size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_mapped_export_released_behind_the_parse_parses_as_a_copy_does() {
        use crate::sources::whatsapp_txt::{ParseOptions, parse_export, parse_export_releasing};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("WhatsApp Chat with Ana.txt");
        let mut f = fs::File::create(&path).unwrap();
        for n in 0..200_000 {
            writeln!(f, "25/2/21, 10:{:02} - Ana: mensagem {n}", n % 60).unwrap();
        }
        drop(f);
        let input = read_chat(&path, |_| false).unwrap();
        assert!(matches!(input.text, InputFileText::Mapped(_)));
        let copy = input.text.as_str().to_string();
        let released = std::sync::atomic::AtomicUsize::new(0);
        let parsed = parse_export_releasing(input.text.as_str(), &ParseOptions::default(), &|r| {
            released.fetch_add(r.len(), std::sync::atomic::Ordering::Relaxed);
            input.text.release(r);
        })
        .unwrap();
        assert!(released.into_inner() > 0);
        // The released pages read back as the file's bytes.
        assert_eq!(input.text.as_str(), copy);
        assert_eq!(
            parsed.messages,
            parse_export(&copy, &ParseOptions::default())
                .unwrap()
                .messages
        );
        assert_eq!(parsed.messages.len(), 200_000);
    }

    #[test]
    fn lossy_decoding_counts_replaced_bytes() {
        let (s, n) = decode_lossy(b"ol\xe1 \xff\xfe!".to_vec());
        assert_eq!(n, 3);
        assert_eq!(s, "ol\u{fffd} \u{fffd}\u{fffd}!");
        assert_eq!(
            decode_lossy("olá".as_bytes().to_vec()),
            ("olá".to_string(), 0)
        );
    }

    #[test]
    fn a_chat_is_hashed_beside_the_run_only_when_the_text_is_the_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let good = tmp.path().join("good.txt");
        fs::write(&good, "24/11/2026 14:32 - Ana: oi\n").unwrap();
        let mut asked = None;
        let input = read_chat(&good, |size| {
            asked = Some(size);
            true
        })
        .unwrap();
        assert_eq!(asked, Some(27));
        assert_eq!((input.sha256.known(), input.bytes), (None, 27));
        assert_eq!(
            input.sha256.wait(),
            sha256_hex(&fs::read(&good).unwrap()),
            "the hash computed beside the run is the file's"
        );
        let input = read_chat(&good, |_| false).unwrap();
        assert_eq!(
            input.sha256.known(),
            Some(sha256_hex(input.text.as_str().as_bytes()).as_str())
        );
        // Repaired text is not the file's bytes: hashed here, from the bytes.
        let bad = tmp.path().join("bad.txt");
        fs::write(&bad, b"24/11/2026 14:32 - Ana: ol\xe1\n").unwrap();
        let input = read_chat(&bad, |_| true).unwrap();
        assert_eq!(input.replaced_bytes, 1);
        assert_eq!(
            input.sha256.known(),
            Some(sha256_hex(&fs::read(&bad).unwrap()).as_str())
        );
    }

    #[test]
    fn pieces_end_after_line_ends_and_cover_the_bytes() {
        assert_eq!(pieces_at_line_ends(b"", 4), [(0, 0)]);
        assert_eq!(pieces_at_line_ends(b"ab\ncd", 4), [(0, 5)]);
        // At least 4 bytes, then to the next line end; a final line end closes the last piece.
        assert_eq!(
            pieces_at_line_ends(b"a\nbcdef\ng\nhijk\n", 4),
            [(0, 8), (8, 15)]
        );
        assert_eq!(pieces_at_line_ends(b"abcdefgh", 4), [(0, 8)]);
    }

    #[test]
    fn utf8_is_checked_in_pieces_like_at_once() {
        // A multi-byte character where a fixed 8 MB cut would split it, and a bad byte late on.
        let mut text = "a".repeat((8 << 20) - 1).into_bytes();
        text.extend("é\nçã\n".as_bytes());
        text.extend("x\n".repeat(5 << 20).into_bytes());
        assert!(is_utf8(&text));
        assert!(is_utf8(b""));
        let n = text.len();
        text[n - 3] = 0xC3;
        assert!(!is_utf8(&text));
        assert!(!is_utf8(b"\xff"));
    }

    #[test]
    fn zip_picks_chat_txt_not_macosx() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("WhatsApp Chat - Ana.zip");
        let mut zw = zip::ZipWriter::new(fs::File::create(&path).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        zw.start_file("__MACOSX/._chat.txt", opts).unwrap();
        zw.write_all(b"\x00\x05junk").unwrap();
        zw.start_file("00000001-PHOTO.jpg", opts).unwrap();
        zw.write_all(b"\xff\xd8").unwrap();
        zw.start_file("_chat.txt", opts).unwrap();
        zw.write_all(b"[24/11/2026, 14:32:05] Ana: oi\r\n").unwrap();
        zw.finish().unwrap();
        let input = read_chat(&path, |_| false).unwrap();
        assert!(
            input.file.ends_with("WhatsApp Chat - Ana.zip!_chat.txt"),
            "{}",
            input.file
        );
        assert!(input.name_for_title.ends_with("WhatsApp Chat - Ana.zip"));
        assert_eq!(input.text.as_str(), "[24/11/2026, 14:32:05] Ana: oi\r\n");
        assert_eq!(input.sha256.wait().len(), 64);
    }

    #[test]
    fn zip_without_chat_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x.zip");
        let mut zw = zip::ZipWriter::new(fs::File::create(&path).unwrap());
        zw.start_file("a.jpg", zip::write::SimpleFileOptions::default())
            .unwrap();
        zw.finish().unwrap();
        let err = read_chat(&path, |_| false).unwrap_err().to_string();
        assert!(
            err.contains("x.zip") && err.contains("no _chat.txt"),
            "{err}"
        );
    }

    #[test]
    fn folders_are_walked_sorted() {
        let tmp = tempfile::tempdir().unwrap();
        for n in ["b.txt", "a.zip", ".hidden.txt", "c.jpg"] {
            fs::write(tmp.path().join(n), "").unwrap();
        }
        fs::create_dir(tmp.path().join("__MACOSX")).unwrap();
        fs::write(tmp.path().join("__MACOSX/z.txt"), "").unwrap();
        let files = expand(&[tmp.path().to_path_buf()], &[".txt", ".zip"]).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.zip", "b.txt"]);
        assert!(expand(&[tmp.path().join("nope")], &[".txt"]).is_err());
    }
}
