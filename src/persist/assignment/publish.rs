//! The store's disk protocol: choosing the snapshot to read (primary, else `.bak`), and
//! publishing a new state so that the primary is never missing, `.bak` holds the previous
//! state, and a corrupt primary is set aside instead of overwriting a good backup.

use super::StoreDocument;
use super::errors::{PersistenceCause, PersistenceError, StoreError};
use crate::persist::atomic;
use std::borrow::Cow;
use std::fs::{self, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// What the primary file looked like when read.
#[derive(Debug, Clone)]
pub enum Primary {
    /// Not there.
    Missing,
    /// Readable.
    Valid,
    /// Present but not a valid store (empty, cut off, wrong types); why.
    Corrupt(String),
}

/// Where a snapshot's content came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The primary file.
    Primary,
    /// The backup (the primary was missing or corrupt).
    Backup,
    /// Neither exists: a new, empty store.
    Empty,
}

/// A consistent reading of the store files.
#[derive(Debug, Clone)]
pub struct Snapshot<'a> {
    /// The document to work from.
    pub doc: Cow<'a, StoreDocument>,
    /// Where it came from.
    pub source: Source,
    /// The primary file as found.
    pub primary: Primary,
    /// The bytes the document was decoded from (for change detection, and to skip decoding
    /// when they have not changed).
    pub bytes: Option<Arc<Vec<u8>>>,
}

fn read_file(path: &Path) -> Result<Option<Vec<u8>>, PersistenceError> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(PersistenceError {
            operation: "load",
            path: path.to_path_buf(),
            cause: e.into(),
        }),
    }
}

/// Reads the store at `path`: the primary if valid, else the backup if valid, else (when
/// neither file exists) an empty store for `session`. Nothing is written.
///
/// # Errors
/// An unreadable file (permissions, a directory in its place), or a corrupt primary with no
/// good backup.
pub fn read_snapshot<'a>(
    path: &Path,
    session: &str,
    now: crate::persist::gojson::GoTime,
    known: Option<(&'a Arc<Vec<u8>>, &'a StoreDocument)>,
) -> Result<Snapshot<'a>, StoreError> {
    let primary = match read_file(path)? {
        None => Primary::Missing,
        // Unchanged since we last read or wrote it: no need to decode it again.
        Some(bytes) => match known.filter(|(b, _)| b.as_slice() == bytes.as_slice()) {
            Some((b, doc)) => {
                return Ok(Snapshot {
                    doc: Cow::Borrowed(doc),
                    source: Source::Primary,
                    primary: Primary::Valid,
                    bytes: Some(Arc::clone(b)),
                });
            }
            None => match StoreDocument::from_bytes(&bytes) {
                Ok(doc) => {
                    return Ok(Snapshot {
                        doc: Cow::Owned(doc),
                        source: Source::Primary,
                        primary: Primary::Valid,
                        bytes: Some(Arc::new(bytes)),
                    });
                }
                Err(e) => Primary::Corrupt(e.to_string()),
            },
        },
    };
    let backup_path = with_suffix(path, BACKUP_SUFFIX);
    let backup_problem = match read_file(&backup_path)? {
        Some(bytes) => match StoreDocument::from_bytes(&bytes) {
            Ok(doc) => {
                return Ok(Snapshot {
                    doc: Cow::Owned(doc),
                    source: Source::Backup,
                    primary,
                    bytes: Some(Arc::new(bytes)),
                });
            }
            Err(e) => e.to_string(),
        },
        None => "no backup".to_owned(),
    };
    match primary {
        Primary::Corrupt(problem) => Err(PersistenceError {
            operation: "load",
            path: path.to_path_buf(),
            cause: PersistenceCause::Corrupt {
                primary: problem,
                backup: backup_problem,
            },
        }
        .into()),
        Primary::Missing | Primary::Valid => Ok(Snapshot {
            doc: Cow::Owned(StoreDocument::new(session, now)),
            source: Source::Empty,
            primary: Primary::Missing,
            bytes: None,
        }),
    }
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

    /// Makes the next publish on this thread fail at `point` (`after-temp`, `before-commit`).
    pub fn arm(point: &'static str) {
        ARMED.with(|a| a.set(Some(point)));
    }

    /// Fails (once) if `point` is armed.
    pub(super) fn check(point: &'static str) -> io::Result<()> {
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
