//! Choosing the snapshot to read, never writing anything (no directory, no lock file, no
//! promotion).
//!
//! A seed-era store (schema 1) is read as seed-era NTM reads it: the primary, else `.bak` (the
//! previous state). As soon as either file is of a newer schema, both files are read and the
//! choice is NTM's strict one (`v9::select`): a backup one generation ahead is shown, and a
//! pair NTM refuses is shown read-only with NTM's reason.

use super::StoreDocument;
use super::errors::{PersistenceCause, PersistenceError, StoreError};
use super::publish::{BACKUP_SUFFIX, with_suffix};
use super::v9::select::{self, Candidate, NtmChoice, Shown};
use crate::persist::gojson::GoTime;
use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::Arc;

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
    /// The backup (the primary was missing or corrupt, or, in schema 9, one generation behind).
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
    /// For a store of today's NTM (either file of a schema above 1): how NTM's strict read
    /// chooses, and whether it accepts the store. Such a store is never written by the
    /// seed-era write path.
    pub ntm: Option<NtmChoice>,
}

impl Snapshot<'_> {
    /// True when the seed-era write path must not write (a newer schema is involved).
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.doc.is_read_only() || self.ntm.is_some()
    }
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

/// The schema of a Go-written store file without decoding it: the number after its last
/// `"version":` key (Go writes `version` last). `None` when not found.
fn peek_version(bytes: &[u8]) -> Option<i64> {
    let at = memchr::memmem::rfind(bytes, b"\"version\"")?;
    let rest = std::str::from_utf8(&bytes[at + 9..]).ok()?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// True when `.bak` is (by its last `version` key) of a schema above 1.
fn backup_is_newer_schema(path: &Path) -> bool {
    fs::read(with_suffix(path, BACKUP_SUFFIX))
        .ok()
        .and_then(|b| peek_version(&b))
        .is_some_and(|v| v > 1)
}

/// Reads the store at `path` for `session`; see the module documentation. An empty store when
/// neither file exists.
///
/// # Errors
/// An unreadable primary (permissions, a directory in its place), or no usable file at all.
pub fn read_snapshot<'a>(
    path: &Path,
    session: &str,
    now: GoTime,
    known: Option<(&'a Arc<Vec<u8>>, &'a StoreDocument)>,
) -> Result<Snapshot<'a>, StoreError> {
    let primary_bytes = read_file(path)?;
    let mut decoded = None;
    if let Some(bytes) = primary_bytes {
        // Unchanged since we last read or wrote it: no need to decode it again.
        if let Some((b, doc)) = known.filter(|(b, _)| b.as_slice() == bytes.as_slice())
            && !doc.is_read_only()
            && !backup_is_newer_schema(path)
        {
            return Ok(seed(
                Cow::Borrowed(doc),
                Source::Primary,
                Primary::Valid,
                Some(Arc::clone(b)),
            ));
        }
        let bytes = Arc::new(bytes);
        match StoreDocument::from_bytes(&bytes) {
            Ok(doc) if !doc.is_read_only() && !backup_is_newer_schema(path) => {
                return Ok(seed(
                    Cow::Owned(doc),
                    Source::Primary,
                    Primary::Valid,
                    Some(bytes),
                ));
            }
            Ok(doc) => decoded = Some(Candidate::decoded(bytes, doc, session)),
            Err(e) => decoded = Some(Candidate::read_failed(bytes, e.to_string())),
        }
    }
    let primary = decoded.unwrap_or_else(Candidate::missing);
    let backup_path = with_suffix(path, BACKUP_SUFFIX);
    let (backup, backup_error) = match fs::read(&backup_path) {
        // NTM publishes the same bytes to both files: decode and check them once.
        Ok(b) if primary.bytes.as_deref() == Some(&b) => (primary.clone(), None),
        Ok(b) => (Candidate::read(Arc::new(b), session), None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => (Candidate::missing(), None),
        Err(e) => (
            Candidate::unreadable(format!("{}: {e}", backup_path.display())),
            Some(e),
        ),
    };
    let newer = |c: &Candidate| c.doc.as_ref().is_some_and(|d| d.is_read_only());
    if newer(&primary) || newer(&backup) {
        return ntm_snapshot(path, primary, backup);
    }
    if let Some(e) = backup_error {
        return Err(PersistenceError {
            operation: "load",
            path: backup_path,
            cause: e.into(),
        }
        .into());
    }
    seed_fallback(path, session, now, primary, backup)
}

fn seed(
    doc: Cow<'_, StoreDocument>,
    source: Source,
    primary: Primary,
    bytes: Option<Arc<Vec<u8>>>,
) -> Snapshot<'_> {
    Snapshot {
        doc,
        source,
        primary,
        bytes,
        ntm: None,
    }
}

/// The seed-era rule when the primary is missing or corrupt: `.bak` if it is valid, else an
/// empty store (nothing there) or an error (a corrupt primary and no good backup).
fn seed_fallback<'a>(
    path: &Path,
    session: &str,
    now: GoTime,
    primary: Candidate,
    backup: Candidate,
) -> Result<Snapshot<'a>, StoreError> {
    let primary_state = match (&primary.exists, &primary.problem) {
        (false, _) => Primary::Missing,
        (true, Some(p)) => Primary::Corrupt(p.clone()),
        (true, None) => Primary::Valid,
    };
    if let Some(doc) = backup.doc {
        return Ok(seed(
            Cow::Owned(Arc::unwrap_or_clone(doc)),
            Source::Backup,
            primary_state,
            backup.bytes,
        ));
    }
    match primary_state {
        Primary::Corrupt(problem) => Err(PersistenceError {
            operation: "load",
            path: path.to_path_buf(),
            cause: PersistenceCause::Corrupt {
                primary: problem,
                backup: backup.problem.unwrap_or_else(|| "no backup".to_owned()),
            },
        }
        .into()),
        Primary::Missing | Primary::Valid => Ok(seed(
            Cow::Owned(StoreDocument::new(session, now)),
            Source::Empty,
            Primary::Missing,
            None,
        )),
    }
}

/// Today's NTM store: NTM's strict choice, shown even when NTM refuses it.
fn ntm_snapshot<'a>(
    path: &Path,
    primary: Candidate,
    backup: Candidate,
) -> Result<Snapshot<'a>, StoreError> {
    let (shown, choice) = select::choose(&primary, &backup);
    let primary_state = match (&primary.exists, &primary.doc, &primary.problem) {
        (false, _, _) => Primary::Missing,
        (true, None, p) => Primary::Corrupt(p.clone().unwrap_or_default()),
        (true, Some(_), _) => Primary::Valid,
    };
    let source = match shown {
        Shown::Primary => Source::Primary,
        Shown::Backup => Source::Backup,
        Shown::Neither => Source::Empty,
    };
    let (primary_problem, backup_problem) = (primary.problem.clone(), backup.problem.clone());
    let Some((doc, bytes)) = select::take_shown(shown, primary, backup) else {
        return Err(PersistenceError {
            operation: "load",
            path: path.to_path_buf(),
            cause: PersistenceCause::Corrupt {
                primary: primary_problem.unwrap_or_else(|| "missing".to_owned()),
                backup: backup_problem.unwrap_or_else(|| "no backup".to_owned()),
            },
        }
        .into());
    };
    Ok(Snapshot {
        doc: Cow::Owned(doc),
        source,
        primary: primary_state,
        bytes,
        ntm: Some(choice),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_peeked_from_the_last_key() {
        assert_eq!(
            peek_version(b"{\n  \"a\": {\"version\": 1},\n  \"version\": 9\n}"),
            Some(9)
        );
        assert_eq!(peek_version(b"{\"version\":1}"), Some(1));
        assert_eq!(peek_version(b"{}"), None);
    }
}
