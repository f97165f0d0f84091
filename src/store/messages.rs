//! The messages table on disk (SPEC §4): one `messages.parquet`, or, once the table passes
//! [`PARTITION_ROWS`](super::PARTITION_ROWS) rows, one file per UTC month of `ts` under
//! `messages/month=YYYY-MM/part-0.parquet` (a Hive-partitioned dataset DuckDB, Spark or Trino
//! read as it is). Every file is sorted by (person, ts, file, line), so the partitions in month
//! order hold each person's messages in time order; [`person_runs_in_order`] gives readers
//! that need all of a person's rows together the global order without sorting rows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::Datelike;
use polars::prelude::*;

use super::{MESSAGES, MESSAGES_DIR, Transaction, tables};
use crate::model::Message;

/// A lazy scan of the messages table's files, in month order (partition folder names are not
/// read as a column: every file holds all the columns; a column a file lacks, as `stages` in
/// files of stores from before it existed, reads as nulls).
pub fn scan(files: &[PathBuf]) -> Result<LazyFrame> {
    let paths = files
        .iter()
        .map(|p| PlRefPath::new(p.to_string_lossy().as_ref()));
    let args = ScanArgsParquet {
        hive_options: HiveOptions::new_disabled(),
        allow_missing_columns: true,
        ..ScanArgsParquet::default()
    };
    LazyFrame::scan_parquet_files(paths.collect(), args)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot read {}", describe(files)))
}

/// The whole messages table, the files one after the other (each in the store's order, the
/// whole not: see [`read_in_store_order`]), or None without files.
pub fn read(files: &[PathBuf]) -> Result<Option<DataFrame>> {
    if files.is_empty() {
        return Ok(None);
    }
    let df = scan(files)?
        .collect()
        .map_err(anyhow::Error::from)
        .with_context(|| format!("{} is not a readable Parquet table", describe(files)))?;
    Ok(Some(df))
}

/// The whole messages table in the store's order, (person, ts, file, line) across all its
/// files — what one `messages.parquet` must hold — or None without files. Month partitions are
/// put in that order by their person runs ([`person_runs_in_order`]), not by a sort.
pub fn read_in_store_order(files: &[PathBuf]) -> Result<Option<DataFrame>> {
    let Some(df) = read(files)? else {
        return Ok(None);
    };
    if files.len() < 2 {
        return Ok(Some(df));
    }
    let runs = person_runs_in_order(df.column("person")?.str()?);
    if runs_follow_the_rows(&runs) {
        return Ok(Some(df));
    }
    let order: Vec<IdxSize> = runs
        .iter()
        .flat_map(|&(start, len)| (start..start + len).map(|i| i as IdxSize))
        .collect();
    Ok(Some(df.take(&IdxCa::from_vec("".into(), order))?))
}

/// How error messages name the table: its one file, or its partition folder.
pub fn describe(files: &[PathBuf]) -> String {
    match files {
        [one] => one.display().to_string(),
        [first, ..] => first
            .parent()
            .and_then(Path::parent)
            .unwrap_or(first)
            .display()
            .to_string(),
        [] => MESSAGES.to_string(),
    }
}

/// The partition file of a month, relative to the store.
pub fn partition_name(year: i32, month: u32) -> String {
    format!("{MESSAGES_DIR}/month={year:04}-{month:02}/part-0.parquet")
}

/// A month partition's key: (year, month) in UTC.
pub type Month = (i32, u32);

/// The month in UTC of a time in ms.
pub fn month_of(ts_ms: i64) -> Month {
    let d = chrono::DateTime::from_timestamp_millis(ts_ms).unwrap_or_default();
    (d.year(), d.month())
}

/// The month of a partition file (from its folder, `month=YYYY-MM`); None for `messages.parquet`.
pub fn month_of_file(path: &Path) -> Option<Month> {
    let folder = path.parent()?.file_name()?.to_str()?;
    let (year, month) = folder.strip_prefix("month=")?.split_once('-')?;
    Some((year.parse().ok()?, month.parse().ok()?))
}

/// The partition files of `months` among `files`.
pub fn files_of_months(
    files: &[PathBuf],
    months: &std::collections::BTreeSet<Month>,
) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|f| month_of_file(f).is_some_and(|m| months.contains(&m)))
        .cloned()
        .collect()
}

/// Whether the table's files are month partitions.
pub fn is_partitioned(files: &[PathBuf]) -> bool {
    !files.is_empty() && files.iter().all(|f| month_of_file(f).is_some())
}

/// The row numbers of each month in a messages frame, in frame order.
fn rows_by_month(df: &DataFrame) -> Result<BTreeMap<Month, Vec<IdxSize>>> {
    let ts = df.column("ts")?.cast(&DataType::Int64)?;
    let mut months: BTreeMap<Month, Vec<IdxSize>> = BTreeMap::new();
    for (i, t) in ts.i64()?.iter().enumerate() {
        months
            .entry(month_of(t.unwrap_or(0)))
            .or_default()
            .push(i as IdxSize);
    }
    Ok(months)
}

/// Stages the month partitions of `df`'s rows (sorted by person, ts, file, line) in `tx`,
/// returning the months written.
fn stage_partitions(tx: &mut Transaction<'_>, df: &DataFrame) -> Result<Vec<Month>> {
    let mut written = Vec::new();
    for ((year, month), rows) in rows_by_month(df)? {
        let mut part = df.take(&IdxCa::from_vec("".into(), rows))?;
        tx.stage(&partition_name(year, month), |f| {
            tables::write_table(&mut part, f)
        })?;
        written.push((year, month));
    }
    Ok(written)
}

/// Stages the new contents of some months of a partitioned table: `df` holds every row those
/// months have now (and no other month's). Other months' files are left as they are; a month
/// of `months` left without rows loses its file.
pub fn stage_months(
    tx: &mut Transaction<'_>,
    df: &DataFrame,
    months: &std::collections::BTreeSet<Month>,
) -> Result<()> {
    let written = stage_partitions(tx, df)?;
    if let Some(stray) = written.iter().find(|m| !months.contains(m)) {
        anyhow::bail!(
            "internal error: rows of {:04}-{:02} among the months being rewritten",
            stray.0,
            stray.1
        );
    }
    for &(year, month) in months {
        let name = partition_name(year, month);
        if !written.contains(&(year, month)) && tx.store().path(&name).exists() {
            tx.remove(&name);
        }
    }
    Ok(())
}

/// The months whose partition files hold a message of one of `persons` (row-group statistics
/// of the person-sorted files skip the rest).
pub fn months_with_persons(files: &[PathBuf], persons: &[&str]) -> Result<Vec<Month>> {
    if persons.is_empty() {
        return Ok(Vec::new());
    }
    let values = lit(Series::new("person".into(), persons)).implode(false);
    let mut months = Vec::new();
    for file in files {
        let Some(month) = month_of_file(file) else {
            continue;
        };
        let df = scan(std::slice::from_ref(file))?
            .filter(col("person").is_in(values.clone(), false))
            .select([len().alias("rows")])
            .collect()
            .map_err(anyhow::Error::from)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let rows = df.column("rows")?.cast(&DataType::UInt64)?;
        if rows.u64()?.get(0).unwrap_or(0) > 0 {
            months.push(month);
        }
    }
    Ok(months)
}

/// Stages a whole messages frame (sorted by person, ts, file, line) in `tx`: one file up to
/// `partition_rows` rows, month partitions above; files of the previous layout that are not
/// written again are removed at the commit. Returns the rows staged.
pub fn stage_frame(
    tx: &mut Transaction<'_>,
    df: &mut DataFrame,
    partition_rows: u64,
) -> Result<u64> {
    let previous = tx.store().message_files()?;
    let mut written = Vec::new();
    if df.height() as u64 <= partition_rows {
        tx.stage(MESSAGES, |f| tables::write_table(df, f))?;
        written.push(MESSAGES.to_string());
    } else {
        for (year, month) in stage_partitions(tx, df)? {
            written.push(partition_name(year, month));
        }
    }
    remove_previous(tx, &previous, &written);
    Ok(df.height() as u64)
}

/// Stages the messages of a first ingest, sorted into the store's order and written one row
/// group at a time ([`tables::write_rows`]), in one file or month partitions like
/// [`stage_frame`]. Returns the rows staged.
pub fn stage_batches(
    tx: &mut Transaction<'_>,
    batches: &[Vec<Message>],
    partition_rows: u64,
) -> Result<u64> {
    let previous = tx.store().message_files()?;
    let order = tables::sorted_rows(batches);
    let mut written = Vec::new();
    if order.len() as u64 <= partition_rows {
        tx.stage(MESSAGES, |f| tables::write_rows(&order, f))?;
        written.push(MESSAGES.to_string());
    } else {
        // Stable: each month keeps the store's order.
        let mut months: BTreeMap<Month, Vec<&Message>> = BTreeMap::new();
        for m in &order {
            months.entry(month_of(m.ts_ms)).or_default().push(m);
        }
        drop(order);
        for ((year, month), rows) in months {
            let name = partition_name(year, month);
            tx.stage(&name, |f| tables::write_rows(&rows, f))?;
            written.push(name);
        }
    }
    remove_previous(tx, &previous, &written);
    Ok(batches.iter().map(|b| b.len() as u64).sum())
}

/// Marks the previous layout's files that were not staged again for removal.
fn remove_previous(tx: &mut Transaction<'_>, previous: &[PathBuf], written: &[String]) {
    let dir = tx.store().dir().to_path_buf();
    for old in previous {
        if let Ok(rel) = old.strip_prefix(&dir) {
            let rel = rel.to_string_lossy().to_string();
            if !written.contains(&rel) {
                tx.remove(&rel);
            }
        }
    }
}

/// Whether runs from [`person_runs_in_order`] are the rows as they stand (no person's rows are
/// split across months by another person's).
pub fn runs_follow_the_rows(runs: &[(usize, usize)]) -> bool {
    runs.windows(2).all(|w| w[0].0 + w[0].1 == w[1].0)
}

/// The rows of `person` (a messages column read from the files in month order) grouped by
/// person in the store's order: runs `(start, len)` of one person each, sorted by person and,
/// for one person, in month order — which is time order, as each file is sorted by
/// (person, ts) and a person's rows in month k all come before those in month k + 1. One file
/// gives its runs as they are. Costs one pass over the column and a sort of the runs (persons ×
/// months), never a sort of the rows.
pub fn person_runs_in_order(person: &StringChunked) -> Vec<(usize, usize)> {
    let mut runs: Vec<(Option<&str>, usize, usize)> = Vec::new();
    for (i, p) in person.iter().enumerate() {
        match runs.last_mut() {
            Some((q, _, len)) if *q == p => *len += 1,
            _ => runs.push((p, i, 1)),
        }
    }
    if !runs.is_sorted_by(|a, b| a.0 <= b.0) {
        // Stable: a person's runs keep their month order.
        runs.sort_by(|a, b| a.0.cmp(&b.0));
    }
    runs.into_iter()
        .map(|(_, start, len)| (start, len))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, Kind, MessageClass};
    use crate::store::Store;
    use std::os::unix::fs::PermissionsExt;
    use std::sync::Arc;

    const DAY: i64 = 86_400_000;
    // 2026-10-30 00:00 UTC
    const OCT30: i64 = 1_793_318_400_000;

    fn msg(id: u64, person: &str, ts_ms: i64, line: u32) -> Message {
        Message {
            message_id: id,
            person: Arc::from(person),
            ts_ms,
            precision_s: 60,
            direction: Direction::In,
            class: MessageClass::Inbound,
            kind: Kind::Text,
            author: Some("x".into()),
            text: Some("hi".into()),
            file: Arc::from("a.txt"),
            line,
            extra: None,
        }
    }

    /// Two persons over three months, interleaved as the partitions interleave them.
    fn batches() -> Vec<Vec<Message>> {
        vec![
            vec![
                msg(1, "tel:+1", OCT30, 1),
                msg(2, "tel:+1", OCT30 + 3 * DAY, 2),
                msg(3, "tel:+1", OCT30 + 40 * DAY, 3),
            ],
            vec![
                msg(4, "tel:+2", OCT30 + DAY, 1),
                msg(5, "tel:+2", OCT30 + 35 * DAY, 2),
            ],
        ]
    }

    fn persons_and_ts(df: &DataFrame) -> Vec<(String, i64)> {
        let p = df.column("person").unwrap().str().unwrap().clone();
        let t = df.column("ts").unwrap().cast(&DataType::Int64).unwrap();
        p.iter()
            .zip(t.i64().unwrap().iter())
            .map(|(p, t)| (p.unwrap().to_string(), t.unwrap()))
            .collect()
    }

    #[test]
    fn a_table_past_the_threshold_is_written_as_month_partitions_and_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("s"));
        let lock = store.lock_for_write().unwrap();
        let mut tx = store.transaction(&lock);
        assert_eq!(stage_batches(&mut tx, &batches(), 3).unwrap(), 5);
        tx.commit().unwrap();
        let files = store.message_files().unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(store.dir()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "messages/month=2026-10/part-0.parquet",
                "messages/month=2026-11/part-0.parquet",
                "messages/month=2026-12/part-0.parquet",
            ]
        );
        for f in &files {
            let mode = f.metadata().unwrap().permissions().mode() & 0o777;
            let dir_mode = f.parent().unwrap().metadata().unwrap().permissions();
            assert_eq!((mode, dir_mode.mode() & 0o777), (0o600, 0o700));
        }
        assert!(!store.path(MESSAGES).exists());
        let df = read(&files).unwrap().unwrap();
        // Month order: Oct (+1 Oct 30, +2 Oct 31), Nov (+1 Nov 2), Dec (+1 Dec 9, +2 Dec 4).
        let rows = persons_and_ts(&df);
        let in_files: Vec<&str> = rows.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(in_files, ["tel:+1", "tel:+2", "tel:+1", "tel:+1", "tel:+2"]);
        // Nov and Dec of +1 touch: one run. Then +2's runs, each person in time order.
        let runs = person_runs_in_order(df.column("person").unwrap().str().unwrap());
        assert_eq!(runs, [(0, 1), (2, 2), (1, 1), (4, 1)]);
        let ts: Vec<i64> = runs
            .iter()
            .flat_map(|&(s, len)| s..s + len)
            .map(|i| rows[i].1)
            .collect();
        assert_eq!(
            ts,
            [
                OCT30,
                OCT30 + 3 * DAY,
                OCT30 + 40 * DAY,
                OCT30 + DAY,
                OCT30 + 35 * DAY
            ]
        );
    }

    #[test]
    fn the_layout_switches_both_ways_and_leaves_no_stale_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("s"));
        let lock = store.lock_for_write().unwrap();
        let mut tx = store.transaction(&lock);
        stage_batches(&mut tx, &batches(), 10).unwrap();
        tx.commit().unwrap();
        assert_eq!(store.message_files().unwrap(), [store.path(MESSAGES)]);
        // Grows past the threshold: partitions replace the file.
        let mut df = read(&store.message_files().unwrap()).unwrap().unwrap();
        let mut tx = store.transaction(&lock);
        stage_frame(&mut tx, &mut df, 4).unwrap();
        tx.commit().unwrap();
        assert_eq!(store.message_files().unwrap().len(), 3);
        assert!(!store.path(MESSAGES).exists());
        // A month fewer (as after `forget`): its partition goes with its folder.
        let mut df = read(&store.message_files().unwrap()).unwrap().unwrap();
        df = df.slice(0, 3);
        let mut tx = store.transaction(&lock);
        stage_frame(&mut tx, &mut df, 1).unwrap();
        tx.commit().unwrap();
        let months: Vec<_> = std::fs::read_dir(store.path(MESSAGES_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(months.len(), 2, "{months:?}");
        // Shrinks under the threshold: one file again, no partition folder left.
        let mut tx = store.transaction(&lock);
        stage_frame(&mut tx, &mut df, 100).unwrap();
        tx.commit().unwrap();
        assert_eq!(store.message_files().unwrap(), [store.path(MESSAGES)]);
        assert!(!store.path(MESSAGES_DIR).exists());
        assert_eq!(
            read(&store.message_files().unwrap())
                .unwrap()
                .unwrap()
                .height(),
            3
        );
    }

    #[test]
    fn runs_of_one_sorted_file_stay_as_they_are() {
        let p = StringChunked::from_slice("person".into(), &["a", "a", "b", "c", "c"]);
        assert_eq!(person_runs_in_order(&p), [(0, 2), (2, 1), (3, 2)]);
    }
}
