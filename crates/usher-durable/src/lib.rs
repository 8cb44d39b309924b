//! Durable state on disk for usher's embedded store and reference backends.
//!
//! One [`Durable`] is one embedded database file (redb: copy-on-write B-trees, checksummed,
//! crash-safe commits with `fsync`). Writers hand it batches of [`Write`]s with
//! [`Durable::write`]; batches are applied in exactly the order they were handed over, and
//! every batch waiting when the writer thread gets to them is committed in one transaction
//! (group commit): one `fsync` for many callers, so durability costs a round of disk latency
//! per burst, not per write. A caller answers its client only once its batch's commit is on
//! disk ([`Pending::wait`]).
//!
//! Order is what makes the log replayable: callers hand a batch over while they still hold the
//! lock under which they changed their in-memory state, so the order on disk is the order of
//! the changes. A commit that fails (disk full, I/O error) leaves memory ahead of the disk, so
//! the database refuses every later write: the process keeps answering reads but no longer
//! acknowledges changes it could not keep, and a restart recovers the last committed state.

use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, TableError};
use tokio::sync::oneshot;

/// A `(key, value)` pair of a table.
pub type Row = (Vec<u8>, Vec<u8>);

/// Most batches one transaction commits: bounds a transaction's size under a flood.
const MAX_GROUP: usize = 4_096;

/// The database's page cache: the state lives in memory above it, so reads are rare.
const CACHE_BYTES: usize = 64 * 1024 * 1024;

/// Why a write or read failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DurableError {
    /// The database file could not be opened, read or written.
    #[error("durable storage at {path}: {message}")]
    Io { path: String, message: String },
    /// An earlier commit failed: nothing more is accepted until a restart.
    #[error("durable storage at {0} refused the write: an earlier commit failed")]
    Failed(String),
}

/// One change to a table. Keys order as bytes (big-endian integers order as numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    Put {
        table: &'static str,
        key: Vec<u8>,
        value: Vec<u8>,
    },
    Delete {
        table: &'static str,
        key: Vec<u8>,
    },
    /// Deletes every key up to and including `key` (a log truncated after a snapshot).
    DeleteThrough {
        table: &'static str,
        key: Vec<u8>,
    },
}

struct Job {
    writes: Vec<Write>,
    done: oneshot::Sender<Result<(), DurableError>>,
}

/// A batch handed to the writer: [`Pending::wait`] resolves once it is on disk.
#[must_use = "a write is durable only once its Pending resolves"]
pub struct Pending(Option<oneshot::Receiver<Result<(), DurableError>>>, String);

impl Pending {
    /// A batch that needed no disk (nothing to write): resolves at once.
    pub fn ready() -> Self {
        Self(None, String::new())
    }

    /// Waits until the batch is committed to disk.
    pub async fn wait(self) -> Result<(), DurableError> {
        match self.0 {
            None => Ok(()),
            Some(rx) => rx.await.unwrap_or(Err(DurableError::Failed(self.1))),
        }
    }

    /// [`Pending::wait`] for a caller outside the async runtime.
    pub fn wait_blocking(self) -> Result<(), DurableError> {
        match self.0 {
            None => Ok(()),
            Some(rx) => rx
                .blocking_recv()
                .unwrap_or(Err(DurableError::Failed(self.1))),
        }
    }
}

/// An open database file and its writer thread.
pub struct Durable {
    db: Arc<Database>,
    path: PathBuf,
    jobs: Option<mpsc::Sender<Job>>,
    failed: Arc<AtomicBool>,
    writer: Option<JoinHandle<()>>,
}

fn table(name: &'static str) -> TableDefinition<'static, &'static [u8], &'static [u8]> {
    TableDefinition::new(name)
}

impl Durable {
    /// Opens (or creates) the database file at `path`, creating its directory if needed.
    pub fn open(path: &Path) -> Result<Self, DurableError> {
        let io = |e: &dyn std::fmt::Display| DurableError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(&e))?;
        }
        let db = Arc::new(
            Database::builder()
                .set_cache_size(CACHE_BYTES)
                .create(path)
                .map_err(|e| io(&e))?,
        );
        let failed = Arc::new(AtomicBool::new(false));
        let (jobs, rx) = mpsc::channel::<Job>();
        let writer = {
            let db = db.clone();
            let failed = failed.clone();
            let path = path.display().to_string();
            std::thread::Builder::new()
                .name("usher-durable".into())
                .spawn(move || write_loop(&db, &rx, &failed, &path))
                .map_err(|e| io(&e))?
        };
        Ok(Self {
            db,
            path: path.to_path_buf(),
            jobs: Some(jobs),
            failed,
            writer: Some(writer),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// Hands `writes` to the writer, after every batch handed over before. Never blocks.
    pub fn write(&self, writes: Vec<Write>) -> Pending {
        if writes.is_empty() {
            return Pending::ready();
        }
        let (done, rx) = oneshot::channel();
        if self.failed.load(Ordering::Acquire) {
            let _ = done.send(Err(DurableError::Failed(self.name())));
        } else if let Some(jobs) = &self.jobs {
            // The writer lives as long as `self`: a send fails only if it panicked, and then
            // the dropped `done` makes the wait fail.
            let _ = jobs.send(Job { writes, done });
        }
        Pending(Some(rx), self.name())
    }

    /// Every `(key, value)` of `table`, in key order (none if the table was never written).
    pub fn scan(&self, name: &'static str) -> Result<Vec<Row>, DurableError> {
        self.read(name, |t| {
            t.iter()?
                .map(|row| row.map(|(k, v)| (k.value().to_vec(), v.value().to_vec())))
                .collect()
        })
    }

    /// The value of `key` in `table`.
    pub fn get(&self, name: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>, DurableError> {
        self.read(name, |t| Ok(t.get(key)?.map(|v| v.value().to_vec())))
    }

    fn read<T: Default>(
        &self,
        name: &'static str,
        f: impl FnOnce(
            &redb::ReadOnlyTable<&'static [u8], &'static [u8]>,
        ) -> Result<T, redb::StorageError>,
    ) -> Result<T, DurableError> {
        let io = |e: &dyn std::fmt::Display| DurableError::Io {
            path: self.name(),
            message: e.to_string(),
        };
        let txn = self.db.begin_read().map_err(|e| io(&e))?;
        match txn.open_table(table(name)) {
            Ok(t) => f(&t).map_err(|e| io(&e)),
            Err(TableError::TableDoesNotExist(_)) => Ok(T::default()),
            Err(e) => Err(io(&e)),
        }
    }
}

impl Drop for Durable {
    /// Lets the writer finish every batch handed over, then closes the file.
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

fn write_loop(db: &Database, rx: &mpsc::Receiver<Job>, failed: &AtomicBool, path: &str) {
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let result = if failed.load(Ordering::Acquire) {
            Err(DurableError::Failed(path.to_string()))
        } else {
            commit(db, &group).map_err(|message| {
                failed.store(true, Ordering::Release);
                tracing::error!(path, error = %message, "durable commit failed: refusing further writes");
                DurableError::Io {
                    path: path.to_string(),
                    message,
                }
            })
        };
        for job in group {
            let _ = job.done.send(result.clone());
        }
    }
}

fn commit(db: &Database, group: &[Job]) -> Result<(), String> {
    let txn = db.begin_write().map_err(|e| e.to_string())?;
    for write in group.iter().flat_map(|job| &job.writes) {
        let name = match write {
            Write::Put { table, .. }
            | Write::Delete { table, .. }
            | Write::DeleteThrough { table, .. } => *table,
        };
        let mut t = txn.open_table(table(name)).map_err(|e| e.to_string())?;
        match write {
            Write::Put { key, value, .. } => {
                t.insert(key.as_slice(), value.as_slice())
                    .map_err(|e| e.to_string())?;
            }
            Write::Delete { key, .. } => {
                t.remove(key.as_slice()).map_err(|e| e.to_string())?;
            }
            Write::DeleteThrough { key, .. } => {
                let upto: (Bound<&[u8]>, Bound<&[u8]>) =
                    (Bound::Unbounded, Bound::Included(key.as_slice()));
                t.retain_in::<&[u8], _>(upto, |_, _| false)
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    txn.commit().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(key: u64, value: &str) -> Write {
        Write::Put {
            table: "log",
            key: key.to_be_bytes().to_vec(),
            value: value.as_bytes().to_vec(),
        }
    }

    fn dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "usher-durable-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[tokio::test]
    async fn batches_land_in_order_and_survive_a_reopen() {
        let dir = dir();
        let path = dir.join("a.redb");
        {
            let db = Durable::open(&path).unwrap();
            assert!(db.scan("log").unwrap().is_empty());
            let pending: Vec<Pending> = (0..500u64)
                .map(|i| db.write(vec![put(i, &format!("v{i}"))]))
                .collect();
            for p in pending {
                p.wait().await.unwrap();
            }
            db.write(vec![
                Write::DeleteThrough {
                    table: "log",
                    key: 99u64.to_be_bytes().to_vec(),
                },
                Write::Put {
                    table: "meta",
                    key: b"snapshot".to_vec(),
                    value: b"99".to_vec(),
                },
                Write::Delete {
                    table: "log",
                    key: 499u64.to_be_bytes().to_vec(),
                },
            ])
            .wait()
            .await
            .unwrap();
        }
        let db = Durable::open(&path).unwrap();
        let log = db.scan("log").unwrap();
        assert_eq!(log.len(), 399);
        assert_eq!(log[0].0, 100u64.to_be_bytes().to_vec());
        assert_eq!(log[398].1, b"v498".to_vec());
        assert_eq!(db.get("meta", b"snapshot").unwrap(), Some(b"99".to_vec()));
        assert_eq!(db.get("meta", b"other").unwrap(), None);
        assert_eq!(db.get("never", b"x").unwrap(), None);
        drop(db);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_blocking_caller_waits_too_and_an_empty_batch_needs_no_disk() {
        let dir = dir();
        let db = Durable::open(&dir.join("b.redb")).unwrap();
        db.write(vec![put(1, "x")]).wait_blocking().unwrap();
        Pending::ready().wait_blocking().unwrap();
        assert!(db.write(Vec::new()).0.is_none());
        drop(db);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
