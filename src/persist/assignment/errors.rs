//! The store's errors: upstream's `InvalidTransitionError` and `PersistenceError` with their
//! exact message texts, and [`StoreError`], everything a store call can return.

use super::AssignmentStatus;
use super::document::DocumentError;
use crate::persist::lock::LockError;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// A move the transition table forbids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidTransitionError {
    /// The bead.
    pub bead_id: String,
    /// Its current status.
    pub from: AssignmentStatus,
    /// The status asked for.
    pub to: AssignmentStatus,
}

impl fmt::Display for InvalidTransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[ASSIGN] Invalid transition {} -> {} for {}",
            self.from, self.to, self.bead_id
        )
    }
}

impl std::error::Error for InvalidTransitionError {}

/// What went wrong underneath a [`PersistenceError`].
#[derive(Debug, thiserror::Error)]
pub enum PersistenceCause {
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The file could not be decoded.
    #[error("{0}")]
    Document(#[from] DocumentError),
    /// The file is unreadable and there is no good backup to fall back on.
    #[error("{primary}; backup: {backup}")]
    Corrupt {
        /// What is wrong with the primary file.
        primary: String,
        /// What is wrong with (or missing about) the backup.
        backup: String,
    },
}

/// A load or save that failed; upstream's message: `[ASSIGN] <op> failed at <path>: <cause>`.
#[derive(Debug, thiserror::Error)]
#[error("[ASSIGN] {operation} failed at {}: {cause}", path.display())]
pub struct PersistenceError {
    /// `load` or `save` (or `list`, for the sessions directory).
    pub operation: &'static str,
    /// The file involved.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub cause: PersistenceCause,
}

/// Everything an [`super::AssignmentStore`] call can return.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No record for the bead (upstream's wording).
    #[error("[ASSIGN] Assignment not found: {bead_id}")]
    NotFound {
        /// The bead asked for.
        bead_id: String,
    },
    /// The transition table forbids the move; nothing was written.
    #[error(transparent)]
    InvalidTransition(#[from] InvalidTransitionError),
    /// Reading or writing the file failed; memory and disk are as they were.
    #[error(transparent)]
    Persistence(#[from] PersistenceError),
    /// The store has a newer schema than 1 and is never rewritten.
    #[error("{}: read-only: schema {version} (written by a newer NTM; beadboard shows it but never rewrites it)", path.display())]
    ReadOnly {
        /// The store file.
        path: PathBuf,
        /// Its schema version.
        version: i64,
    },
    /// Another program held the lock too long.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// A record cannot be put back: the bead has a record again.
    #[error("{}: {bead_id} has an assignment again ({status}); nothing was restored", path.display())]
    Occupied {
        /// The store file.
        path: PathBuf,
        /// The bead.
        bead_id: String,
        /// The status of the record it has now.
        status: String,
    },
    /// `save` found the file changed by another program since it was loaded.
    #[error("{}: changed by another program since it was loaded; reload and try again", path.display())]
    Conflict {
        /// The store file.
        path: PathBuf,
    },
    /// Writing would follow a symbolic link out of the data root.
    #[error("{}: refusing to write: {reason}", path.display())]
    OutsideRoot {
        /// The directory that would be written to.
        path: PathBuf,
        /// Why it is outside.
        reason: String,
    },
    /// A session name that cannot be a directory name.
    #[error("invalid session name {0:?}: it must be a single, non-empty path component")]
    InvalidSession(String),
}

impl StoreError {
    /// True for a forbidden transition (the CLI's exit code 3).
    #[must_use]
    pub fn is_invalid_transition(&self) -> bool {
        matches!(self, StoreError::InvalidTransition(_))
    }
}
