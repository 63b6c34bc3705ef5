//! The server secret's file, and the rule that secrets never sit in the data folder.
//!
//! The server secret takes part in every child's login verifier and wrap key, so that a
//! copy of the database alone cannot be used to guess codes. That only holds if the secret
//! is not copied with the database: a backup of the data folder must not contain it. The
//! same goes for the demo organisation's secret key.

use beratta_core::login::ServerSecret;
use rand_core::OsRng;
use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SecretFileError {
    #[error("{what} {file} is inside the data folder {data}; keep it outside, so that a copy or backup of the data folder does not carry it")]
    InsideDataFolder { what: &'static str, file: PathBuf, data: PathBuf },
    #[error("{file}: {source}")]
    Io { file: PathBuf, source: io::Error },
    #[error("{file} holds {found} bytes; a server secret is exactly 32 random bytes")]
    WrongLength { file: PathBuf, found: usize },
}

fn io_error(file: &Path) -> impl FnOnce(io::Error) -> SecretFileError + '_ {
    move |source| SecretFileError::Io { file: file.to_path_buf(), source }
}

/// The absolute, symlink-free form of `path`, which need not exist yet; its parent folder
/// is created if missing.
fn resolve(path: &Path) -> Result<PathBuf, SecretFileError> {
    if path.exists() {
        return path.canonicalize().map_err(io_error(path));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    let parent = parent.canonicalize().map_err(io_error(&parent))?;
    Ok(match path.file_name() {
        Some(name) => parent.join(name),
        None => parent,
    })
}

/// Refuses `file` if it is inside `data_dir` (which is created if missing).
pub fn ensure_outside(data_dir: &Path, file: &Path, what: &'static str) -> Result<(), SecretFileError> {
    fs::create_dir_all(data_dir).map_err(io_error(data_dir))?;
    let data = data_dir.canonicalize().map_err(io_error(data_dir))?;
    let file = resolve(file)?;
    if file.starts_with(&data) {
        return Err(SecretFileError::InsideDataFolder { what, file, data });
    }
    Ok(())
}

/// Writes `contents` to a new file readable by its owner only. Fails if the file exists,
/// so a secret is never silently replaced.
pub fn write_private_file(path: &Path, contents: &[u8]) -> Result<(), SecretFileError> {
    let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(io_error(path))?;
    file.write_all(contents).map_err(io_error(path))?;
    // A secret that is acknowledged but not on disk would be lost with everything sealed
    // under it, so it is synced before anything uses it.
    file.sync_all().map_err(io_error(path))?;
    Ok(())
}

/// Loads the server secret from `path`, creating it with 32 random bytes if it is absent.
pub fn load_or_create(path: &Path) -> Result<ServerSecret, SecretFileError> {
    match write_private_file(path, ServerSecret::generate(&mut OsRng).as_bytes()) {
        Ok(()) => tracing::info!("created a new server secret at {}", path.display()),
        // Another process may have created it first; then that one is read like any other.
        Err(SecretFileError::Io { source, .. }) if source.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let mut bytes = Vec::with_capacity(32);
    let mut file = fs::File::open(path).map_err(io_error(path))?;
    // Reading one byte more than needed tells a too-long file from a right one.
    (&mut file).take(33).read_to_end(&mut bytes).map_err(io_error(path))?;
    let mode = file.metadata().map_err(io_error(path))?.permissions().mode();
    if mode & 0o077 != 0 {
        tracing::warn!("{} can be read by others (mode {:o}); it should be 0600", path.display(), mode & 0o777);
    }
    ServerSecret::from_slice(&bytes)
        .ok_or(SecretFileError::WrongLength { file: path.to_path_buf(), found: bytes.len() })
}
