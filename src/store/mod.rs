//! The store (SPEC §4): a directory of Parquet tables, a manifest and a rejects file.
//!
//! Writes are transactions: every new file is written beside the old one as `NAME.new` and
//! fsynced; then a journal naming them is written (the commit point), the files are renamed
//! over the old ones and the journal is removed. A crash before the journal leaves the old store
//! (stray `.new` files are deleted on the next open); a crash after it is rolled forward on the
//! next open. One exclusive lock file keeps two ingests apart.
//!
//! Messages live in `messages.parquet`, or, once the table passes [`PARTITION_ROWS`] rows, in
//! month partitions `messages/month=YYYY-MM/part-0.parquet` ([`messages`]).

pub mod manifest;
pub mod messages;
pub mod rejects;
pub mod tables;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub use manifest::{FileEntry, Manifest};

/// File names inside the store.
pub const MESSAGES: &str = "messages.parquet";
/// Folder of the month partitions of a large messages table (SPEC §4).
pub const MESSAGES_DIR: &str = "messages";
/// Rows above which the messages table is written as month partitions (SPEC §4); config
/// `[store] partition_rows` overrides it.
pub const PARTITION_ROWS: u64 = crate::config::DEFAULT_PARTITION_ROWS;
/// Orders table.
pub const ORDERS: &str = "orders.parquet";
/// Identity links table.
pub const IDENTITIES: &str = "identities.parquet";
/// Manifest of ingested files.
pub const MANIFEST: &str = "manifest.json";
/// Rejected rows and lines.
pub const REJECTS: &str = "rejects.csv";
const JOURNAL: &str = "commit.journal";
/// How long a reader waits for a commit under way (renames take milliseconds).
const COMMIT_WAIT: std::time::Duration = std::time::Duration::from_secs(60);
/// Journal lines starting with this name a file the commit removes (no store file name does).
const REMOVED: &str = "-";
const LOCK: &str = ".lock";

/// A store directory (which may not exist yet).
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// Held while a writer (ingest, forget) works on the store; released on drop.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

impl Store {
    /// The store at `dir`; nothing is touched.
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// Its directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Path of a file inside the store.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// True once an ingest has committed.
    pub fn exists(&self) -> bool {
        self.path(MANIFEST).is_file()
    }

    /// Creates the directory (0700) when needed and takes the exclusive writer lock without
    /// waiting; a second writer gets a clear error. Finishes or discards an interrupted commit.
    pub fn lock_for_write(&self) -> Result<StoreLock> {
        self.lock_for_write_waiting(None::<fn()>)
    }

    /// Like [`lock_for_write`](Self::lock_for_write), but while another writer holds the lock,
    /// calls `notice` once and waits for it (`None`: fail at once).
    pub fn lock_for_write_waiting(&self, notice: Option<impl FnOnce()>) -> Result<StoreLock> {
        if !self.dir.exists() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&self.dir)
                .with_context(|| format!("cannot create store {}", self.dir.display()))?;
        }
        let lock_path = self.path(LOCK);
        let file = open_private(&lock_path, false)
            .with_context(|| format!("cannot open lock file {}", lock_path.display()))?;
        match (file.try_lock(), notice) {
            (Ok(()), _) => {}
            (Err(fs::TryLockError::WouldBlock), Some(notice)) => {
                notice();
                file.lock()
                    .with_context(|| format!("cannot lock {}", lock_path.display()))?;
            }
            (Err(fs::TryLockError::WouldBlock), None) => bail!(
                "another chatrev ingest is writing to {} (lock {}); run again when it has finished, or without --no-wait to wait for it",
                self.dir.display(),
                lock_path.display()
            ),
            (Err(fs::TryLockError::Error(e)), _) => {
                return Err(e).with_context(|| format!("cannot lock {}", lock_path.display()));
            }
        }
        self.recover()?;
        Ok(StoreLock { _file: file })
    }

    /// Prepares the store for reading: rolls an interrupted commit forward when no writer holds
    /// the lock. A reader does not wait for a writer's work, only for a commit under way (its
    /// journal written, files being renamed: milliseconds), so that it never reads some files
    /// old and some new, as month partitions could be.
    pub fn prepare_read(&self) -> Result<()> {
        let deadline = std::time::Instant::now() + COMMIT_WAIT;
        while self.path(JOURNAL).exists() {
            let Ok(file) = open_private(&self.path(LOCK), false) else {
                return Ok(());
            };
            if file.try_lock().is_ok() {
                return self.recover();
            }
            if std::time::Instant::now() >= deadline {
                bail!(
                    "{} is in the middle of a commit that has not finished in {} s; try again",
                    self.dir.display(),
                    COMMIT_WAIT.as_secs()
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        Ok(())
    }

    /// Rolls a journalled commit forward, or deletes the `.new` files of one that never reached
    /// its journal.
    fn recover(&self) -> Result<()> {
        let journal = self.path(JOURNAL);
        if journal.exists() {
            let names = fs::read_to_string(&journal)
                .with_context(|| format!("cannot read {}", journal.display()))?;
            for line in names.lines().filter(|n| !n.is_empty()) {
                match line.strip_prefix(REMOVED) {
                    Some(name) => remove_if_present(&self.path(name))?,
                    None => {
                        let staged = self.path(&format!("{line}.new"));
                        if staged.exists() {
                            fs::rename(&staged, self.path(line))
                                .with_context(|| format!("cannot finish commit of {line}"))?;
                        }
                    }
                }
            }
            sync_dir(&self.dir)?;
            fs::remove_file(&journal)?;
            sync_dir(&self.dir)?;
        }
        remove_staged(&self.dir)?;
        if self.path(MESSAGES_DIR).is_dir() {
            remove_staged(&self.path(MESSAGES_DIR))?;
            for month in self.month_dirs()? {
                remove_staged(&month)?;
            }
        }
        self.remove_empty_partitions()
    }

    /// The month folders of a partitioned messages table, in month order (`month=YYYY-MM` sorts
    /// by time as text); none without `messages/`.
    fn month_dirs(&self) -> Result<Vec<PathBuf>> {
        let parts = self.path(MESSAGES_DIR);
        if !parts.is_dir() {
            return Ok(Vec::new());
        }
        let mut months = sorted_entries(&parts)?;
        months.retain(|m| m.is_dir());
        Ok(months)
    }

    /// Removes the month folders left empty by a commit, and `messages/` when none is left.
    fn remove_empty_partitions(&self) -> Result<()> {
        for month in self.month_dirs()? {
            if fs::read_dir(&month)?.next().is_none() {
                fs::remove_dir(&month)
                    .with_context(|| format!("cannot remove {}", month.display()))?;
            }
        }
        let parts = self.path(MESSAGES_DIR);
        if parts.is_dir() && fs::read_dir(&parts)?.next().is_none() {
            fs::remove_dir(&parts).with_context(|| format!("cannot remove {}", parts.display()))?;
        }
        Ok(())
    }

    /// The files of the messages table in month order: the partitions when the store has them,
    /// else `messages.parquet` when it exists, else none.
    pub fn message_files(&self) -> Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        for month in self.month_dirs()? {
            let mut in_month = sorted_entries(&month)?;
            in_month.retain(|p| p.extension().is_some_and(|x| x == "parquet"));
            files.extend(in_month);
        }
        if files.is_empty() && self.path(MESSAGES).is_file() {
            files.push(self.path(MESSAGES));
        }
        Ok(files)
    }

    /// Starts a transaction; needs the writer lock.
    pub fn transaction<'a>(&'a self, _lock: &'a StoreLock) -> Transaction<'a> {
        Transaction {
            store: self,
            staged: Vec::new(),
            removed: Vec::new(),
        }
    }

    /// The manifest, or an empty one for a store that has never been written.
    pub fn manifest(&self) -> Result<Manifest> {
        let p = self.path(MANIFEST);
        if !p.exists() {
            return Ok(Manifest::default());
        }
        let text =
            fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a valid manifest", p.display()))
    }
}

/// New versions of store files, made visible all at once by [`Transaction::commit`].
pub struct Transaction<'a> {
    store: &'a Store,
    staged: Vec<String>,
    removed: Vec<String>,
}

impl Transaction<'_> {
    /// The store this transaction writes.
    pub fn store(&self) -> &Store {
        self.store
    }

    /// Writes `name.new` (mode 0600) with `write`, then fsyncs it. `name` may lie in a folder
    /// of the store (a month partition), which is created (0700) when needed.
    pub fn stage(&mut self, name: &str, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
        let path = self.store.path(&format!("{name}.new"));
        if let Some(parent) = path.parent()
            && !parent.exists()
        {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut file = open_private(&path, true)
            .with_context(|| format!("cannot create {}", path.display()))?;
        write(&mut file).with_context(|| format!("cannot write {}", path.display()))?;
        file.flush()?;
        file.sync_all()?;
        self.staged.push(name.to_string());
        Ok(())
    }

    /// Removes the store file `name` at the commit (unless it is staged again).
    pub fn remove(&mut self, name: &str) {
        self.removed.push(name.to_string());
    }

    /// Writes the journal (the commit point), renames every staged file into place, removes the
    /// files marked [`remove`](Self::remove) and then the journal.
    pub fn commit(self) -> Result<()> {
        let dir = self.store.dir();
        for name in &self.staged {
            if let Some(parent) = self.store.path(name).parent()
                && parent != dir
            {
                sync_dir(parent)?;
            }
        }
        sync_dir(dir)?;
        test_pause("before-journal");
        let journal = self.store.path(JOURNAL);
        let removed: Vec<&String> = self
            .removed
            .iter()
            .filter(|r| !self.staged.contains(r))
            .collect();
        let lines: Vec<String> = (self.staged.iter().cloned())
            .chain(removed.iter().map(|r| format!("{REMOVED}{r}")))
            .collect();
        let mut f = open_private(&journal, true)?;
        f.write_all(lines.join("\n").as_bytes())?;
        f.sync_all()?;
        sync_dir(dir)?;
        test_pause("after-journal");
        for (i, name) in self.staged.iter().enumerate() {
            fs::rename(
                self.store.path(&format!("{name}.new")),
                self.store.path(name),
            )
            .with_context(|| format!("cannot commit {name}"))?;
            if i == 0 {
                test_pause("mid-rename");
            }
        }
        for name in removed {
            remove_if_present(&self.store.path(name))?;
        }
        self.store.remove_empty_partitions()?;
        sync_dir(dir)?;
        fs::remove_file(&journal)?;
        sync_dir(dir)?;
        Ok(())
    }
}

/// Opens (or with `truncate`, creates afresh) a file readable by its owner only.
fn open_private(path: &Path, truncate: bool) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(truncate)
        .mode(0o600)
        .open(path)?;
    // Files that existed before keep their mode with `mode()`; make sure.
    let perms = file.metadata()?.permissions();
    if perms.mode() & 0o077 != 0 {
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Deletes a file; one that is already gone is fine (a commit rolled forward twice).
fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// The entries of a folder, sorted by path.
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    entries.sort();
    Ok(entries)
}

/// Deletes the staged `*.new` files of an interrupted commit in one folder.
fn remove_staged(dir: &Path) -> Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().ends_with(".new") && entry.path().is_file() {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot sync {}", dir.display()))
}

/// Test hook: with `CHATREV_TEST_PAUSE=<point>` the process announces the point on stderr and
/// sleeps, so crash tests can kill it exactly there. Unset in normal runs.
fn test_pause(point: &str) {
    if std::env::var("CHATREV_TEST_PAUSE").is_ok_and(|p| p == point) {
        eprintln!("chatrev: paused at {point}");
        std::thread::sleep(std::time::Duration::from_secs(30));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_str(tx: &mut Transaction<'_>, name: &str, s: &str) {
        tx.stage(name, |f| Ok(f.write_all(s.as_bytes())?)).unwrap();
    }

    #[test]
    fn commit_replaces_files_and_sets_modes() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::at(tmp.path().join("s"));
        let lock = store.lock_for_write().unwrap();
        let mut tx = store.transaction(&lock);
        write_str(&mut tx, "a.txt", "one");
        tx.commit().unwrap();
        assert_eq!(fs::read_to_string(store.path("a.txt")).unwrap(), "one");
        let dir_mode = fs::metadata(store.dir()).unwrap().permissions().mode() & 0o777;
        let file_mode = fs::metadata(store.path("a.txt"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!((dir_mode, file_mode), (0o700, 0o600));
    }

    #[test]
    fn second_writer_fails_clearly() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::at(tmp.path());
        let _lock = store.lock_for_write().unwrap();
        let err = Store::at(tmp.path()).lock_for_write().unwrap_err();
        assert!(err.to_string().contains("another chatrev ingest"), "{err}");
    }

    #[test]
    fn recovery_rolls_forward_after_journal_and_back_before_it() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::at(tmp.path());
        fs::write(store.path("a.txt"), "old").unwrap();
        // Crash before the journal: staged file discarded.
        fs::write(store.path("a.txt.new"), "new").unwrap();
        drop(store.lock_for_write().unwrap());
        assert_eq!(fs::read_to_string(store.path("a.txt")).unwrap(), "old");
        assert!(!store.path("a.txt.new").exists());
        // Crash after the journal, before the rename: rolled forward.
        fs::write(store.path("a.txt.new"), "new").unwrap();
        fs::write(store.path("b.txt"), "b-new").unwrap(); // already renamed before the crash
        fs::write(store.path(JOURNAL), "b.txt\na.txt").unwrap();
        store.prepare_read().unwrap();
        assert_eq!(fs::read_to_string(store.path("a.txt")).unwrap(), "new");
        assert_eq!(fs::read_to_string(store.path("b.txt")).unwrap(), "b-new");
        assert!(!store.path(JOURNAL).exists());
    }
}
