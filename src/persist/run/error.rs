//! Errors of the run layer; each names the file involved and the cause.

use crate::persist::gojson::FieldError;
use std::io;
use std::path::PathBuf;

/// Everything that can go wrong reading or writing agentpair files.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A file is not valid JSON (empty, cut off mid-write, or not JSON at all).
    #[error("{}: invalid JSON: {source}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Where and why parsing failed.
        #[source]
        source: serde_json::Error,
    },
    /// A file is JSON but a field has the wrong type or value.
    #[error("{}: {source}", path.display())]
    Field {
        /// The file.
        path: PathBuf,
        /// Which field and why.
        #[source]
        source: FieldError,
    },
    /// An entry we were asked to write would make a line agentpair's reader rejects.
    #[error("{}: refusing to write a {size}-byte line (agentpair reads lines under 10 MiB)", path.display())]
    LineTooLong {
        /// The JSONL file.
        path: PathBuf,
        /// The encoded line length.
        size: usize,
    },
    /// `find_by_session_id` found nothing (upstream's wording).
    #[error("no run found with session ID: {0}")]
    SessionNotFound(String),
    /// A run id could not be claimed after many attempts (another creator keeps winning).
    #[error("{}: could not claim a new run id", path.display())]
    NoFreeRunId {
        /// The repo directory.
        path: PathBuf,
    },
    /// Closing a run that has already finished.
    #[error("{}: run {id} is already {state}", path.display())]
    AlreadyFinished {
        /// The manifest.
        path: PathBuf,
        /// The run id.
        id: i64,
        /// Its terminal state.
        state: String,
    },
    /// Closing a run that still looks live, without force.
    #[error("{}: run {id} looks live ({reason}); agentpair would overwrite the change — close it only with force", path.display())]
    Live {
        /// The manifest.
        path: PathBuf,
        /// The run id.
        id: i64,
        /// Why it counts as live.
        reason: String,
    },
    /// The run directory leads out of the runs directory (a symbolic link); never written.
    #[error("{}: refusing to write: it leads to {}, outside the runs directory", path.display(), target.display())]
    OutsideRoot {
        /// The run directory.
        path: PathBuf,
        /// Where it really is.
        target: PathBuf,
    },
    /// A run can only be closed as cancelled or failed.
    #[error("a run can only be closed as cancelled or failed, not {0}")]
    NotAClosingState(String),
}

impl RunError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> RunError {
        let path = path.into();
        move |source| RunError::Io { path, source }
    }

    /// True when the error is a missing file or directory.
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, RunError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
}
