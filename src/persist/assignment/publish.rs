//! The store's disk protocol for the seed-era schema: publishing a new state so that the
//! primary is never missing, `.bak` holds the previous state, and a corrupt primary is set
//! aside instead of overwriting a good backup. Choosing the snapshot to read is in
//! `snapshot.rs`.

pub use super::snapshot::{Primary, Snapshot, Source, read_snapshot};

use super::errors::PersistenceError;
use crate::persist::atomic;
use std::fs::{self, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The store's file name inside a session directory.
pub const STORE_FILE: &str = "assignments.json";
/// Appended to the store path for the backup (previous state).
pub const BACKUP_SUFFIX: &str = ".bak";
/// Appended to the store path for the lock file.
pub const LOCK_SUFFIX: &str = ".lock";
/// Mode of a newly created store (NTM: 0644 minus the umask).
const STORE_MODE: u32 = 0o644;

/// `<path>` with `suffix` appended to its file name.
#[must_use]
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut os = path.as_os_str().to_owned();
    os.push(suffix);
    PathBuf::from(os)
}

/// Publishes `bytes` as the new primary, based on `snapshot` (read under the same lock):
///
/// 1. the new bytes go to a unique temp file, fsynced (mode: the old primary's, else 0644);
/// 2. a valid old primary gets a second name (hard link, or a copy) that becomes `.bak`; a
///    corrupt one gets a dated name `assignments.json.corrupt-<time>` and `.bak` is left alone;
/// 3. the temp file is renamed over the primary (the commit point), then the backup name is
///    moved into place and the directory fsynced.
///
/// If anything fails before the commit, the disk is exactly as it was.
///
/// # Errors
/// Any I/O error, with the path it concerns.
pub fn publish(
    path: &Path,
    snapshot: &Snapshot,
    bytes: &[u8],
    stamp: &str,
) -> Result<(), PersistenceError> {
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |e: io::Error| PersistenceError {
            operation: "save",
            path,
            cause: e.into(),
        }
    };
    let dir = atomic::parent_dir(path);
    atomic::remove_stale_temps(path);
    let old_mode = fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions().mode() & 0o7777);
    let mut temp = tempfile::Builder::new()
        .prefix(&atomic::temp_prefix(path))
        .suffix(".tmp")
        .permissions(Permissions::from_mode(old_mode.unwrap_or(STORE_MODE)))
        .tempfile_in(&dir)
        .map_err(fail(&dir))?;
    if let Some(mode) = old_mode {
        temp.as_file()
            .set_permissions(Permissions::from_mode(mode))
            .map_err(fail(temp.path()))?;
    }
    temp.write_all(bytes).map_err(fail(temp.path()))?;
    temp.as_file().sync_data().map_err(fail(temp.path()))?;
    fail_point::check("after-temp").map_err(fail(temp.path()))?;

    let backup = match &snapshot.primary {
        Primary::Valid => Some(
            second_name(
                path,
                snapshot.bytes.as_deref().map_or(&[][..], |b| b.as_slice()),
            )
            .map_err(fail(path))?,
        ),
        Primary::Corrupt(_) => {
            set_aside(path, stamp).map_err(fail(path))?;
            None
        }
        Primary::Missing => None,
    };
    fail_point::check("before-commit").map_err(fail(path))?;
    temp.persist(path).map_err(|e| fail(path)(e.error))?;
    if let Some(backup) = backup {
        // Past the commit point: a failure here only leaves `.bak` one state older.
        let _ = backup.persist(with_suffix(path, BACKUP_SUFFIX));
    }
    atomic::sync_dir(&dir).map_err(fail(&dir))
}

/// A temp name for the current primary's content: a hard link (same inode, same mode), or a
/// fsynced copy of `old` where links are not supported.
fn second_name(path: &Path, old: &[u8]) -> io::Result<tempfile::TempPath> {
    let dir = atomic::parent_dir(path);
    let prefix = atomic::temp_prefix(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    match builder.make_in(&dir, |candidate| fs::hard_link(path, candidate)) {
        Ok(named) => Ok(named.into_temp_path()),
        Err(_) => {
            let mut copy = builder.tempfile_in(&dir)?;
            copy.write_all(old)?;
            copy.as_file().sync_all()?;
            Ok(copy.into_temp_path())
        }
    }
}

/// Keeps a corrupt primary's bytes under `assignments.json.corrupt-<stamp>[-n]`.
fn set_aside(path: &Path, stamp: &str) -> io::Result<PathBuf> {
    for n in 0..1000 {
        let suffix = if n == 0 {
            format!(".corrupt-{stamp}")
        } else {
            format!(".corrupt-{stamp}-{n}")
        };
        let target = with_suffix(path, &suffix);
        match fs::hard_link(path, &target) {
            Ok(()) => return Ok(target),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(_) => {
                fs::copy(path, &target)?;
                return Ok(target);
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "too many corrupt copies set aside",
    ))
}

#[doc(hidden)]
/// Test-only fault injection: makes a publish fail at a named point, so tests can prove that a
/// failed save leaves memory and disk as they were (root ignores permission-based tricks).
pub mod fail_point {
    use std::cell::Cell;
    use std::io;

    thread_local! {
        static ARMED: Cell<Option<&'static str>> = const { Cell::new(None) };
    }

    /// Makes the next publish on this thread fail at `point` (`after-temp`, `before-commit`;
    /// for a schema-9 direct write, `after-backup`).
    pub fn arm(point: &'static str) {
        ARMED.with(|a| a.set(Some(point)));
    }

    /// Fails (once) if `point` is armed.
    pub(crate) fn check(point: &'static str) -> io::Result<()> {
        ARMED.with(|a| {
            if a.get() == Some(point) {
                a.set(None);
                Err(io::Error::other(format!("injected failure at {point}")))
            } else {
                Ok(())
            }
        })
    }
}
