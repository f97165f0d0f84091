//! The store (SPEC §4): a directory of Parquet tables, a manifest and a rejects file.
//!
//! Writes are transactions: every new file is written beside the old one as `NAME.new` and
//! fsynced; then a journal naming them is written (the commit point), the files are renamed
//! over the old ones and the journal is removed. A crash before the journal leaves the old store
//! (stray `.new` files are deleted on the next open); a crash after it is rolled forward on the
//! next open. One exclusive lock file keeps two ingests apart.

pub mod manifest;
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
/// Orders table.
pub const ORDERS: &str = "orders.parquet";
/// Identity links table.
pub const IDENTITIES: &str = "identities.parquet";
/// Manifest of ingested files.
pub const MANIFEST: &str = "manifest.json";
/// Rejected rows and lines.
pub const REJECTS: &str = "rejects.csv";
const JOURNAL: &str = "commit.journal";
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
    /// the lock (a reader never waits for a writer: it reads the last committed state).
    pub fn prepare_read(&self) -> Result<()> {
        if !self.path(JOURNAL).exists() {
            return Ok(());
        }
        let Ok(file) = open_private(&self.path(LOCK), false) else {
            return Ok(());
        };
        if file.try_lock().is_ok() {
            self.recover()?;
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
            for name in names.lines().filter(|n| !n.is_empty()) {
                let staged = self.path(&format!("{name}.new"));
                if staged.exists() {
                    fs::rename(&staged, self.path(name))
                        .with_context(|| format!("cannot finish commit of {name}"))?;
                }
            }
            sync_dir(&self.dir)?;
            fs::remove_file(&journal)?;
            sync_dir(&self.dir)?;
        }
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().ends_with(".new") {
                fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }

    /// Starts a transaction; needs the writer lock.
    pub fn transaction<'a>(&'a self, _lock: &'a StoreLock) -> Transaction<'a> {
        Transaction {
            store: self,
            staged: Vec::new(),
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
}

impl Transaction<'_> {
    /// Writes `name.new` (mode 0600) with `write`, then fsyncs it.
    pub fn stage(&mut self, name: &str, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
        let path = self.store.path(&format!("{name}.new"));
        let mut file = open_private(&path, true)
            .with_context(|| format!("cannot create {}", path.display()))?;
        write(&mut file).with_context(|| format!("cannot write {}", path.display()))?;
        file.flush()?;
        file.sync_all()?;
        self.staged.push(name.to_string());
        Ok(())
    }

    /// Writes the journal (the commit point), renames every staged file into place and removes
    /// the journal.
    pub fn commit(self) -> Result<()> {
        let dir = self.store.dir();
        sync_dir(dir)?;
        test_pause("before-journal");
        let journal = self.store.path(JOURNAL);
        let mut f = open_private(&journal, true)?;
        f.write_all(self.staged.join("\n").as_bytes())?;
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
