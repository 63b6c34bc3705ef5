//! The running server's control socket, through which `beratta-server backup` takes a
//! consistent backup while the server serves.
//!
//! sled lets one process open a database, so a backup of a live database must come from
//! the server itself. `serve` listens on a Unix socket beside the data folder
//! (`/var/lib/beratta/data` → `/var/lib/beratta/data.sock`), readable and writable only by
//! the server's own user (mode 0600): whoever may use it may read the data folder anyway.
//! It is not inside the folder, which holds only the database's own files. A client writes `backup\n`; the
//! server answers with the whole backup file (see `store::backup`), taken by
//! [`AppState::backup`] between two pieces of store work, or with one line `error: …`.

use crate::store::{BackupSummary, StoreError};
use crate::AppState;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The request's one line must arrive within this long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// The socket of the server using the data folder `data`: beside it, named after it.
pub fn socket_path(data: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(data)?;
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => Ok(parent.join(format!("{}.sock", name.to_string_lossy()))),
        _ => Err(std::io::Error::other(format!("{} names no folder a socket could sit beside", data.display()))),
    }
}

/// Listens on the data folder's control socket ([`socket_path`]), in a thread of its own, one request at a
/// time. A socket left behind by a server that was killed is replaced: the caller has the
/// database open, so no other server can be using it.
pub fn listen(state: AppState, data: &Path) -> std::io::Result<PathBuf> {
    let path = socket_path(data)?;
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let listener = UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    std::thread::Builder::new().name("control".into()).spawn(move || {
        for stream in listener.incoming().flatten() {
            if let Err(e) = answer(&state, stream) {
                tracing::warn!("control socket: {e}");
            }
        }
    })?;
    Ok(path)
}

fn answer(state: &AppState, stream: UnixStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    let mut line = String::new();
    BufReader::new((&stream).take(64)).read_line(&mut line)?;
    let mut out = std::io::BufWriter::new(&stream);
    match line.trim() {
        "backup" => match state.backup(&mut out) {
            Ok(summary) => tracing::info!("backup taken through the control socket: {summary}"),
            Err(e) => {
                tracing::error!("a backup failed: {e}");
                writeln!(out, "error: {e}")?;
            }
        },
        other => writeln!(out, "error: unknown request {other:?}; the one request is `backup`")?,
    }
    out.flush()
}

/// Asks the server running on `data` for a backup and writes it to `out`. `Ok(None)` when
/// no server answers there (no socket, or one a killed server left behind).
pub fn request_backup(data: &Path, out: &mut dyn Write) -> Result<Option<()>, StoreError> {
    let path = socket_path(data).map_err(|e| StoreError::Backup(e.to_string()))?;
    let Ok(mut stream) = UnixStream::connect(path) else { return Ok(None) };
    let failed = |e: std::io::Error| StoreError::Backup(format!("the server's control socket: {e}"));
    stream.write_all(b"backup\n").map_err(failed)?;
    let mut reply = BufReader::new(stream);
    let start = reply.fill_buf().map_err(failed)?;
    if start.starts_with(b"error: ") || start.is_empty() {
        let mut text = String::new();
        reply.read_to_string(&mut text).map_err(failed)?;
        let text = if text.is_empty() { "the server closed the socket without an answer".into() } else { text };
        return Err(StoreError::Backup(text.trim().trim_start_matches("error: ").to_string()));
    }
    std::io::copy(&mut reply, out).map_err(failed)?;
    Ok(Some(()))
}

/// What [`request_backup`] or an offline backup wrote, checked by reading it back.
pub fn check_written(file: &Path) -> Result<BackupSummary, StoreError> {
    let input = std::fs::File::open(file).map_err(|e| StoreError::Backup(format!("cannot read it back: {e}")))?;
    crate::store::verify_backup(BufReader::new(input))
}
