//! Group commit: one thread makes everything written to sled durable, for every waiting
//! request at once.
//!
//! Why not sled's own `flush_async`: sled 0.34 runs it on its I/O pool of seven threads and
//! queues the log writes those flushes wait for on the same pool, so seven saves waiting at
//! once wait for ever (sled issues #1241 and #1308), and every later write then blocks the
//! server's workers. Here no request ever flushes. A request that needs its writes on disk
//! joins the queue *after* writing and waits without holding a thread; the flusher thread
//! takes the whole queue, flushes once, and answers every request in it. Whatever a queued
//! request wrote was written before the flush began, so one flush covers the whole batch,
//! and the next batch gathers while this one is on its way to the disk.
//!
//! Why more than sled's `flush`: on Linux it ends in `sync_file_range`, which neither
//! empties the drive's write cache nor writes the file's metadata, and values too large for
//! the log go to files under `blobs/` that sled never syncs. So each batch ends with a real
//! `fdatasync` of the log file and of each blob file not yet synced, and an `fsync` of the
//! `blobs/` folder when a blob file appeared, before any request of the batch is answered.

use super::StoreError;
use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// What a batch's flush reports to each request in it.
type FlushResult = Result<(), Arc<str>>;

/// The queue between requests and the flusher thread.
#[derive(Default)]
struct Queue {
    waiting: Vec<oneshot::Sender<FlushResult>>,
    stop: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A panic while holding this lock leaves only a Vec behind, which is still sound.
        self.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The flusher of one open database. Dropping the last handle stops the thread and waits
/// for it, so that the database is closed when the store is.
pub struct Flusher {
    shared: Arc<Shared>,
    db: sled::Db,
    files: Arc<Mutex<DataFiles>>,
    thread: Option<JoinHandle<()>>,
}

/// A wait for durability: resolves once everything written before [`Flusher::enqueue`] is
/// on disk.
pub struct Ticket(oneshot::Receiver<FlushResult>);

impl Ticket {
    pub async fn wait(self) -> Result<(), StoreError> {
        match self.0.await {
            Ok(result) => result.map_err(|e| StoreError::Durability(e.to_string())),
            Err(_) => Err(StoreError::Durability("the flusher stopped before the save was on disk".into())),
        }
    }
}

impl Flusher {
    /// Starts the flusher for the database `db` kept in `dir`.
    pub fn start(db: sled::Db, dir: &Path) -> Result<Flusher, StoreError> {
        let files = DataFiles::open(dir)?;
        // The folder's own entries (the log, sled's config and snapshot) were made by sled
        // without a sync of the folder; one now covers a database just created.
        File::open(dir).and_then(|d| d.sync_all()).map_err(|e| durability("the data folder", &e))?;
        let files = Arc::new(Mutex::new(files));
        let shared = Arc::new(Shared { queue: Mutex::new(Queue::default()), wake: Condvar::new() });
        let (thread_shared, thread_db, thread_files) = (shared.clone(), db.clone(), files.clone());
        let thread = std::thread::Builder::new()
            .name("beratta-flusher".into())
            .spawn(move || run(&thread_shared, &thread_db, &thread_files))
            .map_err(|e| durability("the flusher thread", &e))?;
        Ok(Flusher { shared, db, files, thread: Some(thread) })
    }

    /// Makes everything written so far durable, on the calling thread: for the commands,
    /// and for code already off the async workers that cannot await.
    pub fn flush_now(&self) -> Result<(), StoreError> {
        make_durable(&self.db, &self.files).map_err(|e| StoreError::Durability(e.to_string()))
    }

    /// Joins the next batch. Call it after the writes that must become durable.
    pub fn enqueue(&self) -> Ticket {
        let (sender, receiver) = oneshot::channel();
        let mut queue = self.shared.lock();
        if queue.stop {
            // Dropping the sender makes the ticket report that nothing was flushed.
            return Ticket(receiver);
        }
        queue.waiting.push(sender);
        drop(queue);
        self.shared.wake.notify_one();
        Ticket(receiver)
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The flusher thread: waits for a batch, makes it durable, answers it; after a stop it
/// still serves the requests already queued.
fn run(shared: &Shared, db: &sled::Db, files: &Mutex<DataFiles>) {
    loop {
        let batch = {
            let mut queue = shared.lock();
            while queue.waiting.is_empty() && !queue.stop {
                queue = shared.wake.wait(queue).unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            if queue.waiting.is_empty() {
                return;
            }
            std::mem::take(&mut queue.waiting)
        };
        let result = make_durable(db, files);
        if let Err(e) = &result {
            tracing::error!("cannot make saves durable: {e}");
        }
        for waiter in batch {
            // A request that gave up waiting has dropped its receiver; nothing to tell it.
            let _ = waiter.send(result.clone());
        }
    }
}

fn make_durable(db: &sled::Db, files: &Mutex<DataFiles>) -> FlushResult {
    db.flush().map_err(|e| Arc::from(format!("sled's flush failed: {e}")))?;
    let mut files = files.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    files.sync().map_err(|e| Arc::from(format!("cannot sync the data files: {e}")))
}

fn durability(what: &str, e: &std::io::Error) -> StoreError {
    StoreError::Durability(format!("{what}: {e}"))
}

/// The files of a sled folder that hold data: the log (`db`), and the blob files sled
/// writes for values too large for the log, which it never syncs itself.
struct DataFiles {
    log: File,
    blobs: PathBuf,
    /// Blob files synced already, with their length when they were: sled writes a blob
    /// file once, but possibly while a batch is being synced, so a file that has grown
    /// since is synced again.
    synced_blobs: HashMap<OsString, u64>,
}

impl DataFiles {
    fn open(dir: &Path) -> Result<DataFiles, StoreError> {
        // On Linux a sync through any descriptor of a file covers every write to it, so a
        // read-only descriptor of sled's log is enough.
        let log = File::open(dir.join("db")).map_err(|e| durability("sled's log file", &e))?;
        let mut files = DataFiles { log, blobs: dir.join("blobs"), synced_blobs: HashMap::new() };
        files.sync().map_err(|e| StoreError::Durability(e.to_string()))?;
        Ok(files)
    }

    /// Syncs the log's data, then every blob file not synced yet (or grown since), then the
    /// blob folder if a file was added to it.
    fn sync(&mut self) -> std::io::Result<()> {
        self.log.sync_data()?;
        let entries = match std::fs::read_dir(&self.blobs) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mut present = HashMap::new();
        let mut added = false;
        for entry in entries {
            let name = entry?.file_name();
            let blob = match File::open(self.blobs.join(&name)) {
                Ok(blob) => blob,
                // sled removed it meanwhile (its value was rewritten): nothing to keep.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            // The length is read before the sync, so that bytes written after it are
            // synced by a later batch.
            let len = blob.metadata()?.len();
            match self.synced_blobs.get(&name) {
                Some(&synced) if synced == len => {}
                previous => {
                    blob.sync_data()?;
                    added |= previous.is_none();
                }
            }
            present.insert(name, len);
        }
        self.synced_blobs = present;
        if added {
            File::open(&self.blobs)?.sync_all()?;
        }
        Ok(())
    }
}
