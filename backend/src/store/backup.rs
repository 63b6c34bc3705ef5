//! Backups: every tree of the database in one file, and the way back into an empty folder.
//!
//! The file is `beratta-backup/1\n`, then for each tree a `T` record (its name) followed
//! by an `E` record per entry (key and value), each length-prefixed with a big-endian
//! `u32`, then `Z` and the SHA-256 of everything before it. A restore reads the whole file
//! once to check the hash and the structure before it writes anything, so a truncated or
//! altered file is refused with nothing changed.
//!
//! Consistency is the caller's: the server takes a backup while no store work runs
//! (`AppState::backup` holds the store's write gate), so it is the database as it stood
//! between two requests' store work, with every save acknowledged before it began. The
//! file holds what the data folder holds: sealed answers, keyed verifiers, wrapped keys.
//! Without the server secret file (never in a backup) no code can be checked against it.

use super::{SledStore, StoreError};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

const MAGIC: &[u8] = b"beratta-backup/1\n";
/// The largest key or value a backup may hold: sled's values here are at most a few
/// hundred KiB (a save), so anything larger is a damaged file, refused before allocating.
const MAX_PART: u32 = 64 * 1024 * 1024;

/// What a backup holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BackupSummary {
    pub trees: usize,
    pub entries: u64,
}

impl std::fmt::Display for BackupSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} entries in {} trees", self.entries, self.trees)
    }
}

fn bad(reason: impl Into<String>) -> StoreError {
    StoreError::Backup(reason.into())
}

/// Writes and hashes at once.
struct Hashed<'a> {
    out: &'a mut dyn Write,
    hash: Sha256,
}

impl Hashed<'_> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), StoreError> {
        self.hash.update(bytes);
        self.out.write_all(bytes).map_err(|e| bad(format!("cannot write the backup: {e}")))
    }

    fn part(&mut self, tag: u8, bytes: &[u8]) -> Result<(), StoreError> {
        let len =
            u32::try_from(bytes.len()).ok().filter(|n| *n <= MAX_PART).ok_or_else(|| bad("a record is too large"))?;
        self.put(&[tag])?;
        self.put(&len.to_be_bytes())?;
        self.put(bytes)
    }
}

impl SledStore {
    /// Writes every tree, entry by entry, to `out`. The caller keeps writers away meanwhile.
    pub(super) fn write_backup(&self, out: &mut dyn Write) -> Result<BackupSummary, StoreError> {
        let mut file = Hashed { out, hash: Sha256::new() };
        file.put(MAGIC)?;
        let mut summary = BackupSummary::default();
        // In name order, so that the same database always makes the same file.
        let mut names = self.db.tree_names();
        names.sort();
        for name in names {
            let tree = self.db.open_tree(&name)?;
            file.part(b'T', &name)?;
            summary.trees += 1;
            for entry in tree.iter() {
                let (key, value) = entry?;
                file.part(b'E', &key)?;
                let len = u32::try_from(value.len()).map_err(|_| bad("a value is too large"))?;
                file.put(&len.to_be_bytes())?;
                file.put(&value)?;
                summary.entries += 1;
            }
        }
        file.put(b"Z")?;
        let digest = file.hash.clone().finalize();
        file.out.write_all(&digest).map_err(|e| bad(format!("cannot write the backup: {e}")))?;
        Ok(summary)
    }
}

/// One record of a backup as it is read.
enum Record {
    Tree(Vec<u8>),
    Entry(Vec<u8>, Vec<u8>),
}

/// Reads a backup's records, hashing as it goes; [`Reader::finish`] checks the hash.
struct Reader<R: Read> {
    input: R,
    hash: Sha256,
}

impl<R: Read> Reader<R> {
    fn new(mut input: R) -> Result<Reader<R>, StoreError> {
        let mut magic = [0; MAGIC.len()];
        input.read_exact(&mut magic).map_err(|_| bad("this is not a Berätta backup (it is too short)"))?;
        if magic != MAGIC {
            return Err(bad("this is not a Berätta backup of this version"));
        }
        let mut hash = Sha256::new();
        hash.update(MAGIC);
        Ok(Reader { input, hash })
    }

    fn bytes(&mut self, n: usize) -> Result<Vec<u8>, StoreError> {
        let mut buf = Vec::new();
        (&mut self.input).take(n as u64).read_to_end(&mut buf).map_err(|e| bad(format!("cannot read it: {e}")))?;
        if buf.len() != n {
            return Err(bad("the backup ends in the middle of a record (it is truncated)"));
        }
        self.hash.update(&buf);
        Ok(buf)
    }

    fn len(&mut self) -> Result<usize, StoreError> {
        let raw = self.bytes(4)?;
        let n = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
        if n > MAX_PART {
            return Err(bad("a record is larger than any the server writes (the file is damaged)"));
        }
        Ok(n as usize)
    }

    /// The next record, or `None` at the end mark.
    fn next(&mut self, in_tree: bool) -> Result<Option<Record>, StoreError> {
        match self.bytes(1)?[0] {
            b'T' => {
                let n = self.len()?;
                Ok(Some(Record::Tree(self.bytes(n)?)))
            }
            b'E' if in_tree => {
                let n = self.len()?;
                let key = self.bytes(n)?;
                let n = self.len()?;
                Ok(Some(Record::Entry(key, self.bytes(n)?)))
            }
            b'Z' => Ok(None),
            _ => Err(bad("the backup holds a record of no known kind (the file is damaged)")),
        }
    }

    /// Checks the hash after the end mark, and that nothing follows it.
    fn finish(mut self) -> Result<(), StoreError> {
        let expected = self.hash.clone().finalize();
        let mut stored = [0; 32];
        self.input.read_exact(&mut stored).map_err(|_| bad("the backup ends before its checksum (it is truncated)"))?;
        if stored[..] != expected[..] {
            return Err(bad("the backup's checksum does not match its contents (the file is damaged)"));
        }
        let mut rest = [0; 1];
        if self.input.read(&mut rest).map_err(|e| bad(format!("cannot read it: {e}")))? != 0 {
            return Err(bad("something follows the backup's checksum (the file is damaged)"));
        }
        Ok(())
    }
}

/// Reads a whole backup, calling `each` for every record, then checks its checksum.
fn read_backup(
    input: impl Read,
    mut each: impl FnMut(Record) -> Result<(), StoreError>,
) -> Result<BackupSummary, StoreError> {
    let mut reader = Reader::new(input)?;
    let mut summary = BackupSummary::default();
    while let Some(record) = reader.next(summary.trees > 0)? {
        match &record {
            Record::Tree(_) => summary.trees += 1,
            Record::Entry(..) => summary.entries += 1,
        }
        each(record)?;
    }
    reader.finish()?;
    Ok(summary)
}

/// Checks a backup without writing anything: its structure and its checksum.
pub fn verify_backup(input: impl Read) -> Result<BackupSummary, StoreError> {
    read_backup(input, |_| Ok(()))
}

/// Restores the backup at `file` into `dir`, which must be missing or empty: checks the
/// whole file first, then writes every tree into a new store, checks its schema and makes
/// it durable. Returns what it restored and the store, open: the database stays in this
/// one handle, because a second open in the same process can find sled's lock still held
/// by the first handle's threads for a moment after it is dropped.
pub fn restore_backup(file: &Path, dir: &Path) -> Result<(BackupSummary, SledStore), StoreError> {
    let open = || {
        std::fs::File::open(file)
            .map(std::io::BufReader::new)
            .map_err(|e| bad(format!("cannot open {}: {e}", file.display())))
    };
    let summary = verify_backup(open()?)?;
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| bad(format!("cannot read {}: {e}", dir.display())))?;
        if entries.next().is_some() {
            return Err(bad(format!("{} is not empty; restore only into an empty or new folder", dir.display())));
        }
    }
    let store = SledStore::open(dir)?;
    let mut tree: Option<sled::Tree> = None;
    read_backup(open()?, |record| {
        match record {
            Record::Tree(name) => tree = Some(store.db.open_tree(name)?),
            Record::Entry(key, value) => {
                tree.as_ref().ok_or_else(|| bad("an entry before any tree"))?.insert(key, value)?;
            }
        }
        Ok(())
    })?;
    // The backup's own schema, now in `meta`, must be this version's.
    super::Store::check(&store)?;
    store.flusher.flush_now()?;
    Ok((summary, store))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn store_with_data(dir: &Path) -> SledStore {
        let store = SledStore::open(dir).expect("a store");
        let tree = store.db.open_tree("assessments").expect("a tree");
        for i in 0..50u32 {
            tree.insert(i.to_be_bytes(), vec![i as u8; 300]).expect("insert");
        }
        store
    }

    #[test]
    fn a_backup_restores_into_an_empty_folder_entry_for_entry() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = store_with_data(&dir.path().join("data"));
        let mut file = Vec::new();
        let written = store.backup(&mut file).expect("a backup");
        assert!(written.entries >= 50, "{written}");
        std::fs::write(dir.path().join("backup"), &file).expect("written");
        let (restored, again) =
            restore_backup(&dir.path().join("backup"), &dir.path().join("restored")).expect("restored");
        assert_eq!(restored, written);
        drop(store);
        let mut copy = Vec::new();
        again.backup(&mut copy).expect("a backup of the copy");
        assert!(copy == file, "the restored database backs up to the very same bytes");
    }

    #[test]
    fn a_damaged_or_truncated_backup_or_a_full_folder_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = store_with_data(&dir.path().join("data"));
        let mut file = Vec::new();
        store.backup(&mut file).expect("a backup");
        let mut flipped = file.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 1;
        for (name, bytes) in [("truncated", &file[..file.len() - 10]), ("flipped", &flipped[..]), ("empty", &[][..])] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("written");
            let target = dir.path().join(format!("{name}-restored"));
            let Err(err) = restore_backup(&path, &target) else { panic!("{name}: restored") };
            assert!(matches!(err, StoreError::Backup(_)), "{name}: {err}");
            assert!(!target.exists(), "{name}: nothing may be written");
        }
        let good = dir.path().join("good");
        std::fs::write(&good, &file).expect("written");
        let Err(err) = restore_backup(&good, &dir.path().join("data")) else { panic!("the live folder is not empty") };
        assert!(err.to_string().contains("not empty"), "{err}");
    }
}
