//! Errors of reading a beads issue file; each names the file and the cause. Problems inside the
//! file are notes, not errors (see [`super::BeadsFile::notes`]).

use std::io;
use std::path::{Path, PathBuf};

/// Why an issue file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum BeadsError {
    /// There is no file at the path (beads is optional: callers usually show nothing).
    #[error("{}: no such file", path.display())]
    NotFound {
        /// The path asked for.
        path: PathBuf,
    },
    /// The file exists but could not be read (a directory, no permission, an I/O error).
    #[error("{}: {source}", path.display())]
    Io {
        /// The path asked for.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

impl BeadsError {
    /// True when the file does not exist.
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, BeadsError::NotFound { .. })
    }

    /// The file concerned.
    #[must_use]
    pub fn path(&self) -> &Path {
        match self {
            BeadsError::NotFound { path } | BeadsError::Io { path, .. } => path,
        }
    }
}
