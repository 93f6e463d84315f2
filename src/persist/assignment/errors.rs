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
    /// A move lost a race: the record is no longer what the caller saw (another writer moved
    /// it meanwhile); nothing was written.
    #[error("{}", raced_text(bead_id, seen.as_ref(), found.as_ref()))]
    Raced {
        /// The bead.
        bead_id: String,
        /// The status the caller saw (`None`: no record).
        seen: Option<AssignmentStatus>,
        /// The status on disk (`None`: no record).
        found: Option<AssignmentStatus>,
    },
    /// A reassignment whose record is no longer on the pane or agent the caller saw (another
    /// writer moved it meanwhile); nothing was written.
    #[error("stale: {bead_id} is now on pane {pane}, {agent_type}")]
    Moved {
        /// The bead.
        bead_id: String,
        /// Its pane now.
        pane: i64,
        /// Its agent type now.
        agent_type: String,
    },
    /// A reassignment to the pane and agent the record already has; nothing was written.
    #[error("same pane and agent: nothing to reassign ({bead_id} is on pane {pane}, {agent_type})")]
    SameTarget {
        /// The bead.
        bead_id: String,
        /// Its pane.
        pane: i64,
        /// Its agent type.
        agent_type: String,
    },
    /// An undo or redo found the record no longer exactly as the move left it; nothing was
    /// written.
    #[error("{}: {bead_id} changed since it was moved ({what}), {by}; nothing was {op}", path.display())]
    Changed {
        /// The store file.
        path: PathBuf,
        /// The bead.
        bead_id: String,
        /// What differs, field by field (`status working → completed, completed_at set`).
        what: String,
        /// Who changed it, as far as the history log says.
        by: String,
        /// `undone` or `redone`.
        op: &'static str,
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
    /// True for a refused move: a forbidden transition, a lost race, a reassignment to where
    /// the bead already is, an undo of a record changed since (the CLI's exit code 3).
    #[must_use]
    pub fn is_invalid_transition(&self) -> bool {
        matches!(
            self,
            StoreError::InvalidTransition(_)
                | StoreError::Raced { .. }
                | StoreError::Moved { .. }
                | StoreError::SameTarget { .. }
                | StoreError::Changed { .. }
        )
    }

    /// The refusal of a move in a few words, for a summary of many (`qa-c1 is completed`);
    /// `None` for errors that are not refusals (I/O, locks), which keep their full text.
    #[must_use]
    pub fn brief(&self) -> Option<String> {
        match self {
            StoreError::InvalidTransition(e) => Some(format!("{} is {}", e.bead_id, e.from)),
            StoreError::NotFound { bead_id } => Some(format!("{bead_id} has no assignment")),
            StoreError::Raced { .. } | StoreError::Moved { .. } | StoreError::SameTarget { .. } => {
                Some(self.to_string())
            }
            StoreError::Changed {
                bead_id, what, by, ..
            } => Some(format!("{bead_id} changed since ({what}), {by}")),
            _ => None,
        }
    }
}

/// What another writer did to a record, as a past participle (`started`, `retried`).
fn done_to(seen: Option<&AssignmentStatus>, found: &AssignmentStatus) -> String {
    match (found, seen) {
        (AssignmentStatus::Assigned, Some(AssignmentStatus::Failed)) => "retried".to_owned(),
        (AssignmentStatus::Assigned, Some(AssignmentStatus::Working)) => "reassigned".to_owned(),
        (AssignmentStatus::Assigned, _) => "assigned".to_owned(),
        (AssignmentStatus::Working, _) => "started".to_owned(),
        (AssignmentStatus::Completed, _) => "completed".to_owned(),
        (AssignmentStatus::Failed, _) => "failed".to_owned(),
        (AssignmentStatus::Reassigned, _) => "reassigned".to_owned(),
        (AssignmentStatus::Other(s), _) => format!("moved to {s}"),
    }
}

/// `qa-w1 was already started by someone else (now working)`.
fn raced_text(
    bead: &str,
    seen: Option<&AssignmentStatus>,
    found: Option<&AssignmentStatus>,
) -> String {
    match found {
        Some(found) => format!(
            "{bead} was already {} by someone else (now {found})",
            done_to(seen, found)
        ),
        None => format!("{bead} was already removed by someone else (it has no assignment now)"),
    }
}
