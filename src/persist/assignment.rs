//! NTM's `assignment` package: bead-to-agent assignments with validated status transitions,
//! stored per tmux session at `<ntm dir>/sessions/<session>/assignments.json` with a `.bak`.
//!
//! Same format as NTM (schema 1), safer than NTM: every change takes an exclusive `flock` on
//! `assignments.json.lock`, re-reads the file inside the lock, applies the change, and publishes
//! it atomically and durably, keeping the previous state as `.bak`; a failed save leaves memory
//! and disk as they were; a corrupt primary is set aside and never overwrites a good backup;
//! stores of a newer schema (today's NTM writes 9) are read but never written; and every
//! transition is appended to `assignments.history.jsonl`. Every change can be taken back
//! exactly (and made again) while its record is unchanged: see [`AssignmentStore::revert`].

mod document;
mod errors;
mod history;
mod overview;
mod publish;
mod record;
mod sessions;
mod snapshot;
mod status;
mod store;
pub mod v9;

pub use document::StoreDocument;
pub use errors::{InvalidTransitionError, PersistenceCause, PersistenceError, StoreError};
pub use history::{
    HISTORY_FILE, HistoryCursor, HistoryRecord, HistoryTail, read_history, read_history_since,
};
pub use overview::{SessionOverview, one_session_overview, session_overview, sort_overviews};
pub use publish::{BACKUP_SUFFIX, LOCK_SUFFIX, STORE_FILE, fail_point};
pub use record::{Assignment, AssignmentStats};
pub use sessions::{SessionInfo, list_sessions, read_sessions, validate_session_name};
pub use status::{AssignmentStatus, VALID_TRANSITIONS, is_valid_transition, valid_targets};
pub use store::{AssignmentStore, Clock, LoadSource, Precommit, RecordChange, describe_difference};

use std::path::{Path, PathBuf};

/// `StorageDir`: `$HOME/.ntm/sessions`, or `<temp dir>/ntm/sessions` when there is no home.
#[must_use]
pub fn storage_dir() -> PathBuf {
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => storage_dir_in(&Path::new(&home).join(".ntm")),
        None => std::env::temp_dir().join("ntm").join("sessions"),
    }
}

/// The sessions directory under a given NTM root (`<ntm dir>/sessions`).
#[must_use]
pub fn storage_dir_in(ntm_dir: &Path) -> PathBuf {
    ntm_dir.join("sessions")
}
