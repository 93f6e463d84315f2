//! Finding the sessions that have a store under an NTM root (`sessions/*/assignments.json`).

use super::publish::{BACKUP_SUFFIX, STORE_FILE, with_suffix};
use super::{StoreError, storage_dir_in};
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
/// by name. A missing root is no sessions.
#[must_use]
pub fn list_sessions(ntm_dir: &Path) -> Vec<SessionInfo> {
    let Ok(entries) = std::fs::read_dir(storage_dir_in(ntm_dir)) else {
        return Vec::new();
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
    sessions
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
