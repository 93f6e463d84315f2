//! Finding every top-level session of every agent under [`SessionRoots`]: one [`SessionFile`]
//! each, with its identity for caching. Sub-agent files are found with their parent and never
//! listed as sessions of their own.

use super::{Agent, SessionRoots};
use crate::persist::run::cache::FileStamp;
use std::path::{Path, PathBuf};

/// Where one session's records are.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionSource {
    /// An append-only JSONL file (Claude, Codex `.jsonl`): read by lines, windows and tails.
    Lines(PathBuf),
    /// A file that is rewritten or must be read whole (Gemini JSONL with upserts and rewinds,
    /// Gemini's legacy JSON document, a Codex `.jsonl.zst`).
    Document(PathBuf),
    /// An OpenCode session in its database.
    Database {
        /// The database file.
        db: PathBuf,
        /// The session id (`ses_…`).
        session: String,
    },
}

impl SessionSource {
    /// The file, for file sources.
    #[must_use]
    pub fn file(&self) -> Option<&PathBuf> {
        match self {
            SessionSource::Lines(p) | SessionSource::Document(p) => Some(p),
            SessionSource::Database { .. } => None,
        }
    }

    /// The key the session is known by everywhere (selection, watches, attention): the file's
    /// path (a Codex session keeps its `.jsonl` path when it is compressed), or
    /// `<database>/<session id>` for OpenCode.
    #[must_use]
    pub fn key(&self) -> PathBuf {
        match self {
            SessionSource::Lines(p) | SessionSource::Document(p) => {
                let text = p.to_string_lossy();
                match text.strip_suffix(".zst") {
                    Some(plain) => PathBuf::from(plain),
                    None => p.clone(),
                }
            }
            SessionSource::Database { db, session } => db.join(session),
        }
    }
}

/// One session found on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionFile {
    /// The agent.
    pub agent: Agent,
    /// Where it is read from.
    pub source: SessionSource,
    /// The session id when the file name says it (Claude's file stem, Codex's rollout uuid).
    pub id_hint: Option<String>,
    /// The file's identity when listed (`None` for a database session).
    pub stamp: Option<FileStamp>,
}

/// Every session found, and what could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    /// The sessions, newest first.
    pub sessions: Vec<SessionFile>,
    /// Directories or files that could not be read, and why.
    pub problems: Vec<(PathBuf, String)>,
}

/// Lists every top-level session under `roots`.
#[must_use]
pub fn list(roots: &SessionRoots) -> Listing {
    let _ = roots;
    Listing::default()
}

/// True when `path` is under `root` (component-wise, so `/repo-other` is not under `/repo`).
#[must_use]
pub fn within(path: &Path, root: &Path) -> bool {
    path.starts_with(root)
}
