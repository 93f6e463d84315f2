//! Why a direct write to a schema-9 store did not happen (or did not land).

use super::super::refusal::Refusal;
use crate::persist::lock::LockError;
use std::path::PathBuf;

/// Everything a direct write can return instead of success. Nothing was written unless the
/// variant says so ([`NtmWriteError::NotLanded`]).
#[derive(Debug, thiserror::Error)]
pub enum NtmWriteError {
    /// The session has no store (beadboard never creates one for NTM).
    #[error("{}: no assignment store here (beadboard never creates one for NTM)", path.display())]
    NoStore {
        /// The store file.
        path: PathBuf,
    },
    /// A session name that cannot be a directory name.
    #[error("invalid session name {0:?}: it must be a single, non-empty path component")]
    InvalidSession(String),
    /// A lock could not be taken (busy past the timeout, cancelled, or an I/O error).
    #[error(transparent)]
    Lock(#[from] LockError),
    /// NTM's strict read refuses the store, so NTM would refuse any write too.
    #[error("{}: NTM's strict read refuses this store: {reason}; it is shown read-only", path.display())]
    StoreRefused {
        /// The store file.
        path: PathBuf,
        /// NTM's reason.
        reason: String,
    },
    /// The store is not schema 9.
    #[error("{}: schema {version}: direct writes are for NTM's schema-9 stores", path.display())]
    NotSchema9 {
        /// The store file.
        path: PathBuf,
        /// Its schema.
        version: i64,
    },
    /// No row for the bead.
    #[error("{}: [ASSIGN] Assignment not found: {bead}", path.display())]
    NotFound {
        /// The store file.
        path: PathBuf,
        /// The bead.
        bead: String,
    },
    /// The row is now a different assignment generation than the one the user saw.
    #[error("{bead} changed since it was shown: {now}; nothing was written, look again")]
    Superseded {
        /// The bead.
        bead: String,
        /// What the row is now.
        now: String,
    },
    /// The row may not be touched; nothing was written.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// Writing failed; the store is as it was, or (after the backup) one generation ahead in
    /// the backup only, which NTM's next strict load promotes.
    #[error("{}: write failed: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The write was published, but reading it back does not show it.
    #[error("{bead}: the change did not land: {found}")]
    NotLanded {
        /// The bead.
        bead: String,
        /// What the store says instead.
        found: String,
    },
    /// What had to be recorded with the change (see [`super::NtmWriter::with_precommit`])
    /// could not be; nothing was written.
    #[error("{0}; nothing was written")]
    Precommit(String),
    /// Writing would follow a symbolic link out of the data root.
    #[error("{}: refusing to write: {reason}", path.display())]
    OutsideRoot {
        /// The directory.
        path: PathBuf,
        /// Why it is outside.
        reason: String,
    },
}

impl NtmWriteError {
    /// True when the row may not be touched, or is not in a state the action applies to
    /// (the CLI's exit code 3).
    #[must_use]
    pub fn is_refusal(&self) -> bool {
        matches!(self, NtmWriteError::Refused(_))
    }
}
