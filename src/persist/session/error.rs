//! Errors reading agent sessions; each names the file and the cause.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong reading an agent's session.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// A file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A whole-document file (Gemini's legacy JSON) is not valid JSON, or not a session.
    #[error("{}: {problem}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong, in words.
        problem: String,
    },
    /// The OpenCode database could not be opened or queried.
    #[error("{}: {problem}", path.display())]
    Database {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        problem: String,
    },
}
