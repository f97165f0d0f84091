//! The store's Parquet tables and the polars work on them (merge, dedupe, sort, summaries).

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use polars::prelude::*;
use rayon::prelude::*;

use super::messages;
use crate::model::{IdMap, Message, Order};
use crate::normalize::identity::{IdentityLink, IdentityMap};

/// Columns of `messages.parquet`, in order (SPEC §4).
pub const MESSAGE_COLUMNS: [&str; 17] = [
    "message_id",
    "person",
    "ts",
    "precision_s",
    "direction",
    "class",
    "kind",
    "author",
    "agent",
    "text",
    "source",
    "ctwa_clid",
    "delivery",
    "error_code",
    "file",
    "line",
    "stages",
];

/// Places of the columns in [`MESSAGE_COLUMNS`] (and in every messages file), by name.
mod column {
    pub const MESSAGE_ID: usize = 0;
    pub const PERSON: usize = 1;
    pub const TS: usize = 2;
    pub const PRECISION_S: usize = 3;
    pub const DIRECTION: usize = 4;
    pub const CLASS: usize = 5;
    pub const KIND: usize = 6;
    pub const AUTHOR: usize = 7;
    pub const AGENT: usize = 8;
    pub const TEXT: usize = 9;
    pub const SOURCE: usize = 10;
    pub const CTWA_CLID: usize = 11;
    pub const DELIVERY: usize = 12;
    pub const ERROR_CODE: usize = 13;
    pub const FILE: usize = 14;
    pub const LINE: usize = 15;
    pub const STAGES: usize = 16;
}

/// Rows per row group when messages are written from messages ([`write_rows`]).
/// Each group's frame and its encoding are alive at once: on a 1 M-line export, 128 K rows took
/// 45 MB more peak than 64 K, and 0.03 s longer; 32 K saved 20 MB more but grew the file 4 %.
const ROW_GROUP_ROWS: usize = 64 * 1024;

/// Every message of the batches, in the store's order: (person, ts, file, line). Rows already in
/// that order are kept; batches of one person each are sorted alone ([`sorted_by_batch`]); any
/// other shape is sorted by ranked keys ([`sorted_by_rank`]).
pub(crate) fn sorted_rows(batches: &[Vec<Message>]) -> Vec<&Message> {
    let order: Vec<&Message> = batches.iter().flatten().collect();
    // One chat export is already in this order but for clock changes and edits: check first.
    let in_order = |a: &&Message, b: &&Message| {
        (&*a.person, a.ts_ms, &*a.file, a.line) <= (&*b.person, b.ts_ms, &*b.file, b.line)
    };
    if order.is_sorted_by(in_order) {
        return order;
    }
    match sorted_by_batch(batches) {
        Some(sorted) => sorted,
        None => sorted_by_rank(order),
    }
}

/// The store's order of any rows. Persons and files are ranked once (a few thousand distinct
/// strings) and the messages sorted by integer keys: Cloud API logs interleave a hundred thousand
/// persons, and comparing their `tel:+55…` keys byte by byte made the sort the slowest step of an
/// ingest.
fn sorted_by_rank(mut order: Vec<&Message>) -> Vec<&Message> {
    let rank = |name: fn(&Message) -> &str| -> HashMap<&str, u32> {
        let mut distinct: Vec<&str> = order.iter().map(|m| name(m)).collect();
        distinct.par_sort_unstable();
        distinct.dedup();
        distinct
            .into_iter()
            .enumerate()
            .map(|(i, s)| (s, i as u32))
            .collect()
    };
    let persons = rank(|m| &m.person);
    let files = rank(|m| &m.file);
    // (person rank, ts, file rank, line)
    type Key = (u32, i64, u32, u32);
    let mut keyed: Vec<(Key, &Message)> = order
        .par_iter()
        .map(|m| ((persons[&*m.person], m.ts_ms, files[&*m.file], m.line), *m))
        .collect();
    // Stable: messages that share a line (a batched webhook) keep their file order.
    keyed.par_sort_by_key(|(k, _)| *k);
    order.clear();
    order.extend(keyed.into_iter().map(|(_, m)| m));
    order
}

/// The store's order when each batch is one person and no two batches share one (chat exports,
/// after dedupe gave each batch one person): each batch is sorted alone by (ts, file, line), with
/// cheap comparisons (one person; a file is mostly one `Arc`), and the batches are laid out by
/// person. None for any other shape (Cloud API logs interleave persons).
fn sorted_by_batch(batches: &[Vec<Message>]) -> Option<Vec<&Message>> {
    let mut per: Vec<(&str, &[Message])> = batches
        .iter()
        .filter(|b| !b.is_empty())
        .map(|b| {
            let person = &b[0].person;
            b.iter()
                .all(|m| Arc::ptr_eq(&m.person, person))
                .then_some((&**person, b.as_slice()))
        })
        .collect::<Option<_>>()?;
    per.sort_by(|a, b| a.0.cmp(b.0));
    if per.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    let same_file = |a: &Message, b: &Message| {
        if Arc::ptr_eq(&a.file, &b.file) {
            std::cmp::Ordering::Equal
        } else {
            a.file.cmp(&b.file)
        }
    };
    // The batches laid out by person in one Vec, then each one's stretch sorted in place.
    let mut order: Vec<&Message> =
        Vec::with_capacity(per.iter().map(|(_, batch)| batch.len()).sum());
    per.iter().for_each(|(_, batch)| order.extend(batch.iter()));
    let mut stretches: Vec<&mut [&Message]> = Vec::with_capacity(per.len());
    let mut rest = order.as_mut_slice();
    for (_, batch) in &per {
        let (stretch, tail) = rest.split_at_mut(batch.len());
        stretches.push(stretch);
        rest = tail;
    }
    // In place (no merge buffer the size of the batch). Rows of a batch lie in one slice, so
    // their addresses are their order: the last key makes this the stable sort.
    stretches.into_par_iter().for_each(|rows| {
        rows.par_sort_unstable_by(|a, b| {
            a.ts_ms
                .cmp(&b.ts_ms)
                .then_with(|| same_file(a, b))
                .then(a.line.cmp(&b.line))
                .then_with(|| std::ptr::from_ref(*a).cmp(&std::ptr::from_ref(*b)))
        })
    });
    Some(order)
}

/// Builds the messages frame from batches of normalised messages, sorted by
/// (person, ts, file, line). Columns are built in parallel.
pub fn messages_frame(batches: &[Vec<Message>]) -> Result<DataFrame> {
    rows_frame(&sorted_rows(batches))
}

/// Writes messages as `messages.parquet` (LZ4), sorted by (person, ts, file, line), one row
/// group at a time, so that the whole frame never exists at once. Returns the rows written.
/// For tests: an ingest writes through `store::messages`, which also cuts month partitions.
#[cfg(test)]
pub(crate) fn write_messages(batches: &[Vec<Message>], out: &mut File) -> Result<u64> {
    let order = sorted_rows(batches);
    write_rows(&order, out)?;
    Ok(order.len() as u64)
}

/// Writes `rows`, in that order, as a messages Parquet file (LZ4), one row group at a time.
/// Each column of a group is built, encoded and compressed as one task, all in parallel, and
/// dropped once its pages exist: polars' own batched writer needs the whole group's frame first,
/// and compresses the encoded pages one column after the other while it writes them.
pub(crate) fn write_rows(order: &[&Message], out: &mut File) -> Result<()> {
    use polars_parquet::write::{
        CompressedPage, CompressionOptions, Version, WriteOptions, array_to_columns, compress,
    };
    let schema = rows_frame(&[])?.schema().clone();
    let file_for_writeback = WritebackHandle::of(out);
    let mut writer = ParquetWriter::new(out)
        .with_compression(ParquetCompression::Lz4Raw)
        .batched(&schema)?;
    let arrow_schema = schema.to_arrow(CompatLevel::newest());
    let encodings = get_encodings(&arrow_schema);
    let fields = writer.parquet_schema().fields().to_vec();
    // As polars' writer sets them for LZ4 and default statistics.
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        compression: CompressionOptions::Lz4Raw,
        version: Version::V1,
        data_page_size: None,
    };
    // `without_extra`: no row of the group has an agent, stages or Cloud API metadata.
    let encode = |rows: &[&Message], without_extra: bool, i: usize| {
        let array = if without_extra && is_extra_column(i) {
            let field = arrow_schema.get_at_index(i).expect("a field a column").1;
            polars_arrow::array::new_null_array(field.dtype().clone(), rows.len())
        } else if let Some(dictionary) = few_valued_column(rows, i) {
            dictionary
        } else {
            message_column(rows, i)
                .as_materialized_series()
                .to_arrow(0, CompatLevel::newest())
        };
        // Ids are distinct: past 128 rows polars' writer always finds them too many for a
        // dictionary, after estimating their count; plain from the start writes the same pages.
        let plain = [polars_parquet::write::Encoding::Plain];
        let encoding = if i == column::MESSAGE_ID && rows.len() > 128 {
            &plain[..]
        } else {
            &encodings[i][..]
        };
        let mut pages = Vec::new();
        for column in array_to_columns(&array, fields[i].clone(), options, encoding)? {
            for page in column {
                pages.push(compress(page?, Vec::new(), options.compression)?);
            }
        }
        Ok::<_, anyhow::Error>(pages)
    };
    for rows in order.chunks(ROW_GROUP_ROWS) {
        let without_extra = rows.iter().all(|m| m.extra.is_none());
        let pages: Vec<Vec<CompressedPage>> = (0..MESSAGE_COLUMNS.len())
            .into_par_iter()
            .map(|i| encode(rows, without_extra, i))
            .collect::<Result<_>>()?;
        writer.write_row_group(rows.len() as u64, &pages)?;
        file_for_writeback.start();
    }
    writer.finish()?;
    Ok(())
}

/// Column `i` of [`MESSAGE_COLUMNS`] for `rows` as a dictionary array, for the string columns
/// with a few values per row group (person, direction, class, kind, author, file); None for the
/// other columns, or when the values are not few. polars' writer would otherwise copy each row's
/// string and hash it to build the same dictionary: the values are numbered in order of first
/// appearance, as it numbers them, and the same rule (more than 3 distinct values in 4) makes a
/// column plain instead, so the file is the same.
fn few_valued_column(rows: &[&Message], i: usize) -> Option<ArrayRef> {
    use column::*;
    let few = matches!(i, PERSON | DIRECTION | CLASS | KIND | AUTHOR | FILE);
    let value = string_value(i).filter(|_| few)?;
    dictionary_array(rows.iter().map(|m| value(m)), rows.len())
}

/// Whether column `i` holds what only some messages have (agent, Cloud API metadata, stages):
/// null in every row without [`Message::extra`].
fn is_extra_column(i: usize) -> bool {
    use column::*;
    matches!(
        i,
        AGENT | SOURCE | CTWA_CLID | DELIVERY | ERROR_CODE | STAGES
    )
}

/// How to read string column `i` of [`MESSAGE_COLUMNS`] from a message; None for the other
/// columns (`message_id` is made from the 64-bit id).
fn string_value(i: usize) -> Option<fn(&Message) -> Option<&str>> {
    use column::*;
    Some(match i {
        PERSON => |m| Some(&m.person),
        DIRECTION => |m| Some(m.direction.as_str()),
        CLASS => |m| Some(m.class.as_str()),
        KIND => |m| Some(m.kind.as_str()),
        AUTHOR => |m| m.author.as_deref(),
        AGENT => Message::agent,
        TEXT => |m| m.text.as_deref(),
        SOURCE => |m| m.cloud()?.source.as_deref(),
        CTWA_CLID => |m| m.cloud()?.ctwa_clid.as_deref(),
        DELIVERY => |m| m.cloud()?.delivery.as_deref(),
        FILE => |m| Some(&m.file),
        STAGES => Message::stages,
        _ => return None,
    })
}

/// A dictionary array of `values` (`len` of them); None when more than 3 in 4 are distinct.
/// A value at the address of the row before's or of one of the first few values (shared
/// `Arc`s, `&'static str`s) is numbered without hashing.
fn dictionary_array<'a>(
    values: impl Iterator<Item = Option<&'a str>>,
    len: usize,
) -> Option<ArrayRef> {
    use polars_arrow::array::{DictionaryArray, PrimitiveArray, Utf8ViewArray};
    use polars_arrow::bitmap::MutableBitmap;
    let mut distinct: Vec<&str> = Vec::new();
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let mut keys: Vec<u32> = Vec::with_capacity(len);
    let mut validity: Option<MutableBitmap> = None;
    let mut last: Option<(&str, u32)> = None;
    for (row, v) in values.enumerate() {
        let Some(v) = v else {
            validity
                .get_or_insert_with(|| {
                    let mut b = MutableBitmap::with_capacity(len);
                    b.extend_constant(row, true);
                    b
                })
                .push(false);
            keys.push(0);
            continue;
        };
        let key = match last {
            Some((s, k)) if std::ptr::eq(s, v) => k,
            _ => match distinct.iter().take(8).position(|d| std::ptr::eq(*d, v)) {
                Some(k) => k as u32,
                None => *numbers.entry(v).or_insert_with(|| {
                    distinct.push(v);
                    distinct.len() as u32 - 1
                }),
            },
        };
        last = Some((v, key));
        keys.push(key);
        if let Some(b) = validity.as_mut() {
            b.push(true);
        }
    }
    if len > 128 && distinct.len() * 4 > len * 3 {
        return None;
    }
    let keys = PrimitiveArray::from_vec(keys).with_validity(validity.map(Into::into));
    let values = Utf8ViewArray::from_slice_values(&distinct);
    let array = DictionaryArray::try_from_keys(keys, Box::new(values), false)
        .expect("every key numbers a distinct value");
    Some(Box::new(array))
}

/// A written file whose pages can be sent on their way to the disk before it is fsynced.
struct WritebackHandle(#[cfg_attr(not(target_os = "linux"), allow(dead_code))] i32);

impl WritebackHandle {
    fn of(file: &File) -> WritebackHandle {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            WritebackHandle(file.as_raw_fd())
        }
        #[cfg(not(unix))]
        {
            let _ = file;
            WritebackHandle(-1)
        }
    }

    /// Starts writing the file's dirty pages to the disk without waiting for them (Linux
    /// `sync_file_range(SYNC_FILE_RANGE_WRITE)`; elsewhere nothing). The fsync at the commit
    /// is what makes the file durable; this only leaves it less to do.
    fn start(&self) {
        #[cfg(target_os = "linux")]
        // SAFETY: the descriptor belongs to a file the caller holds open for the whole write;
        // the call reads no memory of ours, and its failure only leaves the work to the fsync.
        unsafe {
            libc::sync_file_range(self.0, 0, 0, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
}

/// The messages frame of `rows`, in that order. Columns are built in parallel.
fn rows_frame(rows: &[&Message]) -> Result<DataFrame> {
    let columns: Vec<Column> = (0..MESSAGE_COLUMNS.len())
        .into_par_iter()
        .map(|i| message_column(rows, i))
        .collect();
    Ok(DataFrame::new(rows.len(), columns)?)
}

/// Column `i` of [`MESSAGE_COLUMNS`] for `rows`, in that order.
fn message_column(rows: &[&Message], i: usize) -> Column {
    let height = rows.len();
    let all = || rows.iter().copied();
    if let Some(value) = string_value(i) {
        let mut b = StringChunkedBuilder::new(MESSAGE_COLUMNS[i].into(), height);
        all().for_each(|m| b.append_option(value(m)));
        return b.finish().into_column();
    }
    match i {
        column::MESSAGE_ID => hex_ids(all(), height).into_column(),
        column::TS => Int64Chunked::from_vec("ts".into(), all().map(|m| m.ts_ms).collect())
            .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
            .into_column(),
        column::PRECISION_S => Column::new(
            "precision_s".into(),
            all().map(|m| m.precision_s).collect::<Vec<i32>>(),
        ),
        column::ERROR_CODE => Column::new(
            "error_code".into(),
            all()
                .map(|m| m.cloud().and_then(|c| c.error_code))
                .collect::<Vec<Option<i32>>>(),
        ),
        column::LINE => Column::new("line".into(), all().map(|m| m.line).collect::<Vec<u32>>()),
        _ => unreachable!("column {i} of {}", MESSAGE_COLUMNS.len()),
    }
}

/// The `message_id` column: each 64-bit id as 16 lower-case hex digits.
fn hex_ids<'a>(msgs: impl Iterator<Item = &'a Message>, height: usize) -> StringChunked {
    let mut b = StringChunkedBuilder::new("message_id".into(), height);
    let mut buf = [0u8; 16];
    for m in msgs {
        hex::encode_to_slice(m.message_id.to_be_bytes(), &mut buf).expect("16 bytes for 8");
        b.append_value(std::str::from_utf8(&buf).expect("hex is ASCII"));
    }
    b.finish()
}

/// Reads a whole Parquet table.
pub fn read_table(path: &Path) -> Result<DataFrame> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    ParquetReader::new(file)
        .finish()
        .map_err(anyhow::Error::from)
        .with_context(|| format!("{} is not a readable Parquet table", path.display()))
}

/// Writes a frame as Parquet (LZ4).
pub fn write_table(df: &mut DataFrame, out: &mut File) -> Result<()> {
    // LZ4: about 40% faster to write than zstd here, for a store about 1.7x larger.
    ParquetWriter::new(out)
        .with_compression(ParquetCompression::Lz4Raw)
        .finish(df)?;
    Ok(())
}

/// What deduplication needs of the stored messages of some persons.
#[derive(Debug, Default)]
pub struct StoredIds {
    /// Their ids (distinct: the store holds each message once).
    pub ids: Vec<u64>,
    /// With month partitions: the month each id is stored in (the month of its `ts`), so that
    /// the partitions of stored rows a run updates are known without another read.
    pub months: IdMap<messages::Month>,
}

/// The ids of the stored messages of some persons only (only `person`, `message_id` and, with
/// `with_months`, `ts` are read), for deduplication: a message's stored copy is under a key of
/// its person. Files sorted by person let the scan skip the row groups of everyone else.
pub fn stored_ids_of(files: &[PathBuf], persons: &[&str], with_months: bool) -> Result<StoredIds> {
    if files.is_empty() || persons.is_empty() {
        return Ok(StoredIds::default());
    }
    let keys = Series::new("person".into(), persons);
    let mut columns = vec![col("message_id")];
    if with_months {
        columns.push(
            col("ts")
                .dt()
                .timestamp(TimeUnit::Milliseconds)
                .alias("ts_ms"),
        );
    }
    let df = messages::scan(files)?
        .filter(col("person").is_in(lit(keys).implode(false), false))
        .select(columns)
        .collect()
        .map_err(anyhow::Error::from)
        .with_context(|| {
            format!(
                "{} is not a readable Parquet table",
                messages::describe(files)
            )
        })?;
    // One pass: each hex id is parsed once, for the ids and (with months) their months.
    let hex = df.column("message_id")?.str()?;
    let mut ts = if with_months {
        Some(df.column("ts_ms")?.i64()?.iter())
    } else {
        None
    };
    let mut ids = Vec::with_capacity(hex.len());
    let mut months = IdMap::default();
    for h in hex.iter() {
        let t = ts.as_mut().and_then(Iterator::next).flatten();
        let Some(id) = h.and_then(|h| u64::from_str_radix(h, 16).ok()) else {
            continue;
        };
        ids.push(id);
        if let Some(t) = t {
            months.insert(id, messages::month_of(t));
        }
    }
    Ok(StoredIds { ids, months })
}

/// Adds the columns a store written by an earlier version lacks (`stages`), as nulls.
pub fn upgrade_messages(df: &mut DataFrame) -> Result<()> {
    if df.column("stages").is_err() {
        let nulls = Series::full_null("stages".into(), df.height(), &DataType::String);
        df.with_column(nulls.into_column())?;
    }
    Ok(())
}

/// Removes the rows whose `person` is in `persons`; returns how many were removed.
pub fn drop_persons(
    df: &mut DataFrame,
    persons: &std::collections::HashSet<String>,
) -> Result<usize> {
    let keep: BooleanChunked = df
        .column("person")?
        .str()?
        .iter()
        .map(|p| Some(!p.is_some_and(|p| persons.contains(p))))
        .collect();
    let removed = keep.iter().filter(|k| *k == Some(false)).count();
    if removed > 0 {
        *df = df.filter(&keep)?;
    }
    Ok(removed)
}

/// Later statuses of a business send already in the store (Cloud API logs rotate daily, so a
/// message's `read` often arrives in the next file).
#[derive(Debug, Clone, PartialEq)]
pub struct SendUpdate {
    /// The send time this run saw (first `sent`, else the earliest status).
    pub ts_ms: i64,
    /// The furthest delivery this run saw.
    pub delivery: String,
    /// The error code of a failure.
    pub error_code: Option<i32>,
    /// The agent from the callback data.
    pub agent: Option<String>,
}

fn delivery_rank(d: Option<&str>) -> u8 {
    match d {
        Some("sent") => 1,
        Some("delivered") => 2,
        Some("read") => 3,
        Some("failed") => 4,
        _ => 0,
    }
}

/// Folds `updates` into the stored rows with those ids: the earlier send time, the furthest
/// delivery, the first error code and agent known. Returns how many rows changed. The caller
/// re-sorts (a send time may move earlier).
pub fn apply_send_updates(df: &mut DataFrame, updates: &IdMap<SendUpdate>) -> Result<usize> {
    if updates.is_empty() {
        return Ok(0);
    }
    let ids = df.column("message_id")?.str()?.clone();
    let ts = df.column("ts")?.cast(&DataType::Int64)?.i64()?.clone();
    let delivery = df.column("delivery")?.str()?.clone();
    let error = df.column("error_code")?.cast(&DataType::Int32)?;
    let error = error.i32()?.clone();
    let agent = df.column("agent")?.str()?.clone();
    let mut changed = 0usize;
    let height = df.height();
    let mut new_ts = Vec::with_capacity(height);
    let mut new_delivery = StringChunkedBuilder::new("delivery".into(), height);
    let mut new_error: Vec<Option<i32>> = Vec::with_capacity(height);
    let mut new_agent = StringChunkedBuilder::new("agent".into(), height);
    for i in 0..height {
        let (t, d, e, a) = (ts.get(i), delivery.get(i), error.get(i), agent.get(i));
        let update = ids
            .get(i)
            .and_then(|h| u64::from_str_radix(h, 16).ok())
            .and_then(|id| updates.get(&id));
        match update {
            Some(u) => {
                changed += 1;
                new_ts.push(Some(t.map_or(u.ts_ms, |t| t.min(u.ts_ms))));
                let d = if delivery_rank(Some(&u.delivery)) > delivery_rank(d) {
                    Some(u.delivery.as_str())
                } else {
                    d
                };
                new_delivery.append_option(d);
                new_error.push(if d == Some("failed") {
                    e.or(u.error_code)
                } else {
                    e
                });
                new_agent.append_option(a.or(u.agent.as_deref()));
            }
            None => {
                new_ts.push(t);
                new_delivery.append_option(d);
                new_error.push(e);
                new_agent.append_option(a);
            }
        }
    }
    if changed > 0 {
        let ts = Int64Chunked::from_iter_options("ts".into(), new_ts.into_iter())
            .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC));
        df.replace("ts", ts.into_column())?;
        df.replace("delivery", new_delivery.finish().into_column())?;
        df.replace("error_code", Column::new("error_code".into(), new_error))?;
        df.replace("agent", new_agent.finish().into_column())?;
    }
    Ok(changed)
}

/// Rewrites `person` through `resolve` (identity merges made after the rows were stored).
pub fn remap_persons(df: &mut DataFrame, resolve: &HashMap<String, String>) -> Result<usize> {
    let persons = df.column("person")?.str()?;
    let mut changed = 0usize;
    let mapped: StringChunked = persons
        .iter()
        .map(|p| {
            p.map(|p| match resolve.get(p) {
                Some(to) if to != p => {
                    changed += 1;
                    to.as_str()
                }
                _ => p,
            })
        })
        .collect();
    if changed > 0 {
        df.replace("person", mapped.with_name("person".into()).into_column())?;
    }
    Ok(changed)
}

/// Appends `new` (sorted, from [`messages_frame`]) to `existing` and sorts by
/// (person, ts, file, line): the order every report relies on, so that no report sorts the
/// whole table again.
pub fn merge_messages(existing: Option<DataFrame>, new: DataFrame) -> Result<DataFrame> {
    let all = match existing {
        Some(mut old) if old.height() > 0 => {
            old.vstack_mut_owned(new)?;
            old
        }
        _ => return Ok(new),
    };
    let mut sorted = all.sort(
        ["person", "ts", "file", "line"],
        SortMultipleOptions::default().with_maintain_order(true),
    )?;
    sorted.rechunk_mut_par();
    Ok(sorted)
}

/// Columns of `orders.parquet`, in order (SPEC §4).
pub const ORDER_COLUMNS: [&str; 14] = [
    "order_id",
    "person",
    "created_at",
    "paid_at",
    "cancelled_at",
    "status",
    "currency",
    "total_minor",
    "refunded_minor",
    "email",
    "phone",
    "coupon",
    "file",
    "line",
];

/// Builds the orders frame, sorted by (person, created_at, order_id); orders without a person last.
pub fn orders_frame(orders: &[Order]) -> Result<DataFrame> {
    let mut sorted: Vec<&Order> = orders.iter().collect();
    sorted.sort_by(|a, b| {
        (a.person.is_none(), &a.person, a.created_at_ms, &a.order_id).cmp(&(
            b.person.is_none(),
            &b.person,
            b.created_at_ms,
            &b.order_id,
        ))
    });
    let ms = |name: &str, f: fn(&Order) -> Option<i64>| -> Column {
        Int64Chunked::from_iter_options(name.into(), sorted.iter().map(|o| f(o)))
            .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
            .into_column()
    };
    let text = |name: &str, f: fn(&Order) -> Option<&str>| -> Column {
        Column::new(
            name.into(),
            sorted.iter().map(|o| f(o)).collect::<Vec<Option<&str>>>(),
        )
    };
    let columns = vec![
        text("order_id", |o| Some(&o.order_id)),
        text("person", |o| o.person.as_deref()),
        ms("created_at", |o| Some(o.created_at_ms)),
        ms("paid_at", |o| o.paid_at_ms),
        ms("cancelled_at", |o| o.cancelled_at_ms),
        text("status", |o| Some(&o.status)),
        text("currency", |o| Some(&o.currency)),
        Column::new(
            "total_minor".into(),
            sorted.iter().map(|o| o.total_minor).collect::<Vec<i64>>(),
        ),
        Column::new(
            "refunded_minor".into(),
            sorted
                .iter()
                .map(|o| o.refunded_minor)
                .collect::<Vec<i64>>(),
        ),
        text("email", |o| o.email.as_deref()),
        text("phone", |o| o.phone.as_deref()),
        text("coupon", |o| o.coupon.as_deref()),
        text("file", |o| Some(&o.file)),
        Column::new(
            "line".into(),
            sorted.iter().map(|o| o.line).collect::<Vec<u32>>(),
        ),
    ];
    Ok(DataFrame::new(sorted.len(), columns)?)
}

/// How many stored orders (`orders.parquet`, none when it does not exist) have one of
/// `persons`; only the `person` column is read.
pub fn orders_of_persons(path: &Path, persons: &[&str]) -> Result<u64> {
    if persons.is_empty() || !path.exists() {
        return Ok(0);
    }
    let keys = lit(Series::new("person".into(), persons)).implode(false);
    let df = LazyFrame::scan_parquet(
        PlRefPath::new(path.to_string_lossy().as_ref()),
        ScanArgsParquet::default(),
    )?
    .filter(col("person").is_in(keys, false))
    .select([len().alias("rows")])
    .collect()
    .map_err(anyhow::Error::from)
    .with_context(|| format!("cannot read {}", path.display()))?;
    let rows = df.column("rows")?.cast(&DataType::UInt64)?;
    Ok(rows.u64()?.get(0).unwrap_or(0))
}

/// Reads `orders.parquet` back into orders (empty when the file does not exist).
pub fn read_orders(path: &Path) -> Result<Vec<Order>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let df = read_table(path)?;
    let s = |n: &str| -> Result<&StringChunked> { Ok(df.column(n)?.str()?) };
    let t = |n: &str| -> Result<Int64Chunked> {
        Ok(df.column(n)?.cast(&DataType::Int64)?.i64()?.clone())
    };
    let (id, person, status, currency) =
        (s("order_id")?, s("person")?, s("status")?, s("currency")?);
    let (email, phone, coupon, file) = (s("email")?, s("phone")?, s("coupon")?, s("file")?);
    let (created, paid, cancelled) = (t("created_at")?, t("paid_at")?, t("cancelled_at")?);
    let (total, refunded) = (t("total_minor")?, t("refunded_minor")?);
    let line = df.column("line")?.cast(&DataType::UInt32)?;
    let line = line.u32()?;
    let own = |v: Option<&str>| v.map(str::to_string);
    Ok((0..df.height())
        .map(|i| Order {
            order_id: id.get(i).unwrap_or_default().to_string(),
            person: own(person.get(i)),
            created_at_ms: created.get(i).unwrap_or_default(),
            paid_at_ms: paid.get(i),
            cancelled_at_ms: cancelled.get(i),
            status: status.get(i).unwrap_or_default().to_string(),
            currency: currency.get(i).unwrap_or_default().to_string(),
            total_minor: total.get(i).unwrap_or_default(),
            refunded_minor: refunded.get(i).unwrap_or_default(),
            email: own(email.get(i)),
            phone: own(phone.get(i)),
            coupon: own(coupon.get(i)),
            file: file.get(i).unwrap_or_default().to_string(),
            line: line.get(i).unwrap_or_default(),
        })
        .collect())
}

/// How many stored orders have a person who has a conversation (a message other than a
/// system line) — the match rate's numerator — and how many orders there are.
pub fn order_match(message_files: &[PathBuf], orders: &Path) -> Result<(u64, u64)> {
    if !orders.exists() {
        return Ok((0, 0));
    }
    let scan = |path: &Path| {
        LazyFrame::scan_parquet(
            PlRefPath::new(path.to_string_lossy().as_ref()),
            ScanArgsParquet::default(),
        )
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot read {}", path.display()))
    };
    let persons: std::collections::HashSet<String> = if !message_files.is_empty() {
        let df = messages::scan(message_files)?
            .filter(col("class").neq(lit("system")))
            .select([col("person").unique()])
            .collect()
            .map_err(anyhow::Error::from)
            .with_context(|| format!("cannot read {}", messages::describe(message_files)))?;
        df.column("person")?
            .str()?
            .iter()
            .flatten()
            .map(str::to_string)
            .collect()
    } else {
        Default::default()
    };
    let df = scan(orders)?
        .select([col("person")])
        .collect()
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot read {}", orders.display()))?;
    let person = df.column("person")?.str()?;
    let matched = person
        .iter()
        .filter(|p| p.is_some_and(|p| persons.contains(p)))
        .count();
    Ok((matched as u64, df.height() as u64))
}

/// The identity links of `identities.parquet` as a map (empty when the file does not exist).
pub fn identity_map(path: &Path) -> Result<IdentityMap> {
    let links: Vec<IdentityLink> = read_identities(path)?
        .into_iter()
        .map(|(alias, person, source)| IdentityLink {
            alias,
            person,
            source: IdentityLink::source_from_str(&source).unwrap_or("export"),
        })
        .collect();
    // from_links keeps each stored person canonical (it links person-first).
    Ok(IdentityMap::from_links(&links))
}

/// Columns of `identities.parquet`.
pub const IDENTITY_COLUMNS: [&str; 3] = ["alias", "person", "source"];

/// Builds the identities frame.
pub fn identities_frame(links: &[IdentityLink]) -> Result<DataFrame> {
    let columns = vec![
        Column::new(
            "alias".into(),
            links.iter().map(|l| l.alias.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "person".into(),
            links.iter().map(|l| l.person.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "source".into(),
            links.iter().map(|l| l.source).collect::<Vec<_>>(),
        ),
    ];
    Ok(DataFrame::new(links.len(), columns)?)
}

/// Reads identity links as (alias, person, source) triples.
pub fn read_identities(path: &Path) -> Result<Vec<(String, String, String)>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let df = read_table(path)?;
    let (a, p, s) = (
        df.column("alias")?.str()?,
        df.column("person")?.str()?,
        df.column("source")?.str()?,
    );
    Ok(a.iter()
        .zip(p.iter())
        .zip(s.iter())
        .filter_map(|((a, p), s)| {
            Some((a?.to_string(), p?.to_string(), s.unwrap_or("").to_string()))
        })
        .collect())
}

/// Texts of the messages of one class (None where text was not kept), for re-deriving which
/// rule classified them.
pub fn texts_of_class(files: &[PathBuf], class: &str) -> Result<Vec<Option<String>>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let df = messages::scan(files)?
        .filter(col("class").eq(lit(class)))
        .select([col("text")])
        .collect()
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot read {}", messages::describe(files)))?;
    Ok(df
        .column("text")?
        .str()?
        .iter()
        .map(|t| t.map(str::to_string))
        .collect())
}

/// What `status` shows about the messages table.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct MessageSummary {
    /// Rows.
    pub rows: u64,
    /// Distinct persons.
    pub persons: u64,
    /// Earliest and latest message, ms since the epoch (UTC).
    pub first_ts_ms: Option<i64>,
    /// Latest message.
    pub last_ts_ms: Option<i64>,
    /// (class, kind, rows), sorted.
    pub by_class_kind: Vec<(String, String, u64)>,
    /// Business sends by delivery reached (`sent`, `delivered`, `read`, `failed`), sorted.
    pub by_delivery: Vec<(String, u64)>,
    /// Error codes of failed sends, most frequent first (at most 5).
    pub top_errors: Vec<(i64, u64)>,
}

/// Summarises the messages table reading only the columns it needs.
pub fn summarize_messages(files: &[PathBuf]) -> Result<MessageSummary> {
    if files.is_empty() {
        return Ok(MessageSummary::default());
    }
    let path = PathBuf::from(messages::describe(files));
    let lf = messages::scan(files)?;
    let totals = lf
        .clone()
        .select([
            len().alias("rows"),
            col("person").n_unique().alias("persons"),
            col("ts")
                .min()
                .dt()
                .timestamp(TimeUnit::Milliseconds)
                .alias("first"),
            col("ts")
                .max()
                .dt()
                .timestamp(TimeUnit::Milliseconds)
                .alias("last"),
        ])
        .collect()
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let groups = lf
        .clone()
        .group_by([col("class"), col("kind")])
        .agg([len().alias("rows")])
        .sort(["class", "kind"], SortMultipleOptions::default())
        .collect()?;
    let first_i64 = |name: &str| -> Result<Option<i64>> {
        Ok(totals.column(name)?.cast(&DataType::Int64)?.i64()?.get(0))
    };
    let (c, k) = (
        groups.column("class")?.str()?,
        groups.column("kind")?.str()?,
    );
    let n = groups.column("rows")?.cast(&DataType::UInt64)?;
    let by_class_kind = c
        .iter()
        .zip(k.iter())
        .zip(n.u64()?.iter())
        .map(|((c, k), n)| {
            (
                c.unwrap_or("").to_string(),
                k.unwrap_or("").to_string(),
                n.unwrap_or(0),
            )
        })
        .collect();
    let deliveries = lf
        .clone()
        .filter(col("delivery").is_not_null())
        .group_by([col("delivery")])
        .agg([len().alias("rows")])
        .sort(["delivery"], SortMultipleOptions::default())
        .collect()?;
    let n = deliveries.column("rows")?.cast(&DataType::UInt64)?;
    let by_delivery = deliveries
        .column("delivery")?
        .str()?
        .iter()
        .zip(n.u64()?.iter())
        .map(|(d, n)| (d.unwrap_or("").to_string(), n.unwrap_or(0)))
        .collect();
    let errors = lf
        .filter(col("error_code").is_not_null())
        .group_by([col("error_code")])
        .agg([len().alias("rows")])
        .sort(
            ["rows", "error_code"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .limit(5)
        .collect()?;
    let codes = errors.column("error_code")?.cast(&DataType::Int64)?;
    let n = errors.column("rows")?.cast(&DataType::UInt64)?;
    let top_errors = codes
        .i64()?
        .iter()
        .zip(n.u64()?.iter())
        .map(|(c, n)| (c.unwrap_or(0), n.unwrap_or(0)))
        .collect();
    Ok(MessageSummary {
        rows: first_i64("rows")?.unwrap_or(0) as u64,
        persons: first_i64("persons")?.unwrap_or(0) as u64,
        first_ts_ms: first_i64("first")?,
        last_ts_ms: first_i64("last")?,
        by_class_kind,
        by_delivery,
        top_errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, IdSet, Kind, MessageClass};

    #[test]
    fn column_places_name_their_columns() {
        use column::*;
        let named = [
            (MESSAGE_ID, "message_id"),
            (PERSON, "person"),
            (TS, "ts"),
            (PRECISION_S, "precision_s"),
            (DIRECTION, "direction"),
            (CLASS, "class"),
            (KIND, "kind"),
            (AUTHOR, "author"),
            (AGENT, "agent"),
            (TEXT, "text"),
            (SOURCE, "source"),
            (CTWA_CLID, "ctwa_clid"),
            (DELIVERY, "delivery"),
            (ERROR_CODE, "error_code"),
            (FILE, "file"),
            (LINE, "line"),
            (STAGES, "stages"),
        ];
        assert_eq!(named.len(), MESSAGE_COLUMNS.len());
        for (i, name) in named {
            assert_eq!(MESSAGE_COLUMNS[i], name);
        }
    }

    /// The 64-bit values of every `message_id` (16 hex digits) in a messages frame.
    fn message_ids(df: &DataFrame) -> Result<IdSet> {
        let ids = df.column("message_id")?.str()?;
        Ok(ids
            .iter()
            .flatten()
            .filter_map(|h| u64::from_str_radix(h, 16).ok())
            .collect())
    }

    #[test]
    fn messages_written_group_by_group_read_back_as_their_frame() {
        use crate::model::{CloudMeta, Extra};
        // Three row groups, the last one short; every column holds values and nulls.
        let n = 2 * ROW_GROUP_ROWS as u64 + 123;
        let rows: Vec<Message> = (0..n)
            .map(|i| {
                let mut m = msg(
                    i,
                    if i % 3 == 0 { "tel:+1" } else { "tel:+2" },
                    i as i64,
                    i as u32,
                );
                if i % 5 == 0 {
                    m.direction = Direction::Out;
                    m.class = MessageClass::OutboundTemplate;
                    m.author = None;
                    m.text = None;
                    m.extra = Extra::of(
                        Some("Ana".into()),
                        Some(CloudMeta {
                            source: Some("template:oi".into()),
                            ctwa_clid: Some(format!("c{i}")),
                            delivery: Some("read".into()),
                            error_code: Some(131_026),
                        }),
                    );
                    m.extra_mut().stages = Some("quote".into());
                }
                m
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("messages.parquet");
        let batches = [rows];
        let written = write_messages(&batches, &mut File::create(&path).unwrap()).unwrap();
        assert_eq!(written, n);
        let back = read_table(&path).unwrap();
        let expected = messages_frame(&batches).unwrap();
        assert_eq!(back.height() as u64, n);
        assert!(back.equals_missing(&expected), "{back}\n{expected}");
        let groups = polars::io::parquet::read::ParquetReader::new(File::open(&path).unwrap())
            .get_metadata()
            .unwrap()
            .row_groups
            .len();
        assert_eq!(groups, 3);
    }

    #[test]
    fn the_messages_writer_writes_what_polars_own_writer_writes() {
        // Row groups where persons are few (dictionary arrays made here) and where nearly every
        // row is another person (more than 3 in 4 distinct: plain, as polars decides).
        let n = ROW_GROUP_ROWS as u64 + 2_000;
        let rows: Vec<Message> = (0..n)
            .map(|i| {
                let person = if i < ROW_GROUP_ROWS as u64 {
                    format!("tel:+{}", i % 7)
                } else {
                    format!("tel:+{i}")
                };
                let mut m = msg(i, &person, i as i64, i as u32);
                if i % 3 == 0 {
                    m.author = None;
                    m.kind = Kind::Media;
                }
                m
            })
            .collect();
        let order: Vec<&Message> = rows.iter().collect();
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join("ours.parquet");
        write_rows(&order, &mut File::create(&ours).unwrap()).unwrap();
        let theirs = dir.path().join("theirs.parquet");
        let mut chunks = order.chunks(ROW_GROUP_ROWS);
        let first = rows_frame(chunks.next().unwrap()).unwrap();
        let mut writer = ParquetWriter::new(File::create(&theirs).unwrap())
            .with_compression(ParquetCompression::Lz4Raw)
            .batched(first.schema())
            .unwrap();
        writer.write_batch(&first).unwrap();
        for chunk in chunks {
            writer.write_batch(&rows_frame(chunk).unwrap()).unwrap();
        }
        writer.finish().unwrap();
        assert!(std::fs::read(&ours).unwrap() == std::fs::read(&theirs).unwrap());
        assert!(few_valued_column(&order[..ROW_GROUP_ROWS], 1).is_some());
        assert!(few_valued_column(&order[ROW_GROUP_ROWS..], 1).is_none());
    }

    #[test]
    fn stored_identities_keep_their_canonical_person() {
        // A number change seen in a Cloud API log: the new number was linked to the old one,
        // which stayed the person (the first key of its kind seen). Read back from the store,
        // the old number must still be the person, or every later ingest re-keys them.
        let mut map = IdentityMap::default();
        map.link("tel:+5519985384139", "tel:+5519985384139", "cloud-api");
        map.link("tel:+5519991114378", "tel:+5519985384139", "cloud-api");
        assert_eq!(map.resolve("tel:+5519991114378"), "tel:+5519985384139");
        let links = map.links();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("identities.parquet");
        let mut f = File::create(&path).unwrap();
        write_table(&mut identities_frame(&links).unwrap(), &mut f).unwrap();
        drop(f);
        let again = identity_map(&path).unwrap();
        for l in &links {
            assert_eq!(again.resolve(&l.alias), l.person, "{l:?}");
        }
        assert_eq!(again.links(), links);
    }

    fn msg(id: u64, person: &str, ts_ms: i64, line: u32) -> Message {
        Message {
            message_id: id,
            person: person.into(),
            ts_ms,
            precision_s: 60,
            direction: Direction::In,
            class: MessageClass::Inbound,
            kind: Kind::Text,
            author: Some("Ana".into()),
            text: Some(format!("m{id}").into()),
            file: "a.txt".into(),
            line,
            extra: None,
        }
    }

    fn column_i64(df: &DataFrame, name: &str) -> Vec<i64> {
        df.column(name)
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .flatten()
            .collect()
    }

    #[test]
    fn frames_are_sorted_and_merges_keep_the_order() {
        let new = messages_frame(&[
            vec![msg(3, "tel:+2", 100, 1), msg(1, "tel:+1", 200, 2)],
            vec![msg(2, "tel:+1", 100, 9)],
        ])
        .unwrap();
        assert_eq!(column_i64(&new, "ts"), [100, 200, 100]);
        assert_eq!(column_i64(&new, "line"), [9, 2, 1]);
        let names: Vec<&str> = new.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, MESSAGE_COLUMNS);
        let ids = message_ids(&new).unwrap();
        assert_eq!(ids, [1u64, 2, 3].into_iter().collect::<IdSet>());
        let more = messages_frame(&[vec![msg(4, "tel:+1", 150, 5)]]).unwrap();
        let merged = merge_messages(Some(new), more).unwrap();
        assert_eq!(column_i64(&merged, "ts"), [100, 150, 200, 100]);
        let hex = merged
            .column("message_id")
            .unwrap()
            .str()
            .unwrap()
            .get(1)
            .unwrap()
            .to_string();
        assert_eq!(hex, "0000000000000004");
    }

    #[test]
    fn rows_already_in_order_are_kept_and_any_other_order_is_sorted_stably() {
        let ids = |batches: &[Vec<Message>]| -> Vec<u64> {
            sorted_rows(batches).iter().map(|m| m.message_id).collect()
        };
        // In order already (two messages share a key: file order kept).
        let ordered = [
            vec![msg(1, "tel:+1", 100, 1), msg(2, "tel:+1", 100, 1)],
            vec![msg(3, "tel:+1", 100, 2), msg(4, "tel:+2", 50, 1)],
        ];
        assert_eq!(ids(&ordered), [1, 2, 3, 4]);
        // One pair out of order: the whole is sorted, shared keys still in file order.
        let mixed = [
            vec![msg(4, "tel:+2", 50, 1), msg(1, "tel:+1", 100, 1)],
            vec![msg(2, "tel:+1", 100, 1), msg(3, "tel:+1", 100, 2)],
        ];
        assert_eq!(ids(&mixed), [1, 2, 3, 4]);
    }

    #[test]
    fn batches_of_one_person_each_sort_alone_as_the_whole_would() {
        let batch = |person: &str, file: &str, rows: &[(u64, i64, u32)]| -> Vec<Message> {
            let (person, file): (Arc<str>, Arc<str>) = (person.into(), file.into());
            rows.iter()
                .map(|&(id, ts, line)| Message {
                    person: person.clone(),
                    file: file.clone(),
                    ..msg(id, "", ts, line)
                })
                .collect()
        };
        let batches = [
            batch(
                "tel:+2",
                "b.txt",
                &[(1, 300, 1), (2, 100, 2), (3, 100, 3), (4, 200, 4)],
            ),
            batch("tel:+1", "a.txt", &[(5, 50, 9), (6, 50, 7), (7, 40, 8)]),
        ];
        let ids = |rows: Vec<&Message>| rows.iter().map(|m| m.message_id).collect::<Vec<_>>();
        let by_batch = ids(sorted_by_batch(&batches).expect("one person per batch"));
        assert_eq!(by_batch, [7, 6, 5, 2, 3, 4, 1]);
        assert_eq!(
            by_batch,
            ids(sorted_by_rank(batches.iter().flatten().collect()))
        );
        assert_eq!(ids(sorted_rows(&batches)), by_batch);
        // Two batches of one person, or a batch of two: the general sort.
        let shared = [batches[0].clone(), batch("tel:+2", "c.txt", &[(8, 1, 1)])];
        assert!(sorted_by_batch(&shared).is_none());
        assert_eq!(ids(sorted_rows(&shared))[0], 8);
        // Rows equal in (ts, file, line) (a batched webhook line) keep their batch order.
        let ties = [batch(
            "tel:+3",
            "w.jsonl",
            &[(20, 9, 4), (10, 5, 3), (30, 9, 4), (15, 9, 4), (40, 5, 3)],
        )];
        let tied = ids(sorted_by_batch(&ties).expect("one person"));
        assert_eq!(tied, [10, 40, 20, 30, 15]);
        // Enough of them for the sort to leave insertion sort (stable by itself).
        let rows: Vec<(u64, i64, u32)> = (0..500).map(|i| (i, (i * 7 % 3) as i64, 1)).collect();
        let ties = [batch("tel:+3", "w.jsonl", &rows)];
        let tied = ids(sorted_by_batch(&ties).expect("one person"));
        assert_eq!(tied, ids(sorted_by_rank(ties.iter().flatten().collect())));
        let mixed = [vec![msg(1, "tel:+1", 5, 1), msg(2, "tel:+1", 4, 2)]];
        assert!(
            sorted_by_batch(&mixed).is_none(),
            "a person per message, not shared"
        );
    }

    #[test]
    fn written_messages_read_back_as_the_sorted_frame() {
        let batches = [
            vec![msg(3, "tel:+2", 100, 1), msg(1, "tel:+1", 200, 2)],
            vec![msg(2, "tel:+1", 100, 9)],
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.parquet");
        let rows = write_messages(&batches, &mut File::create(&path).unwrap()).unwrap();
        assert_eq!(rows, 3);
        let back = read_table(&path).unwrap();
        assert!(back.equals_missing(&messages_frame(&batches).unwrap()));
        let empty = dir.path().join("e.parquet");
        write_messages(&[], &mut File::create(&empty).unwrap()).unwrap();
        let back = read_table(&empty).unwrap();
        assert_eq!(back.height(), 0);
        let names: Vec<&str> = back.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, MESSAGE_COLUMNS);
    }

    #[test]
    fn orders_round_trip_sorted_by_person_then_time() {
        let order = |id: &str, person: Option<&str>, created: i64| Order {
            order_id: id.into(),
            person: person.map(str::to_string),
            created_at_ms: created,
            paid_at_ms: Some(created + 60_000),
            cancelled_at_ms: None,
            status: "paid".into(),
            currency: "BRL".into(),
            total_minor: 18_990,
            refunded_minor: 0,
            email: None,
            phone: Some("(11) 98765-4321".into()),
            coupon: None,
            file: "orders.csv".into(),
            line: 2,
        };
        let orders = vec![
            order("#3", None, 5),
            order("#2", Some("tel:+2"), 9),
            order("#1", Some("tel:+2"), 1),
        ];
        let mut df = orders_frame(&orders).unwrap();
        let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, ORDER_COLUMNS);
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("orders.parquet");
        write_table(&mut df, &mut File::create(&path).unwrap()).unwrap();
        let back = read_orders(&path).unwrap();
        let ids: Vec<&str> = back.iter().map(|o| o.order_id.as_str()).collect();
        assert_eq!(ids, ["#1", "#2", "#3"]);
        assert_eq!(back[2], orders[0]);
    }
}
