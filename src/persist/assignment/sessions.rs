//! Finding the sessions that have a store under an NTM root (`sessions/*/assignments.json`).

use super::publish::{BACKUP_SUFFIX, STORE_FILE, with_suffix};
use super::{PersistenceError, StoreError, storage_dir_in};
use std::path::{Path, PathBuf};

/// A session directory with a store (or at least its backup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The session name (the directory name).
    pub name: String,
    /// Its `assignments.json` path.
    pub store_path: PathBuf,
}

/// Every session under `<ntm dir>/sessions` that has `assignments.json` or its `.bak`, sorted
/// by name. A missing root is no sessions; so is an unreadable one (use [`read_sessions`] to
/// learn why).
#[must_use]
pub fn list_sessions(ntm_dir: &Path) -> Vec<SessionInfo> {
    read_sessions(ntm_dir).unwrap_or_default()
}

/// As [`list_sessions`], but a sessions directory that exists and cannot be read (a file in
/// its place, no permission) is an error naming it, instead of silently no sessions.
///
/// # Errors
/// A [`PersistenceError`] (operation `list`) with the directory and the cause.
pub fn read_sessions(ntm_dir: &Path) -> Result<Vec<SessionInfo>, PersistenceError> {
    let dir = storage_dir_in(ntm_dir);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(PersistenceError {
                operation: "list",
                path: dir,
                cause: e.into(),
            });
        }
    };
    let mut sessions: Vec<SessionInfo> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let store_path = e.path().join(STORE_FILE);
            let present = store_path.exists() || with_suffix(&store_path, BACKUP_SUFFIX).exists();
            present.then(|| SessionInfo {
                name: e.file_name().to_string_lossy().into_owned(),
                store_path,
            })
        })
        .collect();
    sessions.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sessions)
}

/// A session name must be one non-empty path component (it becomes a directory name).
///
/// # Errors
/// [`StoreError::InvalidSession`] for "", ".", "..", or names with `/` or NUL.
pub fn validate_session_name(name: &str) -> Result<(), StoreError> {
    if name.is_empty() || name == "." || name == ".." || name.contains('/') || name.contains('\0') {
        return Err(StoreError::InvalidSession(name.to_owned()));
    }
    Ok(())
}
